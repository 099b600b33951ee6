"""The reception log and visits in the back-office: list, exports, recording, receipts."""

import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from danvan.geo.models import Province
from danvan.orgs.models import OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import organization_create
from danvan.petitions.models import Channel, Petition
from danvan.petitions.tests.factories import PASSWORD, staff_user
from danvan.reception import visits
from danvan.reception.models import Receipt, Visit
from danvan.reception.tests.factories import ReceptionPlace, reception_place
from danvan.reception.visits import VisitPersonInput

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))
TODAY = datetime.date(2026, 9, 14)
AN_GIANG = 91
DENOUNCER = "Lê Văn Tố Giác"
CITIZEN = "Nguyễn Thị Hoa"


def vi(msgid: str, **params: Any) -> str:
    with translation.override("vi"):
        text = translation.gettext(msgid)
    return text % params if params else text


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(9), TZ), tick=False):
        yield


@dataclass
class World:
    place: ReceptionPlace
    officer2: Any
    commission: Any
    outsider: Any


@pytest.fixture
def world() -> World:
    place = reception_place()
    other = organization_create(
        actor=None,
        code="t-ubnd-an-giang",
        name="Ủy ban nhân dân tỉnh An Giang",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=OrganizationLevel.PROVINCE,
        province=Province.objects.get(code=AN_GIANG),
    )
    return World(
        place=place,
        officer2=staff_user(place.commune, Role.RECEPTION_OFFICER, username="t-tcd-xa-2"),
        commission=staff_user(place.province, Role.COMMISSION_STAFF, username="t-bandanvan"),
        outsider=staff_user(other, Role.HEAD, username="angiang"),
    )


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def assert_forbidden(response: Any) -> None:
    """Wagtail answers a refused back-office page with a redirect to its home page."""
    assert response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    ), response.status_code


def record(world: World, **kwargs: Any) -> Visit:
    values: dict[str, Any] = {
        "actor": world.place.officer,
        "organization": world.place.commune,
        "received_on": TODAY - datetime.timedelta(days=3),
        "people": [
            VisitPersonInput(
                name=CITIZEN, address="12 Lê Lợi", identity_document="CCCD 082123456789"
            )
        ],
        "summary": "Đề nghị sửa đường ngõ 12 bị sụt lún",
        "kind": "recommendation",
        "outcome": "informed",
    }
    values.update(kwargs)
    return visits.visit_record(**values).visit


def denunciation_visit(world: World) -> Visit:
    return record(
        world,
        people=[VisitPersonInput(name=DENOUNCER, address="5 Hùng Vương")],
        summary="Tố cáo cán bộ địa chính nhận tiền",
        kind="denunciation",
    )


LOG = "/admin/reception/log/"
NEW = "/admin/reception/visits/new/"


# The log ----------------------------------------------------------------------------------


def test_log_lists_the_visits_of_the_bodies_read(world: World) -> None:
    visit = record(world)
    url = reverse("reception_staff:visit", args=[visit.pk])
    for user in (world.place.officer, world.place.chairman, world.commission):
        response = login(user).get(LOG)
        assert response.status_code == 200, user.username
        assert url in response.text
        assert CITIZEN in response.text
        assert "11/09/2026" in response.text
    response = login(world.outsider).get(LOG)
    assert response.status_code == 200
    assert url not in response.text


def test_log_never_shows_a_protected_name_even_to_who_may_see_it(world: World) -> None:
    visit = denunciation_visit(world)
    for user in (world.place.officer, world.place.chairman, world.commission):
        client = login(user)
        response = client.get(LOG)
        assert reverse("reception_staff:visit", args=[visit.pk]) in response.text
        assert DENOUNCER not in response.text
        assert "5 Hùng Vương" not in response.text
        assert vi("Identity protected") in response.text
        found = client.get(LOG, {"q": "to giac"})
        assert reverse("reception_staff:visit", args=[visit.pk]) not in found.text
        assert DENOUNCER not in found.text


def test_log_filters_and_pages(world: World) -> None:
    for index in range(26):
        record(world, summary=f"Phản ánh số {index}", kind="feedback" if index else "complaint")
    client = login(world.place.officer)
    first = client.get(LOG)
    assert first.text.count('data-testid="visit-row"') == 25
    assert vi("Visits %(first)s–%(last)s.", first=1, last=25) in first.text
    assert "page=2" in first.text
    second = client.get(LOG, {"page": "2"})
    assert second.text.count('data-testid="visit-row"') == 1
    complaints = client.get(LOG, {"kind": "complaint"})
    assert complaints.text.count('data-testid="visit-row"') == 1
    assert "Phản ánh số 0" in complaints.text


