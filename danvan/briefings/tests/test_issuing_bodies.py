"""An administrator chooses each issuing body's document format (state or Party)."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from danvan.briefings.models import DocumentFormat, IssuingBody
from danvan.briefings.tests.factories import DONG_THAP, commission
from danvan.core.models import AuditEvent
from danvan.geo.models import Commune, Province
from danvan.orgs.models import OrganizationKind, OrganizationLevel
from danvan.orgs.services import organization_create

pytestmark = pytest.mark.django_db

INDEX = "briefing_issuing_bodies:index"
ADD = "briefing_issuing_bodies:add"


def _form(organization_id: int, **changes: Any) -> dict[str, Any]:
    data = {
        "organization": organization_id,
        "document_format": DocumentFormat.STATE,
        "parent_name": "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP",
        "body_name": "VĂN PHÒNG",
        "symbol": "VP",
        "place_name": "Đồng Tháp",
        "signer_authority": "TL. CHỦ TỊCH",
        "signer_title": "Chánh Văn phòng",
        "signer_name": "Trần Thị Thu",
        "header_size": "12",
        "body_size": "14",
    }
    data.update(changes)
    return data


def _administrator(django_user_model: Any) -> Client:
    user = django_user_model.objects.create_user("quantri", password="pw")
    user.groups.add(Group.objects.get(name="Quản trị viên"))
    client = Client()
    client.force_login(user)
    return client


def test_an_administrator_chooses_the_state_format_and_it_is_audited(
    django_user_model: Any,
) -> None:
    body = commission(DONG_THAP)
    client = _administrator(django_user_model)

    response = client.post(reverse(ADD), _form(body.pk))

    assert response.status_code == 302
    issuer = IssuingBody.objects.get(organization=body)
    assert issuer.document_format == DocumentFormat.STATE
    assert issuer.symbol == "VP"
    event = AuditEvent.objects.get(action="issuing_body.create")
    assert event.data == {"organization": body.pk, "format": DocumentFormat.STATE}
    assert client.get(reverse(INDEX)).status_code == 200


def test_a_commune_body_cannot_be_chosen(django_user_model: Any) -> None:
    commune_body = organization_create(
        actor=None,
        code="ubnd-xa-thu",
        name="Ủy ban nhân dân xã Thử",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=OrganizationLevel.COMMUNE,
        province=Province.objects.get(code=DONG_THAP),
        commune=Commune.objects.filter(province_id=DONG_THAP).first(),
    )
    client = _administrator(django_user_model)

    response = client.post(reverse(ADD), _form(commune_body.pk))

    assert response.status_code == 200
    assert not IssuingBody.objects.exists()
    assert "organization" in response.context["form"].errors


def test_staff_without_the_right_cannot_open_the_pages(django_user_model: Any) -> None:
    user = django_user_model.objects.create_user("canbo", password="pw", is_staff=True)
    client = Client()
    client.force_login(user)

    response = client.get(reverse(INDEX))

    assert response.status_code in (302, 403)
    assert client.post(reverse(ADD), _form(commission(DONG_THAP).pk)).status_code != 200
    assert not IssuingBody.objects.exists()


def test_the_list_costs_the_same_queries_whatever_its_length(django_user_model: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _administrator(django_user_model)
    IssuingBody.objects.create(
        organization=commission(DONG_THAP), body_name="BAN", symbol="BTGDVTU", place_name="X"
    )
    client.get(reverse(INDEX))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(INDEX))
    IssuingBody.objects.create(
        organization=commission(91), body_name="BAN", symbol="BTGDVTU", place_name="Y"
    )
    with CaptureQueriesContext(connection) as two:
        response = client.get(reverse(INDEX))

    assert response.status_code == 200
    assert len(two.captured_queries) == len(one.captured_queries)
