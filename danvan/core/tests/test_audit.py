"""The audit trail: written by services, append-only, browsable by administrators."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client

from danvan.core.audit import audit_record, audit_record_view
from danvan.core.models import AuditEvent
from danvan.core.request_context import RequestInfo, reset_request_info, set_request_info

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def officer():  # type: ignore[no-untyped-def]
    return User.objects.create_user("canbo", password="x-Strong-Pass-1")


def test_audit_record_stores_actor_target_and_request(officer) -> None:  # type: ignore[no-untyped-def]
    token = set_request_info(RequestInfo(ip_address="203.0.113.7", request_id="abc123"))
    try:
        event = audit_record(
            actor=officer, action="user.touch", target=officer, data={"field": "x"}
        )
    finally:
        reset_request_info(token)
    event.refresh_from_db()
    assert event.actor == officer
    assert event.actor_username == "canbo"
    assert event.target_type == "core.user"
    assert event.target_id == str(officer.pk)
    assert event.ip_address == "203.0.113.7"
    assert event.request_id == "abc123"
    assert event.data == {"field": "x"}
    assert event.kind == AuditEvent.Kind.WRITE


def test_view_of_protected_data_is_recorded_as_a_view(officer) -> None:  # type: ignore[no-untyped-def]
    event = audit_record_view(actor=officer, target=officer, fields=["phone", "name"])
    assert event.kind == AuditEvent.Kind.VIEW
    assert event.action == "user.view_protected"
    assert event.data["fields"] == ["name", "phone"]


def test_anonymous_actor_is_recorded_without_a_user() -> None:
    event = audit_record(actor=None, action="units.load")
    assert event.actor is None
    assert event.actor_username == ""


def test_audit_event_cannot_be_changed_through_the_model(officer) -> None:  # type: ignore[no-untyped-def]
    event = audit_record(actor=officer, action="user.touch")
    event.action = "forged"
    with pytest.raises(AuditEvent.ImmutableError, match="Không được sửa"):
        event.save()
    with pytest.raises(AuditEvent.ImmutableError, match="Không được xóa"):
        event.delete()


def test_audit_events_cannot_be_changed_or_deleted_in_bulk(officer) -> None:  # type: ignore[no-untyped-def]
    audit_record(actor=officer, action="user.touch")
    with pytest.raises(AuditEvent.ImmutableError):
        AuditEvent.objects.filter(actor=officer).update(action="forged")
    with pytest.raises(AuditEvent.ImmutableError):
        AuditEvent.objects.filter(actor=officer).delete()
    assert AuditEvent.objects.filter(action="user.touch").count() == 1


def test_database_refuses_to_update_an_audit_event(officer) -> None:  # type: ignore[no-untyped-def]
    event = audit_record(actor=officer, action="user.touch")
    from django.db import connection

    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE core_auditevent SET action = %s WHERE id = %s", ["forged", event.pk]
        )
    assert AuditEvent.objects.get(pk=event.pk).action == "user.touch"


def test_superuser_browses_and_filters_the_audit_trail(officer) -> None:  # type: ignore[no-untyped-def]
    audit_record(actor=officer, action="organization.create")
    audit_record(actor=officer, action="calendaroverride.set")
    admin = User.objects.create_superuser("quantri", password="x-Strong-Pass-1")
    client = Client()
    client.force_login(admin)
    response = client.get("/admin/audit/", {"action": "organization.create"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "organization.create" in content
    assert "calendaroverride.set" not in content


def test_nobody_can_add_edit_or_delete_audit_events_in_the_back_office(officer) -> None:  # type: ignore[no-untyped-def]
    event = audit_record(actor=officer, action="organization.create")
    admin = User.objects.create_superuser("quantri", password="x-Strong-Pass-1")
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/audit/new/").status_code == 404
    assert client.get(f"/admin/audit/edit/{event.pk}/").status_code == 404
    assert client.post(f"/admin/audit/delete/{event.pk}/").status_code == 404
    assert client.get(f"/admin/audit/inspect/{event.pk}/").status_code == 200
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_staff_without_the_view_permission_cannot_browse_the_audit_trail(officer) -> None:  # type: ignore[no-untyped-def]
    officer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(officer)
    response = client.get("/admin/audit/")
    assert response.status_code in (302, 403)
    officer.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    officer = User.objects.get(pk=officer.pk)
    client.force_login(officer)
    assert client.get("/admin/audit/").status_code == 200


def test_full_name_is_written_family_name_first() -> None:
    user = User(username="an", last_name="Nguyễn Văn", first_name="An")
    assert user.get_full_name() == "Nguyễn Văn An"
    assert user.get_short_name() == "An"
    assert User(username="x", first_name="An").get_full_name() == "An"