def test_log_queries_do_not_grow_with_rows(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    record(world)
    client = login(world.place.chairman)
    client.get(LOG)
    with django_assert_max_num_queries(40) as few:
        client.get(LOG)
    baseline = len(few.captured_queries)
    for _index in range(8):
        record(world)
    denunciation_visit(world)
    with django_assert_max_num_queries(baseline):
        response = client.get(LOG)
    assert response.text.count('data-testid="visit-row"') == 10


def test_log_exports_the_chosen_organization_to_excel_and_word(world: World) -> None:
    record(world)
    client = login(world.place.officer)
    page = client.get(LOG)
    assert 'data-testid="export-xlsx"' in page.text  # one body read: it is the one exported
    query = {
        "organization": world.place.commune.pk,
        "date_from": "2026-09-01",
        "date_to": "2026-09-30",
    }
    response = client.get(reverse("reception_staff:log_export"), {**query, "format": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert any(CITIZEN in str(value) for value in values)
    word = client.get(reverse("reception_staff:log_export"), {**query, "format": "docx"})
    assert word.status_code == 200
    assert word["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")


def test_log_export_of_a_body_not_read_is_refused(world: World) -> None:
    record(world)
    response = login(world.outsider).get(
        reverse("reception_staff:log_export"),
        {"organization": world.place.commune.pk, "format": "xlsx"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(LOG)


# Recording a visit ------------------------------------------------------------------


def visit_form(world: World, **changes: str) -> dict[str, str]:
    data = {
        "organization": str(world.place.commune.pk),
        "received_on": f"{TODAY:%Y-%m-%d}",
        "mode": "in_person",
        "schedule": "",
        "kind": "complaint",
        "people_count": "1",
        "summary": "Khiếu nại quyết định thu hồi đất",
        "previously_handled_by": "",
        "outcome": "recorded",
        "guided_to": "",
        "guidance_document_number": "",
        "accepted_by": "",
        "transfer_document_number": "",
        "refusal_ground": "",
        "commune": "",
        "notes": "",
        "people-TOTAL_FORMS": "3",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "50",
        "people-0-name": CITIZEN,
        "people-0-identity_document": "CCCD 082123456789",
        "people-0-address": "12 Lê Lợi",
        "parts-TOTAL_FORMS": "3",
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "0",
        "parts-MAX_NUM_FORMS": "4",
        "parts-0-title": "Khiếu nại thu hồi đất",
        "parts-0-content": "Khiếu nại quyết định thu hồi đất số 12.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_record_a_visit_creates_its_petition_and_shows_the_key_once(world: World) -> None:
    client = login(world.place.officer)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, visit_form(world), follow=True)
    visit = Visit.objects.get()
    assert response.redirect_chain[-1][0] == reverse("reception_staff:visit", args=[visit.pk])
    petition = Petition.objects.get()
    assert petition.channel == Channel.IN_PERSON
    assert list(visit.petitions.all()) == [petition]
    html = response.text
    assert 'data-testid="visit-receipt"' in html
    assert petition.code in html
    assert reverse("petitions_staff:case", args=[petition.code]) in html
    assert 'data-testid="lookup-key"' in html
    again = client.get(reverse("reception_staff:visit", args=[visit.pk]))
    assert 'data-testid="lookup-key"' not in again.text


def test_record_a_mixed_visit_splits_it_into_one_petition_per_kind(world: World) -> None:
    client = login(world.place.officer)
    response = client.post(
        NEW,
        visit_form(
            world,
            kind="mixed",
            **{
                "parts-0-kind": "complaint",
                "parts-1-kind": "denunciation",
                "parts-1-title": "Tố cáo cán bộ địa chính",
                "parts-1-content": "Cán bộ địa chính nhận tiền.",
            },
        ),
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert sorted(visit.petitions.values_list("kind", flat=True)) == ["complaint", "denunciation"]
    assert visit.identity_protected


def test_record_a_group_without_representatives_shows_the_rule(world: World) -> None:
    response = login(world.place.officer).post(
        NEW,
        visit_form(
            world,
            people_count="6",
            outcome="informed",
            **{"parts-0-title": "", "parts-0-content": ""},
        ),
    )
    assert response.status_code == 200
    assert not Visit.objects.exists()
    assert 'data-testid="people-errors"' in response.text
    assert "Điều 29" in response.text  # Luật Tiếp công dân Art. 29, in Vietnamese


def test_record_a_refusal_needs_its_ground_beside_the_field(world: World) -> None:
    response = login(world.place.officer).post(
        NEW, visit_form(world, outcome="refused", **{"parts-0-title": "", "parts-0-content": ""})
    )
    assert response.status_code == 200
    assert not Visit.objects.exists()
    html = response.text
    message = vi("Choose the legal ground of the refusal.")
    assert message in html
    assert (
        html.index('data-field="refusal_ground"')
        < html.index(message)
        < html.index('data-field="notes"')
    )


def test_record_is_refused_to_who_acts_for_no_organization_offered(world: World) -> None:
    response = login(world.outsider).post(NEW, visit_form(world))
    assert response.status_code == 200
    assert not Visit.objects.exists()


# A visit's page ---------------------------------------------------------------------


def test_visit_page_shows_the_13_columns_and_is_404_for_others(world: World) -> None:
    visit = record(
        world, outcome="guided", guided_to="Sở Xây dựng", guidance_document_number="15/HD"
    )
    url = reverse("reception_staff:visit", args=[visit.pk])
    response = login(world.place.officer).get(url)
    assert response.status_code == 200
    html = response.text
    assert html.count("<small>") == 13
    assert CITIZEN in html
    assert "CCCD 082123456789" in html
    assert "15/HD" in html
    assert login(world.outsider).get(url).status_code == 404


def test_protected_visitor_is_redacted_for_who_may_not_see_them(world: World) -> None:
    visit = denunciation_visit(world)
    url = reverse("reception_staff:visit", args=[visit.pk])
    for user in (world.officer2, world.commission):
        response = login(user).get(url)
        assert response.status_code == 200
        assert DENOUNCER not in response.text
        assert 'data-testid="person-redacted"' in response.text
    for user in (world.place.officer, world.place.chairman):
        response = login(user).get(url)
        assert DENOUNCER in response.text


def test_follow_up_is_recorded_and_a_too_long_text_is_refused(world: World) -> None:
    visit = record(world)
    client = login(world.place.officer)
    url = reverse("reception_staff:visit_step", args=[visit.pk, "follow-up"])
    response = client.post(url, {"result_follow_up": "x" * 10_001, "notes": ""})
    assert response.status_code == 200
    assert 'data-step="follow-up" open' in response.text
    response = client.post(url, {"result_follow_up": "Đã chuyển Sở Xây dựng", "notes": "Gọi lại"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.result_follow_up == "Đã chuyển Sở Xây dựng"
    assert visit.notes == "Gọi lại"
    assert login(world.commission).post(url, {"result_follow_up": "z"}).status_code == 302
    visit.refresh_from_db()
    assert visit.result_follow_up == "Đã chuyển Sở Xây dựng"


def test_refusal_notice_is_recorded_once(world: World) -> None:
    visit = record(world, kind="complaint", outcome="refused", refusal_ground="already_resolved")
    client = login(world.place.officer)
    url = reverse("reception_staff:visit_step", args=[visit.pk, "refusal-notice"])
    response = client.post(url, {"number": "01/TB-TCD", "sent_on": "2026-09-01"})
    assert response.status_code == 200
    assert vi("A refusal notice is sent on or after the visit.") in response.text
    response = client.post(url, {"number": "01/TB-TCD", "sent_on": f"{TODAY:%Y-%m-%d}"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.refusal_notice_number == "01/TB-TCD"


def receipt_form(**changes: str) -> dict[str, str]:
    data = {
        "handed_over_by": CITIZEN,
        "documents-TOTAL_FORMS": "3",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "100",
        "documents-0-title": "Đơn khiếu nại",
        "documents-0-pages": "2",
        "documents-0-copy": "original",
        "documents-1-pages": "1",
        "documents-1-copy": "original",
        "documents-2-pages": "1",
        "documents-2-copy": "original",
    }
    data.update(changes)
    return data


def test_receipt_is_issued_printed_and_downloaded(world: World) -> None:
    visit = record(world)
    client = login(world.place.officer)
    url = reverse("reception_staff:visit_step", args=[visit.pk, "receipt"])
    response = client.post(url, receipt_form(**{"documents-0-title": ""}))
    assert response.status_code == 200
    assert not Receipt.objects.exists()
    response = client.post(url, receipt_form(), follow=True)
    receipt = Receipt.objects.get()
    assert response.redirect_chain[-1][0] == reverse("reception_staff:receipt", args=[receipt.pk])
    assert "GIẤY BIÊN NHẬN" in response.text
    assert "Đơn khiếu nại" in response.text
    assert CITIZEN in response.text
    assert "@page" in response.text
    assert "A4" in response.text
    word = client.get(reverse("reception_staff:receipt_docx", args=[receipt.pk]))
    assert word.status_code == 200
    assert word["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert (
        login(world.outsider)
        .get(reverse("reception_staff:receipt", args=[receipt.pk]))
        .status_code
        == 404
    )


def test_receipt_of_a_protected_visit_is_forbidden_to_who_may_not_see_the_visitor(
    world: World,
) -> None:
    visit = denunciation_visit(world)
    receipt = visits.receipt_issue(
        actor=world.place.officer,
        visit=visit,
        handed_over_by=DENOUNCER,
        documents=[{"title": "Đơn tố cáo", "pages": 1, "copy": "original"}],
    )
    url = reverse("reception_staff:receipt", args=[receipt.pk])
    for target in (url, reverse("reception_staff:receipt_docx", args=[receipt.pk])):
        response = login(world.commission).get(target)
        assert_forbidden(response)
        assert DENOUNCER not in response.content.decode()
    assert login(world.place.chairman).get(url).status_code == 200
