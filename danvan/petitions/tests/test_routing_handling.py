"""Routing, transfer, classification and the staff dispatcher (`handling.py`)."""

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.core.models import AuditEvent
from danvan.orgs.models import Membership, Organization, OrganizationKind, OrganizationLevel, Role
from danvan.petitions import handling, services
from danvan.petitions.classification import (
    duplicate_candidates,
    ineligibility_suggestions,
    petitions_group,
)
from danvan.petitions.confidentiality import (
    IDENTITY_VIEW_ACTION,
    REDACTED,
    attachments_for_viewer,
    listed_name,
    may_see_protected_identity,
    petitioners_for_viewer,
)
from danvan.petitions.models import (
    CaseEvent,
    Channel,
    Eligibility,
    IneligibilityReason,
    LocalTimeLimit,
    Petition,
    RoutingRule,
)
from danvan.petitions.routing import routing_suggest
from danvan.petitions.selectors import InboxFilters, petition_inbox
from danvan.petitions.services import PetitionerInput
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.workflow import Action, InvalidTransition, PetitionKind, Status

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))
#: Monday 3 March 2025, 10:00 in Việt Nam: no holiday within a month.
NOW = datetime.datetime(2025, 3, 3, 10, tzinfo=TZ)
DENOUNCER = PetitionerInput(
    name="Trần Thị Bích",
    identity_number="082199900011",
    phone="0987654321",
    address="5 Hùng Vương",
)
CITIZEN = PetitionerInput(name="Lê Văn Cường", phone="0911222333", email="cuong@example.vn")


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _org(
    code: str, kind: str, parent: Organization | None = None, province: int = 82
) -> Organization:
    return Organization.objects.create(
        code=code,
        name=code.upper(),
        kind=kind,
        level=OrganizationLevel.PROVINCE,
        parent=parent,
        province_id=province,
    )


@pytest.fixture
def tree(django_user_model: Any) -> dict[str, Any]:
    """A province committee with its inspectorate and reception office, and their staff."""
    ubnd = _org("ubnd-x", OrganizationKind.PEOPLES_COMMITTEE)
    thanhtra = _org("thanhtra-x", OrganizationKind.DEPARTMENT, ubnd)
    bantcd = _org("bantcd-x", OrganizationKind.RECEPTION_OFFICE, ubnd)
    other = _org("ubnd-y", OrganizationKind.PEOPLES_COMMITTEE, province=86)
    people: dict[str, Any] = {"ubnd": ubnd, "thanhtra": thanhtra, "bantcd": bantcd, "other": other}
    for username, org, role in [
        ("head_ubnd", ubnd, Role.HEAD),
        ("head_tt", thanhtra, Role.HEAD),
        ("handler1", thanhtra, Role.HANDLER),
        ("handler2", thanhtra, Role.HANDLER),
        ("reception", bantcd, Role.RECEPTION_OFFICER),
        ("staff_ubnd", ubnd, Role.COMMISSION_STAFF),
        ("head_other", other, Role.HEAD),
    ]:
        user = django_user_model.objects.create_user(username=username, password="x")
        Membership.objects.create(user=user, organization=org, role=role)
        people[username] = user
    people["root"] = django_user_model.objects.create_superuser(username="root", password="x")
    return people


def _receive(kind: PetitionKind, people: list[PetitionerInput], **extra: Any) -> Petition:
    received = services.petition_receive(
        kind=kind,
        channel=extra.pop("channel", Channel.PORTAL),
        title=extra.pop("title", "Cán bộ xã nhận tiền"),
        content=extra.pop("content", "Một cán bộ địa chính nhận tiền để ký giấy tờ."),
        commune_code=COMMUNE,
        petitioners=people,
        is_anonymous=not people,
        **extra,
    )
    return Petition.objects.get(code=received.code)


# --- routing ----------------------------------------------------------------


