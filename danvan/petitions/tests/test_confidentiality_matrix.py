"""The denouncer's identity on every surface that shows a petition, for every role.

Luật Tố cáo 2018 Art. 8, 9, 47 and 56; decision 0009. One denunciation
held by the provincial inspectorate (under the province people's
committee), assigned to handler A, whose denouncer has five distinctive
identity strings; and a second one whose denouncer waived the protection.
For every surface × role × petition the matrix asserts the status, that
no identity string appears in the answer (HTML, JSON, the cells of the
workbook, the downloaded file, its headers) except where the policy
allows it, that `petition.identity_view` is written exactly when an
identity was shown, that the audit trail never holds an identity, and
that nothing of it reaches the logs. Then the emails, the search, the
error page and a failed email task.

The data is built once for the module (inside a transaction rolled back
at the end); each test runs in its own savepoint.
"""

import datetime
import html
import io
import json
import logging
import smtplib
import urllib.parse
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from danvan.api.services import api_token_issue
from danvan.core.models import AuditEvent
from danvan.orgs.models import Role
from danvan.petitions import handling, keys, notifications
from danvan.petitions.confidentiality import IDENTITY_VIEW_ACTION
from danvan.petitions.models import Attachment, CaseEvent, Petition
from danvan.petitions.services import PetitionerInput
from danvan.petitions.tests.factories import make_petition, org_tree, staff_user
from danvan.petitions.views_files import ATTACHMENT_VIEW_ACTION
from danvan.petitions.workflow import PetitionKind

pytestmark = pytest.mark.django_db

#: The protected denouncer: every string unique to them.
DENOUNCER = PetitionerInput(
    name="Trịnh Xuân Quýnh Bímật",
    identity_number="079188844477",
    phone="0909 717 272",
    email="to.cao.bimat@example.vn",
    address="88 Ngõ Kín Đáo, phường Mỹ Tho",
)
#: A denouncer who waived the protection (Petitioner.protection_waived).
WAIVER = PetitionerInput(
    name="Đặng Thị Công Khai",
    identity_number="079166655544",
    phone="0911 818 383",
    email="cong.khai.waiver@example.vn",
    address="99 Hẻm Minh Bạch, phường Mỹ Tho",
    protection_waived=True,
)

PETITIONS = ("protected", "waived")


def traces(person: PetitionerInput) -> tuple[str, ...]:
    """The strings that would give `person` away."""
    return (person.name, person.identity_number, person.phone, person.email, person.address)


PEOPLE = {"protected": DENOUNCER, "waived": WAIVER}

ROLES = (
    "handler_a",  # handler of the inspectorate, assigned
    "handler_b",  # another handler of the inspectorate
    "head",  # head of the inspectorate
    "head_parent",  # head of the province people's committee, above it
    "reception_parent",  # reception officer of the province people's committee
    "commission_parent",  # commission staff of the province people's committee
    "admin_parent",  # administrator of the province people's committee
    "head_elsewhere",  # head of another province's committee
    "superuser",
    "anonymous",
)
#: Who may see a protected denouncer (the assigned handler, the heads above).
SEERS = frozenset({"handler_a", "head", "head_parent"})
#: Who may open the petition at all.
READERS = SEERS | {"handler_b", "commission_parent", "admin_parent", "superuser"}
STAFF = frozenset(ROLES) - {"anonymous"}
#: Who may read the audit trail (`core.view_auditevent`).
AUDITORS = frozenset({"admin_parent", "superuser"})


@dataclass
class World:
    users: dict[str, Any]
    petitions: dict[str, Petition]
    keys: dict[str, str]
    revealing: dict[str, Attachment]  # the denouncer's own document
    redacted: dict[str, Attachment]  # the handler's redacted copy


def _attach(petition: Petition, name: str, content: bytes, *, reveals: bool) -> Attachment:
    return Attachment.objects.create(
        petition=petition,
        file=ContentFile(content, name="x"),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=("c" if reveals else "d") * 64,
        reveals_identity=reveals,
    )


