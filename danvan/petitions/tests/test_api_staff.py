"""The staff API under /api/v1/staff/: inbox, case, steps and bulk assignment."""

import datetime
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pytest_django import DjangoAssertNumQueries

from danvan.api.services import api_token_issue
from danvan.core.models import AuditEvent
from danvan.geo.models import Commune
from danvan.orgs.models import Role
from danvan.petitions import services
from danvan.petitions.confidentiality import IDENTITY_VIEW_ACTION
from danvan.petitions.models import Attachment, Channel, Petition
from danvan.petitions.services import PetitionerInput
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.tests.factories import (
    OrgTree,
    make_petition,
    org_tree,
    staff_user,
)
from danvan.petitions.workflow import Action, InvalidTransition, PetitionKind, Status

pytestmark = pytest.mark.django_db

BASE = "/api/v1/staff"
INBOX = f"{BASE}/petitions"
DENOUNCER = PetitionerInput(
    name="Lê Thị Mật",
    identity_number="082199988877",
    phone="0987 654 321",
    email="mat@example.vn",
    address="45 Hùng Vương, phường Mỹ Tho",
)
#: Strings that would give the denouncer away.
DENOUNCER_TRACES = ("Lê Thị Mật", "082199988877", "0987 654 321", "mat@example.vn", "Hùng Vương")


@dataclass
class People:
    handler: Any  # handler of the inspectorate, the one assigned
    other_handler: Any  # another handler of the inspectorate
    reception: Any  # reception officer of the inspectorate
    head: Any  # head of the inspectorate
    head_above: Any  # head of the province people's committee
    commission: Any  # commission staff of the province people's committee
    superuser: Any
    outsider: Any  # head of another province's tree


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST="localhost")


@pytest.fixture
def tree(db: None) -> OrgTree:
    return org_tree()


@pytest.fixture
def people(tree: OrgTree) -> People:
    other = org_tree(prefix="x")
    return People(
        handler=staff_user(tree.inspectorate, Role.HANDLER, username="xuly", first_name="An"),
        other_handler=staff_user(tree.inspectorate, Role.HANDLER, username="xuly2"),
        reception=staff_user(tree.inspectorate, Role.RECEPTION_OFFICER, username="tiepdan"),
        head=staff_user(tree.inspectorate, Role.HEAD, username="chanhthanhtra"),
        head_above=staff_user(tree.province, Role.HEAD, username="chutich"),
        commission=staff_user(tree.province, Role.COMMISSION_STAFF, username="bandanvan"),
        superuser=staff_user(username="quantri", is_superuser=True),
        outsider=staff_user(other.province, Role.HEAD, username="ngoai"),
    )


def auth(user: Any, language: str = "") -> dict[str, str]:
    headers = {"Authorization": f"Bearer {api_token_issue(user=user).token}"}
    if language:
        headers["Accept-Language"] = language
    return headers


def act(client: Client, user: Any, code: str, **body: Any) -> Any:
    return client.post(
        f"{INBOX}/{code}/actions",
        json.dumps(body, default=str),
        content_type="application/json",
        headers=auth(user, "en"),
    )


def codes(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["code"] for item in response.json()["items"]}


# --- Authentication -------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/petitions"),
        ("get", "/petitions/CODE"),
        ("post", "/petitions/CODE/actions"),
        ("post", "/petitions/assign"),
    ],
)
def test_every_staff_endpoint_needs_a_token(
    client: Client, tree: OrgTree, method: str, path: str
) -> None:
    petition = make_petition(organization=tree.inspectorate)
    url = BASE + path.replace("CODE", petition.code)
    headers = {"Accept-Language": "en"}
    if method == "get":
        response = client.get(url, headers=headers)
    else:
        response = client.post(url, "{}", content_type="application/json", headers=headers)

    assert response.status_code == 401
    assert "API token" in response.json()["detail"]


# --- Inbox ----------------------------------------------------------------