def test_without_rules_intake_routes_to_the_province_reception_office(tree: Any) -> None:
    petition = _receive(PetitionKind.FEEDBACK, [CITIZEN])
    assert petition.organization == tree["bantcd"]
    event = CaseEvent.objects.get(petition=petition)
    assert event.data["routed_to"] == "bantcd-x"


def test_the_most_specific_rule_wins(tree: Any) -> None:
    RoutingRule.objects.create(
        kind="", target_kind=OrganizationKind.PEOPLES_COMMITTEE, target_level="province"
    )
    RoutingRule.objects.create(
        kind=PetitionKind.DENUNCIATION, target_organization=tree["thanhtra"]
    )
    commune = Petition._meta.get_field("commune").related_model.objects.get(code=COMMUNE)
    assert (
        routing_suggest(kind=PetitionKind.DENUNCIATION, category="", commune=commune)
        == tree["thanhtra"]
    )
    assert (
        routing_suggest(kind=PetitionKind.FEEDBACK, category="", commune=commune) == tree["ubnd"]
    )


def test_a_closed_target_is_skipped(tree: Any) -> None:
    tree["thanhtra"].valid_to = datetime.date(2025, 1, 1)
    tree["thanhtra"].save()
    RoutingRule.objects.create(
        kind=PetitionKind.DENUNCIATION, target_organization=tree["thanhtra"]
    )
    petition = _receive(PetitionKind.DENUNCIATION, [DENOUNCER])
    assert petition.organization == tree["bantcd"]


def test_route_then_transfer_keeps_the_code_and_the_history(tree: Any) -> None:
    petition = _receive(PetitionKind.FEEDBACK, [CITIZEN])
    code = petition.code
    petition = handling.petition_perform(
        petition=petition, actor=tree["reception"], action="route", organization="thanhtra-x"
    )
    assert petition.organization == tree["thanhtra"]
    petition = handling.petition_perform(
        petition=petition, actor=tree["handler1"], action="classify"
    )
    petition = handling.petition_perform(
        petition=petition, actor=tree["handler1"], action="transfer", organization="ubnd-y"
    )
    petition.refresh_from_db()
    assert (petition.code, petition.status, petition.organization) == (
        code,
        Status.TRANSFERRED,
        tree["other"],
    )
    assert petition.transfer_count == 1
    # The receiver takes it up; its own first clock starts that day.
    petition = handling.petition_perform(
        petition=petition, actor=tree["head_other"], action="receive"
    )
    assert petition.status == Status.RECEIVED
    actions = list(CaseEvent.objects.filter(petition=petition).values_list("action", flat=True))
    assert actions == ["receive", "receive", "classify", "transfer", "receive"]
    # The sender no longer sees it in its inbox.
    assert not petition_inbox(tree["handler1"], InboxFilters()).filter(pk=petition.pk).exists()


def test_a_denunciation_is_transferred_only_once(tree: Any) -> None:
    first = _receive(PetitionKind.DENUNCIATION, [DENOUNCER])
    handling.petition_perform(petition=first, actor=tree["reception"], action="classify")
    handling.petition_perform(
        petition=first, actor=tree["reception"], action="transfer", organization="ubnd-y"
    )
    # The same content, sent again to the first body: linked, then refused a transfer.
    again = _receive(PetitionKind.DENUNCIATION, [DENOUNCER])
    handling.petition_perform(
        petition=again, actor=tree["reception"], action="mark_duplicate", duplicate_of=first
    )
    handling.petition_perform(petition=again, actor=tree["reception"], action="classify")
    with pytest.raises(ValidationError) as error:
        handling.petition_perform(
            petition=again, actor=tree["reception"], action="transfer", organization="ubnd-y"
        )
    assert error.value.code == "transferred_once"
    again.refresh_from_db()
    assert again.status == Status.CLASSIFIED


# --- classification ------------------------------------------------------------