def _build() -> World:
    tree = org_tree()
    other = org_tree(prefix="x")
    spec = {
        "handler_a": (tree.inspectorate, Role.HANDLER),
        "handler_b": (tree.inspectorate, Role.HANDLER),
        "head": (tree.inspectorate, Role.HEAD),
        "head_parent": (tree.province, Role.HEAD),
        "reception_parent": (tree.province, Role.RECEPTION_OFFICER),
        "commission_parent": (tree.province, Role.COMMISSION_STAFF),
        "admin_parent": (tree.province, Role.ADMINISTRATOR),
        "head_elsewhere": (other.province, Role.HEAD),
    }
    users: dict[str, Any] = {}
    for role, (organization, membership) in spec.items():
        users[role] = staff_user(organization, membership, username=role.replace("_", "-"))
    users["superuser"] = staff_user(username="root", is_superuser=True)
    users["anonymous"] = None
    for role, user in users.items():
        if user is not None:
            user.email = f"{role}@staff.example.vn"
            user.save(update_fields=["email"])

    petitions: dict[str, Petition] = {}
    lookup: dict[str, str] = {}
    revealing: dict[str, Attachment] = {}
    redacted: dict[str, Attachment] = {}
    for label, person in PEOPLE.items():
        petition = make_petition(
            kind=PetitionKind.DENUNCIATION,
            organization=tree.inspectorate,
            assigned_to=users["handler_a"],
            petitioners=[person],
            title=f"Tố cáo cán bộ địa chính ({label})",
            content="Cán bộ địa chính nhận tiền để cấp giấy chứng nhận sai quy định.",
        )
        for action in ("classify", "accept"):
            petition = handling.petition_perform(
                petition=petition, actor=users["handler_a"], action=action, is_public=True
            )
        key = keys.lookup_key_new()
        # Overdue, so that the digests list it to the handler and the heads.
        Petition.objects.filter(pk=petition.pk).update(
            lookup_key_hash=keys.lookup_key_hash(key),
            expected_response_by=timezone.localdate() - datetime.timedelta(days=1),
        )
        petitions[label] = Petition.objects.get(pk=petition.pk)
        lookup[label] = key
        # The denouncer's scan: their name in the file name and in the handwriting.
        revealing[label] = _attach(
            petition,
            f"Đơn tố cáo - {person.name}.pdf",
            f"%PDF-1.4 {person.name} {person.identity_number} {person.address}".encode(),
            reveals=True,
        )
        redacted[label] = _attach(
            petition, "ban-sao-da-che.pdf", b"%PDF-1.4 ban sao da che", reveals=False
        )
    return World(users, petitions, lookup, revealing, redacted)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The organizations, the ten roles and the two denunciations, once per module."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build()
        yield built
        transaction.set_rollback(True)


# --- Reading an answer ------------------------------------------------------


def haystack(response: Any) -> str:
    """Everything a response shows: body (unzipped if xlsx), headers, decoded forms."""
    if hasattr(response, "streaming_content"):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    parts = [f"{name}: {value}" for name, value in response.items()]
    if body[:2] == b"PK":  # a workbook: search the XML of every part
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts += [archive.read(name).decode("utf-8") for name in archive.namelist()]
    else:
        text = body.decode("utf-8", errors="replace")
        parts += [text, html.unescape(text), urllib.parse.unquote(text)]
        if response.get("Content-Type", "").startswith("application/json"):
            parts.append(json.dumps(json.loads(body), ensure_ascii=False))
    joined = "\n".join(parts)
    return joined + "\n" + urllib.parse.unquote(joined)


def found(text: str, person: PetitionerInput) -> list[str]:
    return [trace for trace in traces(person) if trace in text]


def audit_json() -> str:
    return json.dumps(
        list(AuditEvent.objects.values()), ensure_ascii=False, default=str, sort_keys=True
    )


# --- The surfaces -----------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One request: a browser page (session) or an API call (bearer token)."""

    method: str
    path: str
    api: bool = False
    data: dict[str, str] | None = None
    echo: str = ""  # what the caller typed, echoed back (a search box)


def _staff_case(world: World, label: str) -> Call:
    return Call("get", reverse("petitions_staff:case", args=[world.petitions[label].code]))


def _file(world: World, attachment: Attachment, label: str) -> Call:
    code = world.petitions[label].code
    return Call("get", reverse("petition_attachment", args=[code, attachment.pk]))


def _year() -> str:
    today = timezone.localdate()
    return f"date_from={today.replace(month=1, day=1):%Y-%m-%d}&date_to={today:%Y-%m-%d}"