def test_inbox_rows_carry_what_the_list_shows(
    client: Client, tree: OrgTree, people: People
) -> None:
    petition = make_petition(organization=tree.inspectorate, assigned_to=people.handler)

    response = client.get(INBOX, headers=auth(people.head, "en"))

    assert response.status_code == 200
    (row,) = response.json()["items"]
    assert row == {
        "code": petition.code,
        "kind": "feedback",
        "kind_label": "Feedback",
        "status": "received",
        "status_label": "Received",
        "channel": "portal",
        "title": "Đường ngập nước sau mưa",
        "commune": {"code": COMMUNE, "name": petition.commune.name},
        "organization": {"code": tree.inspectorate.code, "name": "Thanh tra tỉnh Đồng Tháp"},
        "received_at": row["received_at"],
        "expected_response_by": petition.expected_response_by.isoformat(),
        "due_state": row["due_state"],
        "assigned_to": {"username": "xuly", "full_name": "Trần Thị An"},
        "petitioner_name": "Nguyễn Văn An",
    }
    assert row["due_state"] in {"ok", "soon"}
    vietnamese = client.get(INBOX, headers=auth(people.head)).json()["items"][0]
    with translation.override("vi"):
        assert vietnamese["status_label"] == str(Status.RECEIVED.label)


def test_inbox_filters_each_narrow_the_list(client: Client, tree: OrgTree, people: People) -> None:
    other_commune = (
        Commune.objects.filter(province_id=tree.province.province_id)
        .exclude(code=COMMUNE)
        .order_by("code")
        .first()
    )
    assert other_commune is not None
    flood = make_petition(organization=tree.inspectorate, title="Đường ngập nước sau mưa")
    complaint = make_petition(
        kind=PetitionKind.COMPLAINT, organization=tree.inspectorate, title="Khiếu nại thu hồi đất"
    )
    by_phone = make_petition(
        organization=tree.inspectorate, channel=Channel.PHONE, title="Đèn đường hỏng"
    )
    traffic = make_petition(
        organization=tree.inspectorate, category="giao-thong", title="Ổ gà đường Trần Hưng Đạo"
    )
    elsewhere = make_petition(
        organization=tree.inspectorate, commune_code=other_commune.code, title="Rác thải chợ"
    )
    at_province = make_petition(organization=tree.province, title="Cấp nước sạch")
    mine = make_petition(
        organization=tree.inspectorate, assigned_to=people.handler, title="Cây đổ"
    )
    today = timezone.localdate()
    Petition.objects.filter(pk=flood.pk).update(expected_response_by=today - datetime.timedelta(1))
    Petition.objects.filter(pk=by_phone.pk).update(
        expected_response_by=today + datetime.timedelta(2)
    )
    Petition.objects.exclude(pk__in=[flood.pk, by_phone.pk]).update(
        expected_response_by=today + datetime.timedelta(20)
    )
    resp = act(client, people.head, traffic.code, action="classify")
    assert resp.status_code == 200, resp.content
    every = {p.code for p in (flood, complaint, by_phone, traffic, elsewhere, at_province, mine)}

    def listed(user: Any = people.head_above, **params: Any) -> set[str]:
        return codes(client.get(INBOX, params, headers=auth(user)))

    assert listed() == every
    assert listed(kind="complaint") == {complaint.code}
    assert listed(status="classified") == {traffic.code}
    assert listed(status="open") == every
    assert listed(channel="phone") == {by_phone.code}
    assert listed(category="giao-thong") == {traffic.code}
    assert listed(commune=other_commune.code) == {elsewhere.code}
    assert listed(organization=tree.province.code) == {at_province.code}
    assert listed(due="overdue") == {flood.code}
    assert listed(due="soon") == {by_phone.code}
    assert listed(people.handler, assigned_to_me="true") == {mine.code}
    assert listed(q="ngap nuoc") == {flood.code}
    assert listed(q="NGẬP NƯỚC") == {flood.code}
    assert listed(q=complaint.code) == {complaint.code}
    # The inspectorate's head does not read the province's own petitions.
    assert at_province.code not in listed(people.head)

    rows = {
        row["code"]: row
        for row in client.get(INBOX, {"limit": 100}, headers=auth(people.head_above)).json()[
            "items"
        ]
    }
    assert rows[flood.code]["due_state"] == "overdue"
    assert rows[by_phone.code]["due_state"] == "soon"
    assert rows[complaint.code]["due_state"] == "ok"