def test_suggestions_name_the_reasons_the_data_shows(tree: Any) -> None:
    anonymous = _receive(PetitionKind.DENUNCIATION, [])
    assert ineligibility_suggestions(anonymous) == [IneligibilityReason.ANONYMOUS_DENUNCIATION]
    late = _receive(PetitionKind.COMPLAINT, [CITIZEN], is_signed=True)
    late.decision_known_on = datetime.date(2024, 11, 1)  # 122 days before receipt
    assert ineligibility_suggestions(late) == [IneligibilityReason.COMPLAINT_TIME_LIMIT]
    late.decision_known_on = datetime.date(2024, 12, 3)  # day 90 is 3 March 2025
    assert ineligibility_suggestions(late) == []
    late.decision_known_on = datetime.date(2024, 11, 1)
    late.late_reason = "Nằm viện từ tháng 11/2024"
    assert ineligibility_suggestions(late) == []
    unsigned = _receive(PetitionKind.COMPLAINT, [CITIZEN], is_signed=False)
    assert ineligibility_suggestions(unsigned) == [IneligibilityReason.UNSIGNED_COMPLAINT]


def test_an_ineligible_petition_is_filed_with_its_reason(tree: Any) -> None:
    petition = _receive(PetitionKind.COMPLAINT, [CITIZEN])
    petition = handling.petition_perform(
        petition=petition,
        actor=tree["reception"],
        action="classify",
        reason=IneligibilityReason.UNSIGNED_COMPLAINT,
    )
    assert (petition.status, petition.eligibility, petition.ineligibility_reason) == (
        Status.FILED,
        Eligibility.INELIGIBLE,
        "unsigned_complaint",
    )
    filed = CaseEvent.objects.get(petition=petition, action=Action.FILE)
    # The citizen is told why (Luật Khiếu nại 2011 Art. 27).
    assert filed.is_public
    assert filed.data["legal_basis"].startswith("Luật Khiếu nại 2011")


def test_an_unknown_reason_is_refused_and_nothing_changes(tree: Any) -> None:
    petition = _receive(PetitionKind.COMPLAINT, [CITIZEN])
    with pytest.raises(ValidationError) as error:
        handling.petition_perform(
            petition=petition, actor=tree["reception"], action="classify", reason="bored"
        )
    assert "reason" in error.value.message_dict
    petition.refresh_from_db()
    assert (petition.status, petition.eligibility) == (Status.RECEIVED, Eligibility.PENDING)


def test_duplicates_from_the_same_person_are_found(tree: Any) -> None:
    first = _receive(PetitionKind.FEEDBACK, [CITIZEN], title="Đèn đường hỏng")
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        second = _receive(PetitionKind.FEEDBACK, [CITIZEN], title="ĐÈN ĐƯỜNG HỎNG ")
        other_person = _receive(
            PetitionKind.FEEDBACK, [DENOUNCER], title="Đèn đường hỏng", content="Khác"
        )
    assert list(duplicate_candidates(second)) == [first]
    assert first not in duplicate_candidates(other_person)
    assert list(duplicate_candidates(_receive(PetitionKind.FEEDBACK, []))) == []


def test_groups_hold_petitions_of_one_organization(tree: Any) -> None:
    one = _receive(PetitionKind.FEEDBACK, [CITIZEN])
    two = _receive(PetitionKind.FEEDBACK, [DENOUNCER])
    group = petitions_group(petitions=[one, two], title="Ngập đường Lê Lợi", actor=tree["root"])
    assert set(group.petitions.values_list("pk", flat=True)) == {one.pk, two.pk}
    handling.petition_perform(
        petition=two, actor=tree["reception"], action="route", organization="thanhtra-x"
    )
    two.refresh_from_db()
    with pytest.raises(ValidationError):
        petitions_group(petitions=[one, two], title="Khác", actor=tree["root"])


# --- who may do what -------------------------------------------------------------