SURFACES: dict[str, Callable[[World, str], Call]] = {
    "admin_home": lambda w, p: Call("get", reverse("wagtailadmin_home")),
    "inbox": lambda w, p: Call("get", reverse("petitions_staff:inbox")),
    "inbox_all_kinds": lambda w, p: Call(
        "get", reverse("petitions_staff:inbox") + "?kind=denunciation&status=open"
    ),
    "case": _staff_case,
    "dashboard": lambda w, p: Call("get", reverse("petitions_staff:dashboard") + "?" + _year()),
    "dashboard_xlsx": lambda w, p: Call(
        "get", reverse("petitions_staff:dashboard") + "?format=xlsx&" + _year()
    ),
    "intake_form": lambda w, p: Call("get", reverse("petitions_staff:intake")),
    "api_inbox": lambda w, p: Call("get", "/api/v1/staff/petitions?limit=100", api=True),
    "api_case": lambda w, p: Call(
        "get", f"/api/v1/staff/petitions/{w.petitions[p].code}", api=True
    ),
    "file_revealing": lambda w, p: _file(w, w.revealing[p], p),
    "file_redacted": lambda w, p: _file(w, w.redacted[p], p),
    "audit_index": lambda w, p: Call("get", reverse("audit:index") + "?q=petition"),
    "portal_lookup": lambda w, p: Call(
        "post",
        reverse("petitions_portal:lookup"),
        data={"code": w.petitions[p].code, "key": w.keys[p]},
    ),
    "public_api": lambda w, p: Call(
        "get", f"/api/v1/petitions/{w.petitions[p].code}?key={w.keys[p]}"
    ),
    "wagtail_search": lambda w, p: Call(
        "get", reverse("wagtailadmin_pages:search") + "?q=" + PEOPLE[p].name, echo=PEOPLE[p].name
    ),
    "django_admin": lambda w, p: Call("get", reverse("admin:index")),
    "django_admin_tasks": lambda w, p: Call(
        "get", reverse("admin:django_tasks_database_dbtaskresult_changelist")
    ),
}


def expected_status(surface: str, role: str, label: str) -> int:
    """The status `role` gets on `surface` showing the petition `label`."""
    api = surface.startswith("api_")
    if role == "anonymous":
        if surface in {"portal_lookup", "public_api"}:
            return 200
        return 401 if api else 302
    if surface in {"portal_lookup", "public_api"}:
        return 200
    if surface in {"case", "api_case", "file_redacted"}:
        return 200 if role in READERS else 404
    if surface == "file_revealing":
        # A waived denouncer's documents open to every reader of the petition.
        return 200 if role in (READERS if label == "waived" else SEERS) else 404
    if surface == "audit_index":
        return 200 if role in AUDITORS else 302
    if surface.startswith("django_admin") or surface == "wagtail_search":
        # Page search needs page permissions; the Django admin, staff status.
        return 200 if role == "superuser" else 302
    if surface == "intake_form":
        # Who acts for a body (reception, handler, head) or the superuser.
        return 302 if role in {"commission_parent", "admin_parent"} else 200
    return 200


def identity_allowed(surface: str, role: str, label: str) -> bool:
    """Tell whether `role` may see the denouncer of `label` on `surface` (decision 0009)."""
    if surface not in {"case", "api_case", "file_revealing"}:
        return False
    if label == "waived":
        return role in READERS
    return role in SEERS


def request(client: Client, world: World, role: str, call: Call) -> Any:
    user = world.users[role]
    headers: dict[str, str] = {}
    if user is not None:
        if call.api:
            headers["Authorization"] = f"Bearer {api_token_issue(user=user).token}"
        else:
            client.force_login(user)
    if call.method == "post":
        return client.post(call.path, call.data or {}, headers=headers)
    return client.get(call.path, headers=headers)


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST="localhost")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("label", PETITIONS)
def test_identity_on_every_surface(
    world: World,
    client: Client,
    caplog: pytest.LogCaptureFixture,
    label: str,
    surface: str,
    role: str,
) -> None:
    """The status, the identity shown only where allowed, and its view recorded."""
    caplog.set_level(logging.DEBUG)
    petition = world.petitions[label]
    call = SURFACES[surface](world, label)
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = request(client, world, role, call)

    assert response.status_code == expected_status(surface, role, label), surface
    text = haystack(response)
    if call.echo:
        text = text.replace(call.echo, "").replace(urllib.parse.quote(call.echo), "")
    for other, person in PEOPLE.items():
        allowed = other == label and identity_allowed(surface, role, label)
        shown = found(text, person)
        if allowed:
            assert shown, f"{role} should see the {other} denouncer on {surface}"
        else:
            assert shown == [], f"{role} sees the {other} denouncer on {surface}"
    written = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))
    actions = [event.action for event in written]
    shown_here = identity_allowed(surface, role, label) and surface != "file_revealing"
    views = [e for e in written if e.action == IDENTITY_VIEW_ACTION]
    assert len(views) == (1 if shown_here else 0), actions
    if views:
        assert views[0].target_id == str(petition.pk)
        assert views[0].actor_id == world.users[role].pk
    opened = surface.startswith("file_") and response.status_code == 200
    assert actions.count(ATTACHMENT_VIEW_ACTION) == (1 if opened and label == "protected" else 0)
    trail = audit_json()
    logged = caplog.text
    for person in PEOPLE.values():
        assert found(trail, person) == []
        assert found(logged, person) == []


