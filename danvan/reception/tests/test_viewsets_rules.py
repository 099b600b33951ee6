"""The back-office pages of the leaders' minimum duty days (`viewsets_rules.py`).

The viewset is registered in the back-office by `reception.wagtail_hooks`;
until it is, the fixture mounts it the way Wagtail does, as the calendar
override tests do.
"""

import datetime
from types import ModuleType
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import include, path, reverse

from danvan.core.models import AuditEvent
from danvan.orgs.models import OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import membership_grant, organization_create
from danvan.petitions.tests.conftest import translated
from danvan.petitions.tests.factories import staff_user
from danvan.reception import rules, schedules
from danvan.reception.models import DutyPeriod, DutyRule, LeaderCategory, RuleStatus
from danvan.reception.tests.factories import ReceptionPlace, reception_place
from danvan.reception.viewsets_rules import DutyRulePermissionPolicy, duty_rule_viewset

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def _mounted(settings: Any) -> None:
    """Reach the duty rule pages at /admin/duty_rules/ whether or not a hook mounts them."""
    from wagtail.admin.viewsets import viewsets

    from config import urls as project_urls

    patterns = list(project_urls.urlpatterns)
    if not any(viewset.name == duty_rule_viewset.name for viewset in viewsets.viewsets):
        patterns.insert(
            0,
            path(
                "admin/duty_rules/",
                include(
                    (duty_rule_viewset.get_urlpatterns(), duty_rule_viewset.name),
                    namespace=duty_rule_viewset.name,
                ),
            ),
        )
    urlconf = ModuleType("duty_rule_test_urls")
    urlconf.urlpatterns = patterns  # type: ignore[attr-defined]
    settings.ROOT_URLCONF = urlconf


@pytest.fixture
def place() -> ReceptionPlace:
    return reception_place()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _commune_rule() -> DutyRule:
    """The 2014 minimum of commune chairmen, seeded by `0002_duty_rules`."""
    return DutyRule.objects.get(category=LeaderCategory.COMMUNE_CHAIRMAN, valid_from=D(2014, 7, 1))


def _form(rule: DutyRule | None = None, **changes: Any) -> dict[str, str]:
    data = {
        "category": LeaderCategory.COMMUNE_CHAIRMAN,
        "days": "2",
        "period": DutyPeriod.WEEK,
        "legal_basis": "Luật 136/2025/QH15 (giả định)",
        "status": RuleStatus.UNCONFIRMED,
        "note": "",
        "valid_from": "2027-07-01",
        "valid_to": "",
    }
    if rule is not None:
        data.update(
            {
                "category": rule.category,
                "days": str(rule.days),
                "period": rule.period,
                "legal_basis": rule.legal_basis,
                "status": rule.status,
                "note": rule.note,
                "valid_from": rule.valid_from.isoformat(),
                "valid_to": rule.valid_to.isoformat() if rule.valid_to else "",
            }
        )
    data.update({key: str(value) for key, value in changes.items()})
    return data


def _central_admin(username: str = "qt-tw") -> Any:
    """An administrator of a central body: the only one who may change the minimums."""
    central = organization_create(
        actor=None,
        code=f"{username}-ttcp",
        name="Thanh tra Chính phủ",
        kind=OrganizationKind.DEPARTMENT,
        level=OrganizationLevel.CENTRAL,
    )
    return staff_user(central, Role.ADMINISTRATOR, username=username)