def test_strangers_may_not_act_and_decisions_need_the_assignee_or_a_head(tree: Any) -> None:
    petition = _receive(PetitionKind.COMPLAINT, [CITIZEN], is_signed=True)
    handling.petition_perform(
        petition=petition, actor=tree["reception"], action="route", organization="thanhtra-x"
    )
    petition.refresh_from_db()
    with pytest.raises(PermissionDenied):
        handling.petition_perform(petition=petition, actor=tree["head_other"], action="classify")
    handling.petition_perform(petition=petition, actor=tree["handler2"], action="classify")
    petition.refresh_from_db()
    assert "accept" not in handling.actions_available(tree["handler2"], petition)
    with pytest.raises(PermissionDenied):
        handling.petition_perform(petition=petition, actor=tree["handler2"], action="accept")
    handling.petition_perform(
        petition=petition, actor=tree["head_ubnd"], action="assign", assignee=tree["handler2"]
    )
    petition.refresh_from_db()
    assert "accept" in handling.actions_available(tree["handler2"], petition)
    petition = handling.petition_perform(
        petition=petition, actor=tree["handler2"], action="accept"
    )
    assert petition.status == Status.ACCEPTED
    with pytest.raises(InvalidTransition):
        handling.petition_perform(petition=petition, actor=tree["handler2"], action="close")


def test_bulk_assignment_is_all_or_none(tree: Any) -> None:
    mine = _receive(PetitionKind.FEEDBACK, [CITIZEN])
    theirs = _receive(PetitionKind.FEEDBACK, [CITIZEN])
    for petition in (mine, theirs):
        handling.petition_perform(
            petition=petition, actor=tree["reception"], action="route", organization="thanhtra-x"
        )
    handling.petition_perform(
        petition=theirs, actor=tree["handler1"], action="route", organization="ubnd-y"
    )
    with pytest.raises(ValidationError):
        handling.petitions_assign(
            petitions=[mine, theirs], assignee=tree["handler1"], actor=tree["root"]
        )
    assert not Petition.objects.filter(assigned_to=tree["handler1"]).exists()
    with pytest.raises(PermissionDenied):
        handling.petitions_assign(
            petitions=[mine], assignee=tree["handler1"], actor=tree["handler2"]
        )
    assert (
        handling.petitions_assign(
            petitions=[mine], assignee=tree["handler1"], actor=tree["head_tt"]
        )
        == 1
    )
    assert AuditEvent.objects.filter(action="petition.assign", target_id=str(mine.pk)).count() == 1


# --- confidentiality -------------------------------------------------------------


def _denunciation_at_thanhtra(tree: Any, waived: bool = False) -> Petition:
    person = PetitionerInput(
        name=DENOUNCER.name,
        identity_number=DENOUNCER.identity_number,
        phone=DENOUNCER.phone,
        protection_waived=waived,
    )
    petition = _receive(PetitionKind.DENUNCIATION, [person])
    handling.petition_perform(
        petition=petition, actor=tree["reception"], action="route", organization="thanhtra-x"
    )
    handling.petition_perform(
        petition=petition, actor=tree["head_tt"], action="assign", assignee=tree["handler1"]
    )
    return Petition.objects.get(pk=petition.pk)


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("handler1", True),  # assigned
        ("head_tt", True),  # head of the holding organization
        ("head_ubnd", True),  # head of the body above
        ("handler2", False),  # same organization, not assigned
        ("reception", False),  # received it, but it moved on
        ("staff_ubnd", False),  # commission staff above: reads, but redacted
        ("head_other", False),  # another province
        ("root", False),  # the superuser too
    ],
)
def test_denouncer_identity_matrix(tree: Any, username: str, sees: bool) -> None:
    petition = _denunciation_at_thanhtra(tree)
    user = tree[username]
    before = AuditEvent.objects.filter(action=IDENTITY_VIEW_ACTION).count()
    shown = petitioners_for_viewer(user=user, petition=petition, where="test")
    after = AuditEvent.objects.filter(action=IDENTITY_VIEW_ACTION).count()
    assert may_see_protected_identity(user, petition) is sees
    if sees:
        assert shown[0]["name"] == DENOUNCER.name
        assert after == before + 1
    else:
        assert shown == [REDACTED]
        assert DENOUNCER.name not in str(shown)
        assert after == before