def test_inbox_pages(client: Client, tree: OrgTree, people: People) -> None:
    made = [make_petition(organization=tree.inspectorate) for _ in range(5)]
    newest_first = [p.code for p in sorted(made, key=lambda p: (p.received_at, p.pk))][::-1]

    def page(**params: Any) -> Any:
        return client.get(INBOX, {"ordering": "-received", **params}, headers=auth(people.head))

    first = page(limit=2).json()
    assert (first["limit"], first["offset"], first["has_more"], first["next_offset"]) == (
        2,
        0,
        True,
        2,
    )
    assert [row["code"] for row in first["items"]] == newest_first[:2]
    second = page(limit=2, page=2).json()
    assert (second["offset"], second["next_offset"]) == (2, 4)
    assert [row["code"] for row in second["items"]] == newest_first[2:4]
    last = page(limit=2, offset=4).json()
    assert [row["code"] for row in last["items"]] == newest_first[4:]
    assert (last["has_more"], last["next_offset"]) == (False, None)

    too_big = client.get(INBOX, {"limit": 101}, headers=auth(people.head, "en"))
    assert too_big.status_code == 422
    assert [error["field"] for error in too_big.json()["errors"]] == ["limit"]
    unknown = client.get(INBOX, {"organization": "khong-co"}, headers=auth(people.head, "en"))
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == [
        {"field": "organization", "message": "No organization has the code khong-co."}
    ]


def test_denouncers_are_never_listed_nor_found_by_name(
    client: Client, tree: OrgTree, people: People
) -> None:
    denunciation = make_petition(
        kind=PetitionKind.DENUNCIATION,
        organization=tree.inspectorate,
        assigned_to=people.handler,
        petitioners=[DENOUNCER],
        title="Tố cáo cán bộ địa chính",
    )
    feedback = make_petition(
        organization=tree.inspectorate,
        petitioners=[PetitionerInput(name="Phạm Văn Kiến")],
        title="Đèn đường hỏng",
    )

    for user in (people.handler, people.head, people.head_above, people.superuser):
        response = client.get(INBOX, headers=auth(user))
        text = response.content.decode()
        for trace in DENOUNCER_TRACES:
            assert trace not in text
        rows = {row["code"]: row for row in response.json()["items"]}
        assert rows[denunciation.code]["petitioner_name"] == ""
        assert rows[feedback.code]["petitioner_name"] == "Phạm Văn Kiến"
        assert codes(client.get(INBOX, {"q": "Le Thi Mat"}, headers=auth(user))) == set()
        assert codes(client.get(INBOX, {"q": "Mật"}, headers=auth(user))) == set()
        assert codes(client.get(INBOX, {"q": "pham van kien"}, headers=auth(user))) == {
            feedback.code
        }