# --- Search never finds a denouncer ----------------------------------------


@pytest.mark.parametrize("role", sorted(STAFF))
@pytest.mark.parametrize("label", PETITIONS)
def test_searching_a_denouncer_finds_nothing(
    world: World, client: Client, label: str, role: str
) -> None:
    """The inbox page by name, the staff API by each identity field: no match, no trace."""
    person = PEOPLE[label]
    code = world.petitions[label].code
    path = reverse("petitions_staff:inbox") + "?" + urllib.parse.urlencode({"q": person.name})
    page = request(client, world, role, Call("get", path))
    assert page.status_code == 200
    assert code not in page.content.decode()
    text = haystack(page).replace(person.name, "").replace(urllib.parse.quote(person.name), "")
    assert found(text, person) == []

    token = {"Authorization": f"Bearer {api_token_issue(user=world.users[role]).token}"}
    for query in traces(person):
        answer = client.get("/api/v1/staff/petitions", {"q": query}, headers=token)
        assert answer.status_code == 200
        assert code not in {item["code"] for item in answer.json()["items"]}, query
        assert found(haystack(answer), person) == []


@pytest.mark.parametrize("role", sorted(READERS))
def test_readers_list_the_denunciations_without_their_petitioner(
    world: World, client: Client, role: str
) -> None:
    """The lists do show the petitions (the matrix above is not vacuous), never a name."""
    page = request(client, world, role, SURFACES["inbox"](world, "protected"))
    api = request(client, world, role, SURFACES["api_inbox"](world, "protected"))
    rows = {item["code"]: item for item in api.json()["items"]}
    for petition in world.petitions.values():
        assert petition.code in page.content.decode()
        assert rows[petition.code]["petitioner_name"] == ""


# --- Emails -----------------------------------------------------------------


