"""The filters of the staff inbox and the commune of the intake form.

A commune is chosen in the commune chooser (a dialog with a search), never
from a list of every commune on the page: a superuser's inbox listed 3,321
of them. A user filters only on communes of the provinces they read; any
other commune is an error next to the field, and the page shows nothing
that the user could not read anyway.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django import DjangoAssertNumQueries

from danvan.geo.models import Commune, Province
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import membership_grant, organization_create
from danvan.petitions.forms_staff import InboxFilterForm, IntakeForm
from danvan.petitions.models import Petition
from danvan.petitions.tests.conftest import COMMUNE, translated
from danvan.petitions.tests.factories import (
    DONG_THAP,
    OrgTree,
    make_petition,
    org_tree,
    staff_user,
)
from danvan.petitions.views_inbox import home_province
from danvan.petitions.workflow import PetitionKind

pytestmark = pytest.mark.django_db

INBOX = "/admin/petitions/"
AN_GIANG = 91


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def login(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def other_commune() -> Commune:
    """A commune of Đồng Tháp other than `COMMUNE`."""
    return Commune.objects.filter(province_id=DONG_THAP).exclude(pk=COMMUNE).order_by("pk")[0]


def an_giang_commune() -> Commune:
    return Commune.objects.filter(province_id=AN_GIANG).order_by("pk")[0]


@pytest.fixture
def tree() -> OrgTree:
    return org_tree()


@pytest.fixture
def an_giang() -> Organization:
    return organization_create(
        actor=None,
        code="t-ubnd-an-giang",
        name="Ủy ban nhân dân tỉnh An Giang",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=OrganizationLevel.PROVINCE,
        province=Province.objects.get(code=AN_GIANG),
    )


def test_no_page_lists_every_commune(tree: OrgTree) -> None:
    superuser = get_user_model().objects.create_superuser("quantri", password="x-Strong-Pass-1")
    head = staff_user(tree.inspectorate, Role.HEAD, username="chanhthanhtra")
    officer = staff_user(tree.inspectorate, Role.RECEPTION_OFFICER, username="tiepdan")
    for user, path in (
        (superuser, INBOX),
        (head, INBOX),
        (superuser, reverse("petitions_staff:intake")),
        (officer, reverse("petitions_staff:intake")),
    ):
        text = login(user).get(path).text
        # The filters and the assignees: a few dozen options, not 3,321.
        assert text.count("<option") < 100, (user.username, path)
        assert 'name="commune"' in text
        assert "/admin/commune_chooser/" in text
        assert "wagtailadmin/js/chooser-widget.js" in text


def test_the_commune_dialog_opens_on_the_users_province(tree: OrgTree) -> None:
    handler = staff_user(tree.inspectorate, Role.HANDLER, username="xuly")
    superuser = get_user_model().objects.create_superuser("quantri", password="x-Strong-Pass-1")
    assert home_province(handler) == DONG_THAP
    assert home_province(superuser) is None
    assert f'data-chooser-url="/admin/commune_chooser/?province={DONG_THAP}"' in (
        login(handler).get(INBOX).text
    )
    assert 'data-chooser-url="/admin/commune_chooser/"' in login(superuser).get(INBOX).text
    # The dialog answers a handler, on that province (the user may clear it).
    dialog = login(handler).get(
        "/admin/commune_chooser/", {"province": str(DONG_THAP), "q": "my tho"}
    )
    assert dialog.status_code == 200
    assert "Phường Mỹ Tho" in dialog.json()["html"]


def test_home_province_is_none_for_bodies_in_several_provinces(
    tree: OrgTree, an_giang: Organization
) -> None:
    user = staff_user(tree.inspectorate, Role.HANDLER, username="xuly")
    assert home_province(user) == DONG_THAP
    membership_grant(actor=None, user=user, organization=an_giang, role=Role.HANDLER)
    user = get_user_model().objects.get(pk=user.pk)  # memberships are read once per user object
    assert home_province(user) is None


def test_filter_by_a_commune_the_user_reads(tree: OrgTree) -> None:
    here = make_petition(organization=tree.inspectorate, title="Đèn đường hỏng")
    there = make_petition(
        organization=tree.inspectorate, title="Cống tắc", commune_code=other_commune().pk
    )
    head = staff_user(tree.inspectorate, Role.HEAD, username="chanhthanhtra")
    text = login(head).get(INBOX, {"commune": COMMUNE}).text
    assert here.code in text
    assert there.code not in text
    # The chooser shows the chosen commune with its province.
    assert "Phường Mỹ Tho (Tỉnh Đồng Tháp)" in text
    assert f'name="commune" value="{COMMUNE}"' in text
    assert "errorlist" not in text


def test_a_commune_outside_the_users_provinces_is_an_error_not_a_leak(
    tree: OrgTree, an_giang: Organization
) -> None:
    mine = make_petition(organization=tree.inspectorate, kind=PetitionKind.COMPLAINT)
    feedback = make_petition(organization=tree.inspectorate, kind=PetitionKind.FEEDBACK)
    elsewhere = make_petition(organization=an_giang, commune_code=an_giang_commune().pk)
    handler = staff_user(tree.inspectorate, Role.HANDLER, username="xuly")
    response = login(handler).get(
        INBOX, {"commune": str(an_giang_commune().pk), "kind": "complaint"}
    )
    assert response.status_code == 200
    text = response.text
    assert 'id="id_commune_error"' in text
    assert elsewhere.code not in text
    # The valid filters still apply.
    assert mine.code in text
    assert feedback.code not in text

    form = InboxFilterForm({"commune": str(an_giang_commune().pk)}, user=handler)
    assert form.filters().commune is None
    assert "commune" in form.errors


def test_a_commune_that_is_not_a_code_is_an_error(tree: OrgTree) -> None:
    handler = staff_user(tree.inspectorate, Role.HANDLER, username="xuly")
    response = login(handler).get(INBOX, {"commune": "x'); DROP"})
    assert response.status_code == 200
    assert 'id="id_commune_error"' in response.text


def test_the_commune_filter_costs_one_query(
    tree: OrgTree, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    make_petition(organization=tree.inspectorate)
    head = staff_user(tree.inspectorate, Role.HEAD, username="chanhthanhtra")
    client = login(head)
    client.get(INBOX)  # warm the session and the caches
    # Session, user, its two permission queries, Wagtail's profile, the
    # memberships (bulk assignment, commune dialog, the bodies read), the
    # bodies below the one the head heads, the page's ids, its rows, their
    # petitioners, the assignees and Wagtail's locales. Wagtail's menu (page
    # and collection permissions) was built by the first page and is cached
    # (core/admin_sidebar.py, decision 0014).
    with django_assert_num_queries(12) as bare:
        client.get(INBOX)
    # Checking the commune is one query; the chooser shows it without another.
    with django_assert_num_queries(len(bare.captured_queries) + 1):
        client.get(INBOX, {"commune": COMMUNE})


def test_rows_print_labels_dates_and_links(tree: OrgTree) -> None:
    petition = make_petition(organization=tree.inspectorate, kind=PetitionKind.COMPLAINT)
    head = staff_user(tree.inspectorate, Role.HEAD, username="chanhthanhtra")
    text = login(head).get(INBOX).text
    assert f'href="{reverse("petitions_staff:case", args=[petition.code])}"' in text
    with translation.override("vi"):  # the back-office speaks the user's language
        assert str(PetitionKind.COMPLAINT.label) in text
        assert str(petition.get_status_display()) in text
        not_assigned = translation.gettext("Not assigned")
    assert not_assigned != "Not assigned"
    assert not_assigned in text
    assert timezone.localtime(petition.received_at).strftime("%d/%m/%Y") in text
    assert f'aria-label="{translated("Select %(code)s", code=petition.code)}"' in text


def test_intake_refuses_a_commune_outside_the_officers_provinces(tree: OrgTree) -> None:
    officer = staff_user(tree.inspectorate, Role.RECEPTION_OFFICER, username="tiepdan")
    form = IntakeForm(user=officer)
    assert form.fields["commune"].widget.province == DONG_THAP  # type: ignore[attr-defined]
    data = {
        "organization": str(tree.inspectorate.pk),
        "channel": "in_person",
        "commune": str(an_giang_commune().pk),
        "people_count": "1",
        "parts-TOTAL_FORMS": "1",
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "1",
        "parts-MAX_NUM_FORMS": "5",
        "parts-0-kind": "complaint",
        "parts-0-title": "Khiếu nại việc thu hồi đất",
        "parts-0-content": "Gia đình không đồng ý với mức bồi thường.",
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "20",
        "people-0-name": "Phạm Thị Hoa",
        "is_signed": "on",
    }
    before = Petition.objects.count()
    response = login(officer).post(reverse("petitions_staff:intake"), data)
    assert response.status_code == 200
    assert 'id="id_commune_error"' in response.text
    assert Petition.objects.count() == before
    data["commune"] = str(COMMUNE)
    assert login(officer).post(reverse("petitions_staff:intake"), data).status_code == 302
    assert Petition.objects.count() == before + 1