def test_inbox_queries_do_not_grow_with_the_page(
    client: Client,
    tree: OrgTree,
    people: People,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    headers = auth(people.head_above)
    for index in range(3):
        make_petition(
            kind=PetitionKind.DENUNCIATION if index % 2 else PetitionKind.FEEDBACK,
            organization=tree.inspectorate,
            assigned_to=people.handler,
        )
    client.get(INBOX, headers=headers)  # the token's first use writes last_used_at

    with CaptureQueriesContext(connection) as small:
        assert len(client.get(INBOX, {"limit": 100}, headers=headers).json()["items"]) == 3
    for index in range(12):
        make_petition(
            kind=PetitionKind.COMPLAINT if index % 2 else PetitionKind.RECOMMENDATION,
            organization=tree.province if index % 3 else tree.inspectorate,
            assigned_to=people.handler if index % 3 == 0 else None,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(INBOX, {"limit": 100}, headers=headers).json()["items"]) == 15
    # Token, the memberships, the bodies below the head's, the page's ids,
    # its rows, their petitioners (selectors.petitions_window).
    assert len(small.captured_queries) <= 6


# --- The case and its confidentiality ------------------------------------


@pytest.fixture
def denunciation(tree: OrgTree, people: People) -> Petition:
    petition = make_petition(
        kind=PetitionKind.DENUNCIATION,
        organization=tree.inspectorate,
        assigned_to=people.handler,
        petitioners=[DENOUNCER],
        title="Tố cáo cán bộ địa chính",
    )
    content = b"%PDF-1.4 don to cao"
    for name, reveals in (("don-to-cao.pdf", True), ("anh-hien-truong.jpg", False)):
        Attachment.objects.create(
            petition=petition,
            file=ContentFile(content, name=name),
            original_name=name,
            content_type="application/pdf" if name.endswith("pdf") else "image/jpeg",
            size=len(content),
            sha256=("a" if reveals else "b") * 64,
            reveals_identity=reveals,
        )
    return petition


def _views(user: Any) -> int:
    return AuditEvent.objects.filter(action=IDENTITY_VIEW_ACTION, actor=user).count()


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("handler", True),
        ("head", True),
        ("head_above", True),
        ("other_handler", False),
        ("reception", False),
        ("commission", False),
        ("superuser", False),
    ],
)
def test_a_denouncer_is_shown_only_to_the_handler_and_heads(
    client: Client, denunciation: Petition, people: People, viewer: str, sees: bool
) -> None:
    user = getattr(people, viewer)
    headers = auth(user)

    response = client.get(f"{INBOX}/{denunciation.code}", headers=headers)

    assert response.status_code == 200
    data = response.json()
    attachments = {item["name"] for item in data["attachments"]}
    if sees:
        assert data["petitioners"][0]["name"] == "Lê Thị Mật"
        assert data["petitioners"][0]["identity_number"] == "082199988877"
        assert attachments == {"don-to-cao.pdf", "anh-hien-truong.jpg"}
        event = AuditEvent.objects.get(action=IDENTITY_VIEW_ACTION, actor=user)
        assert event.data["where"] == "api"
        assert event.data["code"] == denunciation.code
        assert event.target_id == str(denunciation.pk)
        # Every view is recorded.
        client.get(f"{INBOX}/{denunciation.code}", headers=headers)
        assert _views(user) == 2
    else:
        assert data["petitioners"] == [{"redacted": True}]
        text = response.content.decode()
        for trace in DENOUNCER_TRACES:
            assert trace not in text
        assert attachments == {"anh-hien-truong.jpg"}
        assert _views(user) == 0


def test_a_denouncer_who_waived_protection_is_shown_to_readers(
    client: Client, tree: OrgTree, people: People
) -> None:
    waived = PetitionerInput(name="Võ Văn Công", protection_waived=True)
    petition = make_petition(
        kind=PetitionKind.DENUNCIATION,
        organization=tree.inspectorate,
        assigned_to=people.handler,
        petitioners=[waived],
    )

    for user in (people.other_handler, people.reception, people.commission):
        data = client.get(f"{INBOX}/{petition.code}", headers=auth(user)).json()
        assert data["petitioners"][0]["name"] == "Võ Văn Công"
        assert data["petitioners"][0]["protection_waived"] is True
        assert _views(user) == 1


def test_the_case_has_the_clock_history_links_and_steps(
    client: Client, denunciation: Petition, people: People
) -> None:
    duplicate = make_petition(
        kind=PetitionKind.DENUNCIATION,
        organization=denunciation.organization,
        petitioners=[DENOUNCER],
        title="Tố cáo cán bộ địa chính",
    )
    assert (
        act(
            client,
            people.head,
            duplicate.code,
            action="mark_duplicate",
            duplicate_of=denunciation.code,
        ).status_code
        == 200
    )
    for step in ({"action": "classify", "is_complex": True}, {"action": "accept"}):
        assert act(client, people.handler, denunciation.code, **step).status_code == 200

    response = client.get(f"{INBOX}/{denunciation.code}", headers=auth(people.handler, "en"))

    data = response.json()
    assert data["status"] == "accepted"
    assert data["clock"]["rule"] == "denunciation.resolution"
    assert data["clock"]["started_on"] == timezone.localdate().isoformat()
    assert data["clock"]["extensions"] == 0
    assert data["clock"]["due"] == data["expected_response_by"]
    assert "Art. 30" in data["clock"]["legal_basis"]
    history = [(event["action"], event["is_public"]) for event in data["history"]]
    # Staff see the non-public classification too.
    assert ("classify", False) in history
    assert history[0][0] == "receive"
    assert data["links"]["duplicates"] == [duplicate.code]
    assert data["actions"] == [
        "verify",
        "extend",
        "suspend",
        "decide",
        "withdraw",
        "mark_duplicate",
    ]
    pdf = next(item for item in data["attachments"] if item["name"] == "don-to-cao.pdf")
    assert pdf["url"] == f"/files/petitions/{denunciation.code}/{pdf['id']}/"
    assert pdf["content_type"] == "application/pdf"