def test_a_waiver_lets_readers_see_the_name_but_lists_still_hide_it(tree: Any) -> None:
    petition = _denunciation_at_thanhtra(tree, waived=True)
    shown = petitioners_for_viewer(user=tree["handler2"], petition=petition, where="test")
    assert shown[0]["name"] == DENOUNCER.name
    assert listed_name(petition, petition.petitioners.all()) == ""
    # A stranger still sees nothing.
    shown = petitioners_for_viewer(user=tree["head_other"], petition=petition, where="test")
    assert shown == [REDACTED]


def test_denouncer_names_are_never_searchable(tree: Any) -> None:
    _denunciation_at_thanhtra(tree)
    complaint = _receive(PetitionKind.COMPLAINT, [DENOUNCER])
    found = petition_inbox(tree["head_ubnd"], InboxFilters(q="tran thi bich"))
    assert list(found) == [complaint]
    found = petition_inbox(tree["head_ubnd"], InboxFilters(q="NHAN TIEN"))
    assert found.count() == 2


def test_attachments_revealing_a_denouncer_are_hidden_from_others(tree: Any) -> None:
    from django.core.files.base import ContentFile

    from danvan.petitions.models import Attachment

    petition = _denunciation_at_thanhtra(tree)
    for name, reveals in (("don-viet-tay.pdf", True), ("ban-che-danh.pdf", False)):
        Attachment.objects.create(
            petition=petition,
            file=ContentFile(b"%PDF-1.4", name=name),
            original_name=name,
            content_type="application/pdf",
            size=8,
            sha256=f"{name:0<64}"[:64],
            reveals_identity=reveals,
        )
    names = lambda user: sorted(  # noqa: E731
        attachments_for_viewer(user, petition).values_list("original_name", flat=True)
    )
    assert names(tree["handler1"]) == ["ban-che-danh.pdf", "don-viet-tay.pdf"]
    assert names(tree["handler2"]) == ["ban-che-danh.pdf"]
    assert names(tree["head_other"]) == []


# --- local limits ----------------------------------------------------------------


def test_an_organization_limit_replaces_the_default_for_feedback(tree: Any) -> None:
    LocalTimeLimit.objects.create(
        organization=tree["bantcd"],
        category="Giao thông",
        days=2,
        working_days=True,
        legal_basis="QĐ 01/QĐ-BTCD",
        valid_from=datetime.date(2025, 1, 1),
    )
    LocalTimeLimit.objects.create(
        organization=tree["bantcd"],
        days=8,
        working_days=True,
        legal_basis="QĐ 02/QĐ-BTCD",
        valid_from=datetime.date(2025, 1, 1),
    )
    traffic = _receive(PetitionKind.FEEDBACK, [CITIZEN], category="Giao thông")
    other = _receive(PetitionKind.FEEDBACK, [CITIZEN], category="Môi trường")
    # Monday 3 March 2025: 2 working days → Wednesday 5; 8 → Thursday 13.
    assert traffic.expected_response_by == datetime.date(2025, 3, 5)
    assert other.expected_response_by == datetime.date(2025, 3, 13)
    # A complaint keeps its statutory clock (10 days to accept).
    complaint = _receive(PetitionKind.COMPLAINT, [CITIZEN], category="Giao thông")
    assert complaint.expected_response_by == datetime.date(2025, 3, 13)


def test_a_new_rule_takes_effect_at_once_in_this_process(tree: Any) -> None:
    commune = Petition._meta.get_field("commune").related_model.objects.get(code=COMMUNE)
    kind = PetitionKind.DENUNCIATION
    assert routing_suggest(kind=kind, category="", commune=commune) == tree["bantcd"]
    RoutingRule.objects.create(kind=kind, target_organization=tree["thanhtra"])
    assert routing_suggest(kind=kind, category="", commune=commune) == tree["thanhtra"]
    tree["thanhtra"].valid_to = datetime.date(2025, 1, 1)
    tree["thanhtra"].save()
    assert routing_suggest(kind=kind, category="", commune=commune) == tree["bantcd"]