def _refused(response: Any) -> bool:
    """Wagtail answers a refusal with a redirect to the dashboard (or a 403)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def test_an_administrator_changes_the_minimum_from_a_date(place) -> None:
    admin = _central_admin()
    client = _client(admin)
    old = _commune_rule()

    closed = client.post(
        reverse("duty_rules:edit", args=[old.pk]), _form(old, valid_to="2027-06-30")
    )
    added = client.post(reverse("duty_rules:add"), _form())

    assert closed.status_code == 302, closed.context and closed.context["form"].errors
    assert added.status_code == 302, added.context and added.context["form"].errors
    old.refresh_from_db()
    assert old.valid_to == D(2027, 6, 30)
    new = DutyRule.objects.get(category=LeaderCategory.COMMUNE_CHAIRMAN, valid_from=D(2027, 7, 1))
    assert (new.days, new.period, new.status) == (2, DutyPeriod.WEEK, RuleStatus.UNCONFIRMED)
    assert rules.duty_rule_for(LeaderCategory.COMMUNE_CHAIRMAN, D(2027, 6, 30)) == old
    assert rules.duty_rule_for(LeaderCategory.COMMUNE_CHAIRMAN, D(2027, 7, 1)) == new

    update = AuditEvent.objects.get(action="duty_rule.update")
    assert update.actor == admin
    assert update.data["valid_to"] == "2027-06-30"
    assert update.data["previous"]["valid_to"] is None
    assert update.data["previous"]["days"] == 1
    create = AuditEvent.objects.get(action="duty_rule.create")
    assert (create.data["days"], create.data["previous"]) == (2, None)

    # The compliance of the commune chairman follows: July 2027 has four
    # Mondays (5, 12, 19, 26) → 4 × 2 = 8; June 2027 (7, 14, 21, 28) → 4 × 1.
    def required(month: int) -> int:
        (row,) = schedules.leader_compliance(organizations=[place.commune], year=2027, month=month)
        return row.days_required

    assert (required(6), required(7)) == (4, 8)


def test_staff_may_view_but_not_change(place) -> None:
    client = _client(place.officer)
    old = _commune_rule()

    index = client.get(reverse("duty_rules:index"))
    assert index.status_code == 200
    listed = {(rule.category, rule.valid_from) for rule in index.context["object_list"]}
    assert (LeaderCategory.COMMUNE_CHAIRMAN, D(2014, 7, 1)) in listed
    assert (LeaderCategory.PROVINCE_CHAIRMAN, D(2014, 7, 1)) in listed

    assert _refused(client.get(reverse("duty_rules:add")))
    assert _refused(client.post(reverse("duty_rules:add"), _form()))
    assert _refused(client.post(reverse("duty_rules:edit", args=[old.pk]), _form(old, days=3)))
    assert _refused(client.post(reverse("duty_rules:delete", args=[old.pk])))
    old.refresh_from_db()
    assert (old.days, old.valid_to) == (1, None)
    assert DutyRule.objects.filter(valid_from=D(2027, 7, 1)).count() == 0
    assert not AuditEvent.objects.filter(action__startswith="duty_rule.").exists()


def test_a_user_who_works_for_no_body_sees_nothing(django_user_model) -> None:
    stranger = django_user_model.objects.create_user(username="la", password="x")
    stranger.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert _refused(_client(stranger).get(reverse("duty_rules:index")))


def test_only_a_superuser_deletes_a_rule(place) -> None:
    admin = _central_admin()
    root = staff_user(username="root", is_superuser=True)
    mistaken = DutyRule.objects.create(
        category=LeaderCategory.AGENCY_HEAD,
        days=9,
        period=DutyPeriod.MONTH,
        legal_basis="Nhập nhầm",
        valid_from=D(2027, 1, 1),
    )

    assert _refused(_client(admin).post(reverse("duty_rules:delete", args=[mistaken.pk])))
    assert DutyRule.objects.filter(pk=mistaken.pk).exists()

    response = _client(root).post(reverse("duty_rules:delete", args=[mistaken.pk]))
    assert response.status_code == 302
    assert not DutyRule.objects.filter(pk=mistaken.pk).exists()
    event = AuditEvent.objects.get(action="duty_rule.delete")
    assert (event.actor, event.target_id, event.data["days"]) == (root, str(mistaken.pk), 9)


def test_bad_input_is_shown_on_the_form(place) -> None:
    client = _client(_central_admin())

    backwards = client.post(
        reverse("duty_rules:add"), _form(valid_from="2027-07-01", valid_to="2027-06-30")
    )
    zero = client.post(reverse("duty_rules:add"), _form(days=0))
    too_many = client.post(reverse("duty_rules:add"), _form(days=32))
    no_basis = client.post(reverse("duty_rules:add"), _form(legal_basis=""))
    bad_period = client.post(reverse("duty_rules:add"), _form(period="year"))

    assert backwards.status_code == 200
    assert backwards.context["form"].errors["valid_to"] == [
        translated("The end date cannot be before the start date.")
    ]
    for response, field in (
        (zero, "days"),
        (too_many, "days"),
        (no_basis, "legal_basis"),
        (bad_period, "period"),
    ):
        assert response.status_code == 200
        assert list(response.context["form"].errors) == [field]
    assert not DutyRule.objects.filter(valid_from=D(2027, 7, 1)).exists()
    assert not AuditEvent.objects.filter(action__startswith="duty_rule.").exists()


def test_pages_render_for_a_superuser() -> None:
    client = _client(staff_user(username="root", is_superuser=True))
    rule = _commune_rule()
    for url in (
        reverse("duty_rules:index"),
        reverse("duty_rules:add"),
        reverse("duty_rules:edit", args=[rule.pk]),
        reverse("duty_rules:copy", args=[rule.pk]),
        reverse("duty_rules:delete", args=[rule.pk]),
    ):
        assert client.get(url).status_code == 200, url
    filtered = client.get(reverse("duty_rules:index"), {"period": DutyPeriod.WEEK})
    assert {rule.period for rule in filtered.context["object_list"]} == {DutyPeriod.WEEK}


def test_permission_policy_matrix(place, django_user_model) -> None:
    policy = DutyRulePermissionPolicy(DutyRule)
    admin = _central_admin()
    root = staff_user(username="root", is_superuser=True)
    former_admin = staff_user(username="qt-cu")
    membership_grant(
        actor=None,
        user=former_admin,
        organization=place.commune,
        role=Role.ADMINISTRATOR,
        valid_from=D(2020, 1, 1),
        valid_to=D(2020, 12, 31),
    )
    inactive_root = staff_user(username="root-nghi", is_superuser=True, is_active=False)
    stranger = django_user_model.objects.create_user(username="la")

    def matrix(user: Any) -> tuple[bool, ...]:
        user = django_user_model.objects.get(pk=user.pk)  # no cached answer
        return tuple(
            policy.user_has_permission(user, action)
            for action in ("view", "add", "change", "delete")
        )

    assert matrix(root) == (True, True, True, True)
    assert matrix(admin) == (True, True, True, False)
    commune_admin = staff_user(place.commune, Role.ADMINISTRATOR, username="qt-xa")
    assert matrix(commune_admin) == (True, False, False, False)
    assert matrix(place.officer) == (True, False, False, False)
    assert matrix(place.chairman) == (True, False, False, False)
    assert matrix(former_admin) == (False, False, False, False)
    assert matrix(inactive_root) == (False, False, False, False)
    assert matrix(stranger) == (False, False, False, False)

    editors = set(policy.users_with_any_permission(["change"]).values_list("username", flat=True))
    assert {"root", "qt-tw"} <= editors
    assert not editors & {place.officer.username, "qt-xa", "qt-cu", "root-nghi", "la"}
    viewers = set(policy.users_with_permission("view").values_list("username", flat=True))
    assert {place.officer.username, place.chairman.username, "qt-xa", "qt-tw", "root"} <= viewers
    assert not viewers & {"qt-cu", "root-nghi", "la"}
