"""The staff workspace in the back-office: inbox, case page, steps, intake."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django import DjangoAssertNumQueries

from danvan.core.models import AuditEvent
from danvan.geo.models import Province
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import organization_create
from danvan.petitions import handling
from danvan.petitions.confidentiality import IDENTITY_VIEW_ACTION
from danvan.petitions.models import CaseEvent, Petition
from danvan.petitions.services import PetitionerInput
from danvan.petitions.tests.factories import OrgTree, make_petition, org_tree, staff_user
from danvan.petitions.workflow import PetitionKind, Status

pytestmark = pytest.mark.django_db

AN_GIANG = 91
DENOUNCER = PetitionerInput(
    name="Lê Văn Tố Giác",
    identity_number="082111222333",
    phone="0987 654 321",
    address="5 Hùng Vương",
)


def vi(msgid: str, **params: Any) -> str:
    """Return `msgid` as the back-office shows it (Vietnamese once translated)."""
    with translation.override("vi"):
        text = translation.gettext(msgid)
    return text % params if params else text


def vip(context: str, msgid: str) -> str:
    with translation.override("vi"):
        return translation.pgettext(context, msgid)


REDACTED_MSGID = "Identity protected"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@dataclass
class World:
    tree: OrgTree
    other: Organization
    reception: Any
    handler: Any
    handler2: Any
    head: Any
    head_above: Any
    commission: Any
    outsider: Any


@pytest.fixture
def world() -> World:
    tree = org_tree()
    other = organization_create(
        actor=None,
        code="t-ubnd-an-giang",
        name="Ủy ban nhân dân tỉnh An Giang",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=OrganizationLevel.PROVINCE,
        province=Province.objects.get(code=AN_GIANG),
    )
    office = tree.inspectorate
    return World(
        tree=tree,
        other=other,
        reception=staff_user(office, Role.RECEPTION_OFFICER, username="tiepdan"),
        handler=staff_user(office, Role.HANDLER, username="xuly", first_name="Hòa"),
        handler2=staff_user(office, Role.HANDLER, username="xuly2", first_name="Minh"),
        head=staff_user(office, Role.HEAD, username="chanhthanhtra", first_name="Quang"),
        head_above=staff_user(tree.province, Role.HEAD, username="chutich"),
        commission=staff_user(tree.province, Role.COMMISSION_STAFF, username="bandanvan"),
        outsider=staff_user(other, Role.HEAD, username="angiang"),
    )


def login(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def denunciation(world: World, **kwargs: Any) -> Petition:
    return make_petition(
        kind=PetitionKind.DENUNCIATION,
        organization=world.tree.inspectorate,
        petitioners=[DENOUNCER],
        title="Tố cáo cán bộ địa chính nhận tiền",
        content="Cán bộ địa chính phường nhận tiền để làm nhanh hồ sơ.",
        **kwargs,
    )


def case_url(petition: Petition) -> str:
    return reverse("petitions_staff:case", args=[petition.code])


def step_url(petition: Petition, action: str) -> str:
    return reverse("petitions_staff:step", args=[petition.code, action])


INBOX = "/admin/petitions/"


# Inbox ---------------------------------------------------------------------


def test_inbox_lists_the_petitions_of_the_office_to_each_role(world: World) -> None:
    petition = make_petition(organization=world.tree.inspectorate, title="Đèn đường hỏng")
    for user in (
        world.reception,
        world.handler,
        world.head,
        world.head_above,
        world.commission,
    ):
        response = login(user).get(INBOX)
        assert response.status_code == 200, user.username
        assert petition.code in response.text, user.username
        assert "Đèn đường hỏng" in response.text
        # The list shows the name of a feedback's petitioner to those who read it.
        assert "Nguyễn Văn An" in response.text

    response = login(world.outsider).get(INBOX)
    assert response.status_code == 200
    assert petition.code not in response.text


def test_inbox_rows_print_what_citizens_typed_as_text(world: World) -> None:
    """The rows are written in Python (`views_inbox.inbox_rows_html`): a title
    or a name holding markup is shown as typed, never run."""
    petition = make_petition(
        organization=world.tree.inspectorate, title='Cống <script>alert("x")</script> & rác'
    )
    text = login(world.head).get(INBOX).text
    assert "<script>alert" not in text
    assert "Cống &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; rác" in text
    # A head may assign in bulk: the row has its box, labelled with the code.
    assert f'name="codes" value="{petition.code}"' in text
    assert f'name="codes" value="{petition.code}"' not in login(world.handler).get(INBOX).text


def test_inbox_never_shows_a_denouncers_name_to_anyone(world: World) -> None:
    petition = denunciation(world, assigned_to=world.handler)
    for user in (world.handler, world.head, world.head_above, world.reception):
        response = login(user).get(INBOX, {"q": "Tố Giác"})
        assert petition.code not in response.text  # a name search does not reveal it
        response = login(user).get(INBOX)
        assert petition.code in response.text
        assert DENOUNCER.name not in response.text
        assert DENOUNCER.phone not in response.text


def test_inbox_filters_search_without_diacritics_and_marks_overdue(world: World) -> None:
    late = make_petition(organization=world.tree.inspectorate, title="Cống thoát nước tắc")
    other = make_petition(
        organization=world.tree.inspectorate,
        kind=PetitionKind.COMPLAINT,
        title="Khiếu nại quyết định thu hồi đất",
    )
    today = timezone.localdate()
    Petition.objects.filter(pk=late.pk).update(
        expected_response_by=today - datetime.timedelta(days=2)
    )
    Petition.objects.filter(pk=other.pk).update(
        expected_response_by=today + datetime.timedelta(days=1)
    )
    client = login(world.handler)

    found = client.get(INBOX, {"q": "cong thoat nuoc"}).text
    assert late.code in found
    assert other.code not in found

    overdue = client.get(INBOX, {"due": "overdue"}).text
    assert late.code in overdue
    assert other.code not in overdue
    assert "dv-due--overdue" in overdue
    assert vip("due state", "Overdue") in overdue  # a text label, not only a colour

    soon = client.get(INBOX, {"due": "soon"}).text
    assert other.code in soon
    assert late.code not in soon
    assert "dv-due--due_soon" in soon

    complaints = client.get(INBOX, {"kind": "complaint"}).text
    assert other.code in complaints
    assert late.code not in complaints

    first = client.get(INBOX, {"sort": "-due"}).text
    assert first.index(other.code) < first.index(late.code)


def test_inbox_queries_do_not_grow_with_rows(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    make_petition(organization=world.tree.inspectorate, assigned_to=world.handler)
    client = login(world.head)
    client.get(INBOX)  # warm the session and the caches
    with django_assert_max_num_queries(30) as few:
        client.get(INBOX)
    baseline = len(few.captured_queries)
    for _index in range(8):
        make_petition(organization=world.tree.inspectorate, assigned_to=world.handler)
    with django_assert_max_num_queries(baseline):
        response = client.get(INBOX)
    assert response.text.count('name="codes"') == 9


def test_inbox_pages_without_counting_the_whole_inbox(world: World) -> None:
    from danvan.petitions.views_inbox import PAGE_SIZE

    for _index in range(PAGE_SIZE + 1):
        make_petition(organization=world.tree.inspectorate)
    client = login(world.head)
    first = client.get(INBOX, {"ordering": "received"}).text
    assert first.count('name="codes"') == PAGE_SIZE
    assert vi("Petitions %(first)s–%(last)s.", first=1, last=PAGE_SIZE) in first
    assert "page=2" in first
    assert "page=0" not in first
    second = client.get(INBOX, {"ordering": "received", "page": "2"}).text
    assert second.count('name="codes"') == 1
    assert "page=1" in second
    assert "page=3" not in second
    # A page past the end, or a page that is not a number, is not an error.
    assert client.get(INBOX, {"page": "9"}).status_code == 200
    assert client.get(INBOX, {"page": "x"}).status_code == 200


def test_bulk_assignment_by_a_head_assigns_all(world: World) -> None:
    first = make_petition(organization=world.tree.inspectorate)
    second = make_petition(organization=world.tree.inspectorate)
    response = login(world.head).post(
        reverse("petitions_staff:assign"),
        {"codes": [first.code, second.code], "assignee": world.handler2.pk},
        follow=True,
    )
    assert vi("Petitions assigned: %(count)d.", count=2) in response.text
    assert set(
        Petition.objects.filter(pk__in=[first.pk, second.pk]).values_list("assigned_to", flat=True)
    ) == {world.handler2.pk}


def test_bulk_assignment_is_all_or_none(world: World) -> None:
    held = make_petition(organization=world.tree.inspectorate)
    closed = make_petition(organization=world.tree.inspectorate)
    Petition.objects.filter(pk=closed.pk).update(status=Status.WITHDRAWN)
    response = login(world.head).post(
        reverse("petitions_staff:assign"),
        {"codes": [held.code, closed.code], "assignee": world.handler2.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert (
        vi("%(code)s is no longer handled here and cannot be assigned.", code=closed.code)
        in response.text
    )
    assert Petition.objects.get(pk=held.pk).assigned_to_id is None


def test_bulk_assignment_is_refused_to_a_handler(world: World) -> None:
    petition = make_petition(organization=world.tree.inspectorate)
    client = login(world.handler)
    assert 'name="assignee"' not in client.get(INBOX).text
    response = client.post(
        reverse("petitions_staff:assign"),
        {"codes": [petition.code], "assignee": world.handler.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert vi("Only a head of the organization may assign %(code)s.", code=petition.code) in (
        response.text
    )
    assert Petition.objects.get(pk=petition.pk).assigned_to_id is None


# Case page and confidentiality --------------------------------------------


def _identity_views(user: Any) -> int:
    return AuditEvent.objects.filter(action=IDENTITY_VIEW_ACTION, actor_id=user.pk).count()


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("handler", True),
        ("head", True),
        ("head_above", True),
        ("handler2", False),
        ("reception", False),
        ("commission", False),
    ],
)
def test_denouncer_identity_only_for_the_assigned_handler_and_heads(
    world: World, role: str, sees: bool
) -> None:
    petition = denunciation(world, assigned_to=world.handler)
    user = getattr(world, role)
    response = login(user).get(case_url(petition))
    assert response.status_code == 200
    html = response.text
    if sees:
        assert DENOUNCER.name in html
        assert DENOUNCER.identity_number in html
        assert vi(REDACTED_MSGID) not in html
        assert _identity_views(user) == 1
        event = AuditEvent.objects.get(action=IDENTITY_VIEW_ACTION, actor_id=user.pk)
        assert event.data["where"] == "case_page"
        assert event.data["code"] == petition.code
    else:
        assert DENOUNCER.name not in html
        assert DENOUNCER.identity_number not in html
        assert DENOUNCER.address not in html
        assert vi(REDACTED_MSGID) in html
        assert _identity_views(user) == 0


def test_case_page_is_404_for_another_province_and_the_superuser_sees_a_redacted_copy(
    world: World,
) -> None:
    petition = denunciation(world, assigned_to=world.handler)
    assert login(world.outsider).get(case_url(petition)).status_code == 404
    superuser = staff_user(username="root", is_superuser=True)
    html = login(superuser).get(case_url(petition)).text
    assert DENOUNCER.name not in html
    assert vi(REDACTED_MSGID) in html


def test_case_page_shows_clock_timeline_and_suggestions(world: World) -> None:
    petition = make_petition(
        kind=PetitionKind.DENUNCIATION,
        organization=world.tree.inspectorate,
        is_anonymous=True,
        assigned_to=world.handler,
    )
    html = login(world.handler).get(case_url(petition)).text
    # The receipt clock of a denunciation and its legal basis.
    assert "Luật Tố cáo 2018" in html
    assert vi("Anonymous denunciation") in html  # the classification suggestion
    assert "Art. 25(1)" in html
    assert vip("petition action", "Receive") in html  # the first event of the timeline


def test_case_page_offers_exactly_the_available_steps(world: World) -> None:
    petition = denunciation(world, assigned_to=world.handler)
    for user in (world.handler, world.reception, world.head, world.commission):
        html = login(user).get(case_url(petition)).text
        expected = handling.actions_available(user, petition)
        offered = [chunk.split('"', 1)[0] for chunk in html.split('data-step="')[1:]]
        assert offered == expected, user.username
    assert "assign" in handling.actions_available(world.head, petition)
    assert "assign" not in handling.actions_available(world.handler, petition)


def test_a_forbidden_step_posted_by_hand_gives_a_message(world: World) -> None:
    petition = denunciation(world, assigned_to=world.handler)
    client = login(world.reception)
    response = client.post(step_url(petition, "decide"), {"decide-note": "x"}, follow=True)
    assert response.status_code == 200
    refused = "The step “%(step)s” is not available to you on this petition now."
    assert vi(refused, step=vip("petition action", "Decide or conclude")) in response.text
    assert Petition.objects.get(pk=petition.pk).status == Status.RECEIVED
    # A step unknown to the workflow is refused the same way.
    response = client.post(step_url(petition, "explode"), {}, follow=True)
    assert response.status_code == 200
    assert vi(refused, step="explode") in response.text


def test_a_service_refusal_is_shown_on_the_form(world: World) -> None:
    petition = denunciation(world, assigned_to=world.handler)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    client = login(world.handler)
    client.post(step_url(petition, "classify"), {"classify-reason": ""})
    response = client.post(step_url(petition, "accept"), {"accept-on_date": future})
    assert response.status_code == 200
    assert vi("The date of a decision cannot be in the future.") in response.text
    assert Petition.objects.get(pk=petition.pk).status == Status.CLASSIFIED


def test_handler_classifies_accepts_extends_and_concludes(world: World) -> None:
    petition = denunciation(world, assigned_to=world.handler)
    client = login(world.handler)
    response = client.post(
        step_url(petition, "classify"),
        {"classify-reason": "", "classify-category": "Đất đai", "classify-is_complex": "on"},
        follow=True,
    )
    assert vi("Step taken: %(step)s.", step=vip("petition action", "Classify")) in response.text
    client.post(step_url(petition, "accept"), {"accept-note": "Thụ lý"})
    before = Petition.objects.get(pk=petition.pk).expected_response_by
    client.post(step_url(petition, "extend"), {"extend-note": "Gia hạn lần 1"})
    extended = Petition.objects.get(pk=petition.pk)
    assert extended.extensions == 1
    assert extended.expected_response_by > before
    response = client.post(
        step_url(petition, "decide"),
        {"decide-template": "denunciation.conclusion", "decide-is_public": "on"},
        follow=True,
    )
    stored = Petition.objects.get(pk=petition.pk)
    assert stored.status == Status.DECIDED
    assert stored.category == "Đất đai"
    event = CaseEvent.objects.filter(petition=petition, action="decide").get()
    # The template filled the answer, with the code in it.
    assert petition.code in event.note
    assert event.is_public is True
    assert event.actor == world.handler


def test_head_assigns_from_the_case_page(world: World) -> None:
    petition = denunciation(world)
    response = login(world.head).post(
        step_url(petition, "assign"), {"assign-assignee": world.handler2.pk}, follow=True
    )
    assert response.status_code == 200
    assert Petition.objects.get(pk=petition.pk).assigned_to == world.handler2


# Intake --------------------------------------------------------------------


def _intake_data(organization: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "organization": str(organization.pk),
        "channel": "in_person",
        "commune": "28261",
        "address": "",
        "people_count": "1",
        "parts-TOTAL_FORMS": "3",
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "1",
        "parts-MAX_NUM_FORMS": "5",
        "parts-0-kind": "complaint",
        "parts-0-title": "Khiếu nại việc thu hồi đất",
        "parts-0-content": "Gia đình không đồng ý với mức bồi thường.",
        "parts-1-kind": "",
        "parts-2-kind": "",
        "people-TOTAL_FORMS": "2",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "20",
        "people-0-name": "Phạm Thị Hoa",
        "people-0-phone": "0912345678",
        "is_signed": "on",
    }
    data.update(overrides)
    return data


def test_reception_officer_receives_a_petition_and_sees_the_key_once(world: World) -> None:
    # The officer's own desk holds what it received.
    officer = staff_user(world.tree.province, Role.RECEPTION_OFFICER, username="motcua")
    client = login(officer)
    assert client.get(reverse("petitions_staff:intake")).status_code == 200
    response = client.post(reverse("petitions_staff:intake"), _intake_data(world.tree.province))
    assert response.status_code == 302
    petition = Petition.objects.get(title="Khiếu nại việc thu hồi đất")
    assert petition.channel == "in_person"
    assert response["Location"] == case_url(petition)
    page = client.get(response["Location"]).text
    assert petition.code in page
    assert 'data-testid="lookup-key"' in page
    assert (
        vi(
            "Hand the code and the key to the citizen now: the key is shown only once and "
            "cannot be shown again."
        )
        in page
    )
    again = client.get(case_url(petition)).text
    assert 'data-testid="lookup-key"' not in again


def test_intake_is_held_by_the_desk_that_received_it_and_no_other(world: World) -> None:
    client = login(world.reception)
    # A body the officer does not work for cannot be chosen.
    response = client.post(reverse("petitions_staff:intake"), _intake_data(world.other))
    assert response.status_code == 200
    assert not Petition.objects.filter(title="Khiếu nại việc thu hồi đất").exists()
    response = client.post(
        reverse("petitions_staff:intake"), _intake_data(world.tree.inspectorate)
    )
    assert response.status_code == 302
    petition = Petition.objects.get(title="Khiếu nại việc thu hồi đất")
    assert petition.organization == world.tree.inspectorate
    receive = petition.events.get(action="receive")
    assert receive.data["routed_to"] == world.tree.inspectorate.code


def test_a_mixed_petition_becomes_linked_parts(world: World) -> None:
    client = login(world.reception)
    data = _intake_data(
        world.tree.inspectorate,
        **{
            "parts-1-kind": "denunciation",
            "parts-1-title": "Tố cáo cán bộ nhận tiền",
            "parts-1-content": "Cán bộ yêu cầu nộp thêm tiền ngoài quy định.",
        },
    )
    response = client.post(reverse("petitions_staff:intake"), data)
    assert response.status_code == 302
    first = Petition.objects.get(title="Khiếu nại việc thu hồi đất")
    second = Petition.objects.get(title="Tố cáo cán bộ nhận tiền")
    assert second.parent_id == first.pk
    assert {first.organization, second.organization} == {world.tree.inspectorate}
    page = client.get(response["Location"]).text
    assert first.code in page
    assert second.code in page


def test_intake_errors_are_shown_and_nothing_is_stored(world: World) -> None:
    client = login(world.reception)
    response = client.post(
        reverse("petitions_staff:intake"),
        _intake_data(world.tree.inspectorate, **{"people-0-name": "", "people-0-phone": ""}),
    )
    assert response.status_code == 200
    assert vi("Give at least one petitioner, or send the petition anonymously.") in response.text
    assert not Petition.objects.filter(title="Khiếu nại việc thu hồi đất").exists()


def test_intake_is_refused_to_commission_staff(world: World) -> None:
    response = login(world.commission).get(reverse("petitions_staff:intake"))
    assert response.status_code in (302, 403)
    assert not Petition.objects.exists()


def test_a_bare_inbox_shows_the_cases_still_handled_and_all_on_request(world: World) -> None:
    open_case = make_petition(organization=world.tree.inspectorate, title="Đèn đường hỏng")
    withdrawn = make_petition(organization=world.tree.inspectorate, title="Đơn đã rút")
    handling.petition_perform(petition=withdrawn, actor=world.head, action="withdraw")
    client = login(world.head)
    bare = client.get(INBOX).text
    assert open_case.code in bare
    assert withdrawn.code not in bare
    every = client.get(INBOX, {"status": ""}).text
    assert open_case.code in every
    assert withdrawn.code in every