def test_unknown_and_unreadable_codes_answer_the_same_404(
    client: Client, denunciation: Petition, people: People
) -> None:
    hidden = client.get(f"{INBOX}/{denunciation.code}", headers=auth(people.outsider, "en"))
    unknown = client.get(f"{INBOX}/PA-1999-999999", headers=auth(people.outsider, "en"))

    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()
    assert act(client, people.outsider, denunciation.code, action="classify").status_code == 404
    assert _views(people.outsider) == 0


# --- Steps ----------------------------------------------------------------


def test_a_step_the_status_does_not_allow_answers_409_with_the_allowed_steps(
    client: Client, tree: OrgTree, people: People
) -> None:
    petition = make_petition(organization=tree.inspectorate, assigned_to=people.handler)

    response = act(client, people.handler, petition.code, action="decide")
    vietnamese = client.post(
        f"{INBOX}/{petition.code}/actions",
        json.dumps({"action": "decide"}),
        content_type="application/json",
        headers=auth(people.handler),
    )

    assert response.status_code == vietnamese.status_code == 409
    data = response.json()
    assert data == {
        "detail": "The action “Decide or conclude” is not allowed on a petition of kind "
        "“Feedback” in status “Received”.",
        "action": "decide",
        "status": "received",
        "allowed": ["classify", "request_information", "withdraw", "route", "mark_duplicate"],
    }
    with translation.override("vi"):
        expected = InvalidTransition(Status.RECEIVED, Action.DECIDE, PetitionKind.FEEDBACK)
    assert vietnamese.json()["detail"] == expected.message
    assert Petition.objects.get(pk=petition.pk).status == Status.RECEIVED


def test_steps_reserved_to_the_handler_and_heads_answer_403(
    client: Client, tree: OrgTree, people: People
) -> None:
    petition = make_petition(organization=tree.inspectorate, assigned_to=people.handler)
    assert act(client, people.handler, petition.code, action="classify").status_code == 200

    refused = act(client, people.other_handler, petition.code, action="accept")
    assign = act(client, people.handler, petition.code, action="assign", assignee="xuly2")

    assert refused.status_code == assign.status_code == 403
    assert "assigned handler or a head" in refused.json()["detail"]
    assert Petition.objects.get(pk=petition.pk).status == Status.CLASSIFIED


def test_invalid_step_input_answers_422_field_by_field(
    client: Client, tree: OrgTree, people: People
) -> None:
    petition = make_petition(organization=tree.inspectorate, assigned_to=people.handler)

    unknown = act(client, people.handler, petition.code, action="bay")
    missing = act(client, people.handler, petition.code, note="thiếu bước")
    bad_date = act(client, people.handler, petition.code, action="classify", on_date="31/02")
    nobody = act(client, people.head, petition.code, action="assign", assignee="khong.co")

    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["action"]
    assert unknown.json()["detail"].startswith("Choose one of:")
    assert missing.status_code == 422
    assert missing.json() == {
        "detail": "This field is required.",
        "errors": [{"field": "action", "message": "This field is required."}],
    }
    assert bad_date.status_code == 422
    assert [e["field"] for e in bad_date.json()["errors"]] == ["on_date"]
    assert nobody.status_code == 422
    assert nobody.json()["errors"] == [
        {"field": "assignee", "message": "No active user has the username khong.co."}
    ]


