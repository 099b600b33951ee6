"""The lists' filters and search (models, exemplars, communities,
campaigns) and the Excel exports of exemplars and communities."""

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from danvan.core.models import AuditEvent
from danvan.movements import campaigns, communities, registrations
from danvan.movements.models import Campaign, Community
from danvan.movements.registrations import ResultInput
from danvan.movements.tests.factories import (
    AN_GIANG,
    DONG_THAP,
    MovementWorld,
    recognize,
    register_model,
)
from danvan.petitions.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 4)
ROW = 'data-testid="registration-row"'
COMMUNITY_ROW = 'data-testid="community-row"'
CAMPAIGN_ROW = 'data-testid="campaign-row"'


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _sheet_rows(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def _exemplars(world: MovementWorld) -> list[Any]:
    rows = []
    for name, kind, unit in (
        ("Bà Lê Thị Sáu", "individual", world.my_tho),
        ("Chi hội Phụ nữ ấp Mỹ Tây", "collective", world.my_tho),
        ("Ông Trần Văn Tám", "individual", world.dao_thanh),
    ):
        rows.append(
            registrations.exemplar_register(
                actor=world.reviewer,
                organization=unit,
                name=name,
                kind=kind,
                title="Tổ trưởng tổ hòa giải" if kind == "individual" else "",
                field="economy",
                started_on=datetime.date(2021, 2, 1),
                description="Vận động bà con hiến đất làm đường.",
                commune=unit.commune,
                address="Số 12, ấp Mỹ Tây",
                people_involved="Ông Nguyễn Văn Chín và 30 hộ",
                results=[ResultInput(label="Mét đường", value="1200", unit="m")],
                registered_on=datetime.date(2026, 2, 1),
            )
        )
    return rows


def test_exemplar_list_filters_by_kind_commune_and_searches_the_unit(
    world: MovementWorld,
) -> None:
    _exemplars(world)
    client = login(world.reviewer)
    url = reverse("movements_staff:exemplars")
    page = client.get(url)
    assert page.text.count(ROW) == 3
    # The communes offered are those of the exemplars read.
    offered = {c.pk for c in page.context["form"].fields["commune"].queryset}
    assert offered == {world.my_tho.commune_id, world.dao_thanh.commune_id}
    assert client.get(url, {"kind": "individual"}).text.count(ROW) == 2
    assert client.get(url, {"commune": world.dao_thanh.commune_id}).text.count(ROW) == 1
    # The registering unit's name, without accents.
    assert client.get(url, {"q": "dao thanh"}).text.count(ROW) == 1
    assert client.get(url, {"province": AN_GIANG}).text.count(ROW) == 0
    export = page.text.split('data-testid="export"', 1)[0].rsplit("href=", 1)[1]
    assert reverse("movements_staff:exemplars_export") in export


def test_model_list_filters_by_commune_and_searches_the_unit(world: MovementWorld) -> None:
    register_model(world)
    register_model(world, name="Tổ tự quản khóm 3", organization=world.dao_thanh)
    client = login(world.reviewer)
    models = reverse("movements_staff:models")
    assert client.get(models, {"commune": world.my_tho.commune_id}).text.count(ROW) == 1
    assert client.get(models, {"q": "phuong dao thanh"}).text.count(ROW) == 1
    # A commune outside the list is refused: the filter is left out, with its error.
    page = client.get(models, {"commune": world.an_giang.commune_id})
    assert "commune" in page.context["form"].errors


def test_exemplars_export_has_the_list_s_filters_and_no_more_about_people(
    world: MovementWorld,
) -> None:
    rows = _exemplars(world)
    recognize(world, rows[0], on=DAY)
    response = login(world.reviewer).get(
        reverse("movements_staff:exemplars_export"), {"kind": "individual"}
    )
    sheet = _sheet_rows(response)
    header, *lines = sheet
    assert len(header) == 13
    assert all(header)
    assert [line[1] for line in lines] == ["Ông Trần Văn Tám", "Bà Lê Thị Sáu"]
    sau = lines[1]
    assert sau[0] == 2
    assert sau[3] == "Ủy ban nhân dân phường Mỹ Tho"
    assert sau[5] == "Tỉnh Đồng Tháp"
    assert sau[7].date() == datetime.date(2021, 2, 1)
    assert sau[8].date() == datetime.date(2026, 2, 1)
    assert sau[11] == 2026
    assert sau[12] == "Mét đường: 1\u00a0200 m"
    cells = " ".join(str(cell) for line in sheet for cell in line)
    for private in ("Tổ trưởng tổ hòa giải", "Số 12", "Nguyễn Văn Chín", "hiến đất"):
        assert private not in cells
    assert AuditEvent.objects.get(action="movement.exemplars.export").data == {"rows": 2}
    # Another province's reviewer exports nothing of Đồng Tháp's unrecognized ones.
    other = _sheet_rows(
        login(world.an_giang_reviewer).get(reverse("movements_staff:exemplars_export"))
    )
    assert [line[1] for line in other[1:]] == ["Bà Lê Thị Sáu"]  # recognized: read by all


def _communities(world: MovementWorld) -> list[Community]:
    rows = []
    for name, kind, unit in (
        ("Hội quán Mỹ Tây", "clubhouse", world.my_tho),
        ("Tổ tự quản khóm 3", "self_managed", world.my_tho),
        ("Hội quán Thạnh Hòa", "clubhouse", world.dao_thanh),
    ):
        rows.append(
            communities.community_register(
                actor=world.reviewer,
                organization=unit,
                name=name,
                kind=kind,
                commune=None,
                founded_on=datetime.date(2021, 3, 1),
                hamlet="Ấp Mỹ Tây",
                leader_name="Lê Văn Tư",
            )
        )
    communities.member_add(actor=world.reviewer, community=rows[0], name="Võ Thị Hạnh")
    communities.member_add(actor=world.reviewer, community=rows[0], name="Đặng Văn Lợi")
    for day in (datetime.date(2026, 8, 1), datetime.date(2026, 9, 1)):
        communities.event_record(
            actor=world.reviewer,
            community=rows[0],
            kind="meeting",
            date=day,
            title="Sinh hoạt định kỳ",
            participants=20,
        )
    Community.objects.filter(pk=rows[1].pk).update(is_active=False)
    return rows


def test_community_list_filters_by_kind_province_commune_and_activity(
    world: MovementWorld,
) -> None:
    _communities(world)
    client = login(world.reviewer)
    url = reverse("movements_staff:communities")
    assert client.get(url).text.count(COMMUNITY_ROW) == 3
    assert client.get(url, {"kind": "clubhouse"}).text.count(COMMUNITY_ROW) == 2
    assert client.get(url, {"commune": world.dao_thanh.commune_id}).text.count(COMMUNITY_ROW) == 1
    assert client.get(url, {"province": DONG_THAP}).text.count(COMMUNITY_ROW) == 3
    assert client.get(url, {"province": AN_GIANG}).text.count(COMMUNITY_ROW) == 0
    assert client.get(url, {"active": "no"}).text.count(COMMUNITY_ROW) == 1
    assert client.get(url, {"active": "yes"}).text.count(COMMUNITY_ROW) == 2
    assert client.get(url, {"q": "hoi quan"}).text.count(COMMUNITY_ROW) == 2
    assert client.get(url, {"q": "dao thanh"}).text.count(COMMUNITY_ROW) == 1
    assert 'data-testid="export"' in client.get(url).text


def test_communities_export_counts_members_but_names_nobody(world: MovementWorld) -> None:
    _communities(world)
    response = login(world.my_tho_staff).get(
        reverse("movements_staff:communities_export"), {"kind": "clubhouse"}
    )
    sheet = _sheet_rows(response)
    header, *lines = sheet
    assert len(header) == 12
    # Mỹ Tho's staff read only Mỹ Tho's communities.
    assert [line[1] for line in lines] == ["Hội quán Mỹ Tây"]
    line = lines[0]
    assert line[3] == "Ấp Mỹ Tây"
    assert line[5] == "Tỉnh Đồng Tháp"
    assert line[6] == "Ủy ban nhân dân phường Mỹ Tho"
    assert line[7].date() == datetime.date(2021, 3, 1)
    assert (line[9], line[10]) == (2, 2)
    assert line[11].date() == datetime.date(2026, 9, 1)
    cells = " ".join(str(cell) for row in sheet for cell in row)
    for name in ("Lê Văn Tư", "Võ Thị Hạnh", "Đặng Văn Lợi"):
        assert name not in cells
    assert AuditEvent.objects.get(action="movement.communities.export").data == {"rows": 1}


def test_campaign_list_filters_by_year_scope_and_search(world: MovementWorld) -> None:
    campaigns.campaign_launch(
        actor=world.reviewer,
        organization=world.commission,
        name="Dân vận khéo năm 2026",
        theme="Chuyển đổi số",
        province=world.commission.province,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    campaigns.campaign_launch(
        actor=world.central_staff,
        organization=world.central,
        name="Phong trào giai đoạn 2024–2025",
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2025, 10, 15),
    )
    assert Campaign.objects.count() == 2
    client = login(world.reviewer)
    url = reverse("movements_staff:campaigns")
    assert client.get(url).text.count(CAMPAIGN_ROW) == 2
    assert client.get(url, {"year": 2025}).text.count(CAMPAIGN_ROW) == 1
    assert client.get(url, {"year": 2023}).text.count(CAMPAIGN_ROW) == 0
    assert client.get(url, {"scope": "national"}).text.count(CAMPAIGN_ROW) == 1
    page = client.get(url, {"scope": DONG_THAP})
    assert page.text.count(CAMPAIGN_ROW) == 1
    assert "Dân vận khéo năm 2026" in page.text
    assert client.get(url, {"scope": AN_GIANG}).text.count(CAMPAIGN_ROW) == 0
    # The theme is searched too, without accents.
    assert client.get(url, {"q": "chuyen doi so"}).text.count(CAMPAIGN_ROW) == 1
    page = client.get(url, {"year": "hai nghìn"})
    assert "year" in page.context["form"].errors