def test_emails_never_carry_the_identity_except_the_address_they_go_to(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """The citizen's update and the digests to the handler and the heads."""
    for label, petition in world.petitions.items():
        with django_capture_on_commit_callbacks(execute=True):
            handling.petition_perform(
                petition=petition,
                actor=world.users["handler_a"],
                action="verify",
                note="Đoàn xác minh đã làm việc với các bên liên quan.",
                is_public=True,
            )
        citizen = [m for m in mail.outbox if PEOPLE[label].email in m.to]
        assert len(citizen) == 1
        assert citizen[0].to == [PEOPLE[label].email]
        sent = f"{citizen[0].subject}\n{citizen[0].body}"
        for person in PEOPLE.values():
            assert found(sent, person) == []
        assert petition.code in citizen[0].subject

    mail.outbox.clear()
    assert notifications.due_digests_send() >= 3
    recipients = {address for message in mail.outbox for address in message.to}
    for role in ("handler_a", "head", "head_parent"):
        assert world.users[role].email in recipients
    for message in mail.outbox:
        whole = "\n".join([str(message.subject), str(message.body), *message.to, *message.cc])
        for person in PEOPLE.values():
            assert found(whole, person) == []
    for person in PEOPLE.values():
        assert found(audit_json(), person) == []


def test_a_failed_email_to_the_denouncer_leaves_no_address_in_logs_or_task_results(
    world: World, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused recipient is quoted by the mail server; neither log nor result keeps it."""

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise smtplib.SMTPRecipientsRefused(
            {DENOUNCER.email: (550, f"5.1.1 <{DENOUNCER.email}> unknown".encode())}
        )

    monkeypatch.setattr(notifications, "send_mail", refuse)
    caplog.set_level(logging.DEBUG)
    event = CaseEvent.objects.filter(petition=world.petitions["protected"], is_public=True)
    result = notifications.citizen_notify.enqueue(event.latest("pk").pk)

    assert result.status == "FAILED"
    stored = "\n".join(error.traceback + error.exception_class_path for error in result.errors)
    assert found(stored, DENOUNCER) == []
    assert found(caplog.text, DENOUNCER) == []


# --- Error pages --------------------------------------------------------------


@override_settings(DEBUG=False)
def test_a_server_error_shows_and_logs_nothing_of_the_request(
    world: World, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 500 while receiving a denunciation at the desk: no echo of what was posted."""
    from danvan.petitions import views_intake

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(views_intake.services, "petition_receive", crash)
    caplog.set_level(logging.DEBUG)
    client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    client.force_login(world.users["handler_a"])
    inspectorate = world.petitions["protected"].organization
    assert inspectorate is not None
    form = client.get(reverse("petitions_staff:intake"))
    assert form.status_code == 200
    data = {
        "channel": "in_person",
        "organization": str(inspectorate.pk),
        "commune": "28261",
        "people_count": "1",
        "is_signed": "on",
        "parts-TOTAL_FORMS": "1",
        "parts-INITIAL_FORMS": "0",
        "parts-0-kind": "denunciation",
        "parts-0-title": "Tố cáo tại quầy",
        "parts-0-content": "Nội dung tố cáo.",
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-0-name": DENOUNCER.name,
        "people-0-identity_number": DENOUNCER.identity_number,
        "people-0-phone": DENOUNCER.phone,
        "people-0-email": DENOUNCER.email,
        "people-0-address": DENOUNCER.address,
    }
    response = client.post(reverse("petitions_staff:intake"), data)

    assert response.status_code == 500, response.content[:2000]
    assert found(haystack(response), DENOUNCER) == []
    assert found(caplog.text, DENOUNCER) == []


# --- Back-office registrations and generated data -----------------------------


def test_no_back_office_lists_petitions_petitioners_attachments_or_case_events() -> None:
    """Neither the Django admin nor a Wagtail viewset or snippet shows these models."""
    from django.contrib import admin
    from wagtail.admin.viewsets import viewsets
    from wagtail.snippets.models import get_snippet_models

    from danvan.petitions import models

    hidden = {models.Petition, models.Petitioner, models.Attachment, models.CaseEvent}
    assert hidden.isdisjoint(admin.site._registry)
    assert hidden.isdisjoint(getattr(v, "model", None) for v in viewsets.viewsets)
    assert hidden.isdisjoint(get_snippet_models())


def test_the_audit_trail_pages_show_no_identity(
    world: World, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    """Every event of the scenario, inspected by the superuser, after identities were viewed."""
    for role in SEERS:
        request(client, world, role, SURFACES["case"](world, "protected"))
    client.force_login(world.users["superuser"])
    events = AuditEvent.objects.all()
    assert events.filter(action=IDENTITY_VIEW_ACTION).count() == len(SEERS)
    for event in events:
        page = client.get(reverse("audit:inspect", args=[event.pk]))
        assert page.status_code == 200
        for person in PEOPLE.values():
            assert found(haystack(page), person) == []
    exported = client.get(reverse("audit:index") + "?export=csv")
    assert exported.status_code == 200
    for person in PEOPLE.values():
        assert found(haystack(exported), person) == []


def test_case_events_hold_no_identity(world: World) -> None:
    events = json.dumps(list(CaseEvent.objects.values()), ensure_ascii=False, default=str)
    for person in PEOPLE.values():
        assert found(events, person) == []


def test_generated_denunciations_keep_the_denouncer_out_of_the_petition() -> None:
    """Demo and bench data: no denouncer's identity on the petition row or its events."""
    from danvan.petitions.tests.test_generator import rows

    checked = 0
    for item in rows(1500):
        if item.petition["kind"] != PetitionKind.DENUNCIATION:
            continue
        shown = json.dumps([item.petition, item.events], ensure_ascii=False, default=str)
        for person in item.petitioners:
            for field in ("name", "identity_number", "phone", "email", "address"):
                if person[field]:
                    assert person[field] not in shown, field
            checked += 1
    assert checked > 10