def test_a_denunciation_goes_through_its_whole_handling_by_api(
    client: Client, tree: OrgTree, people: People
) -> None:
    """J3: received at the province, routed to the inspectorate, resolved and closed."""
    received = services.petition_receive(
        kind=PetitionKind.DENUNCIATION,
        channel=Channel.PAPER,
        title="Tố cáo sai phạm trong bồi thường",
        content="Cán bộ lập hồ sơ bồi thường khống.",
        commune_code=COMMUNE,
        petitioners=[DENOUNCER],
        is_signed=True,
    )
    code = received.code
    assert Petition.objects.get(code=code).organization == tree.province

    def step(user: Any, action: str, **body: Any) -> dict[str, Any]:
        response = act(client, user, code, action=action, **body)
        assert response.status_code == 200, response.content
        return dict(response.json())

    routed = step(people.head_above, "route", organization=tree.inspectorate.code)
    assert routed["organization"]["code"] == tree.inspectorate.code
    assigned = client.post(
        f"{INBOX}/assign",
        json.dumps({"codes": [code], "assignee": "xuly"}),
        content_type="application/json",
        headers=auth(people.head),
    )
    assert assigned.json() == {"assigned": 1, "codes": [code]}
    assert step(people.handler, "classify", is_complex=True)["status"] == "classified"
    accepted = step(people.handler, "accept", note="Thụ lý tố cáo")
    assert accepted["clock"]["rule"] == "denunciation.resolution"
    due = datetime.date.fromisoformat(accepted["expected_response_by"])
    extended = step(people.handler, "extend", note="Vụ việc phức tạp")
    assert extended["clock"]["extensions"] == 1
    assert datetime.date.fromisoformat(
        extended["expected_response_by"]
    ) >= due + datetime.timedelta(days=28)
    assert "extend" not in extended["actions"]

    again = act(client, people.handler, code, action="extend")
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "action"
    assert "extended only once" in again.json()["detail"]

    step(people.handler, "verify")
    assert step(people.handler, "decide", note="Kết luận nội dung tố cáo")["status"] == "decided"
    step(people.handler, "notify")
    closed = step(people.handler, "close")
    assert closed["status"] == "closed"
    assert closed["resolved_on"] == timezone.localdate().isoformat()
    assert [event["action"] for event in closed["history"]] == [
        "receive",
        "receive",
        "classify",
        "accept",
        "extend",
        "verify",
        "decide",
        "notify",
        "close",
    ]
    assert closed["petitioners"][0]["name"] == "Lê Thị Mật"


def test_a_complaint_is_not_extended_and_a_plain_denunciation_neither(
    client: Client, tree: OrgTree, people: People
) -> None:
    petition = make_petition(
        kind=PetitionKind.DENUNCIATION, organization=tree.inspectorate, assigned_to=people.handler
    )
    for action in ("classify", "accept"):
        assert act(client, people.handler, petition.code, action=action).status_code == 200

    refused = act(client, people.handler, petition.code, action="extend")

    assert refused.status_code == 422
    assert "Only a complex denunciation" in refused.json()["detail"]
    assert Petition.objects.get(pk=petition.pk).extensions == 0


# --- Bulk assignment -------------------------------------------------------


def test_bulk_assignment_is_all_or_none(client: Client, tree: OrgTree, people: People) -> None:
    first = make_petition(organization=tree.inspectorate)
    second = make_petition(organization=tree.inspectorate)
    at_province = make_petition(organization=tree.province)

    def assign(user: Any, codes: list[str], assignee: str = "xuly") -> Any:
        return client.post(
            f"{INBOX}/assign",
            json.dumps({"codes": codes, "assignee": assignee}),
            content_type="application/json",
            headers=auth(user, "en"),
        )

    # The inspectorate's head cannot open the province's petition: none assigned.
    partly = assign(people.head, [first.code, at_province.code])
    assert partly.status_code == 422
    assert partly.json()["errors"][0]["field"] == "codes"
    # The handler sees both but is no head: none assigned.
    assert assign(people.handler, [first.code, second.code]).status_code == 403
    # The head above may assign, but the handler does not work for the province.
    wrong_body = assign(people.head_above, [first.code, at_province.code])
    assert wrong_body.status_code == 422
    assert wrong_body.json()["errors"][0]["field"] == "assignee"
    assert not Petition.objects.filter(assigned_to__isnull=False).exists()

    done = assign(people.head, [first.code.lower(), second.code])
    assert done.status_code == 200
    assert done.json() == {"assigned": 2, "codes": sorted([first.code, second.code])}
    assert set(
        Petition.objects.filter(assigned_to=people.handler).values_list("code", flat=True)
    ) == {
        first.code,
        second.code,
    }
    assert AuditEvent.objects.filter(action="petition.assign", actor=people.head).count() == 2
