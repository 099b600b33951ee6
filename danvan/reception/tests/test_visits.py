"""The reception log: `visits.visit_record` and the services and reads around it."""

import datetime
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from danvan.core.models import AuditEvent
from danvan.orgs.models import Membership, Role
from danvan.petitions import keys
from danvan.petitions.handling import petitions_assign
from danvan.petitions.limits import expected_response_date
from danvan.petitions.models import Channel, Petition, PetitionCodeSequence, Petitioner
from danvan.petitions.services import PetitionPart
from danvan.petitions.tests.conftest import COMMUNE, translated
from danvan.petitions.tests.factories import staff_user
from danvan.petitions.workflow import PetitionKind
from danvan.reception import visits
from danvan.reception.models import (
    Receipt,
    ReceptionSchedule,
    ReceptionSequence,
    RefusalGround,
    ScheduleStatus,
    Visit,
    VisitKind,
    VisitOutcome,
    VisitPerson,
)
from danvan.reception.tests.factories import ReceptionPlace, reception_place
from danvan.reception.visits import RefusalNoticeState, VisitPersonInput

pytestmark = pytest.mark.django_db

D = datetime.date
TZ = datetime.timezone(datetime.timedelta(hours=7))
#: Monday 6 July 2026: the grounds and clocks of 2026 apply; no holiday
#: before 20 July (10 working days later).
TODAY = D(2026, 7, 6)

AN = VisitPersonInput(
    name="Nguyễn Văn An",
    address="12 Lê Lợi, phường Mỹ Tho",
    identity_document="CCCD 082123456789",
    phone="0912 345 678",
    email="an@example.vn",
)
BINH = VisitPersonInput(name="Trần Thị Bình", address="5 Hùng Vương")
FEEDBACK_PART = PetitionPart(
    kind=PetitionKind.FEEDBACK, title="Đường ngập", content="Đường Lê Lợi ngập sau mưa."
)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(datetime.datetime(2026, 7, 6, 9, 30, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def place() -> ReceptionPlace:
    return reception_place()


def _people(count: int, representatives: int = 0) -> list[VisitPersonInput]:
    return [
        VisitPersonInput(name=f"Công dân {index}", is_representative=index < representatives)
        for index in range(count)
    ]


def _record(place: ReceptionPlace, **overrides: Any) -> visits.RecordedVisit:
    fields: dict[str, Any] = {
        "actor": place.officer,
        "organization": place.commune,
        "received_on": TODAY,
        "people": [AN],
        "summary": "Phản ánh đường Lê Lợi ngập sau mưa.",
        "kind": VisitKind.FEEDBACK,
        "outcome": VisitOutcome.RECORDED,
        "parts": [FEEDBACK_PART],
    }
    fields.update(overrides)
    return visits.visit_record(**fields)


def _guided(place: ReceptionPlace, **overrides: Any) -> visits.RecordedVisit:
    fields: dict[str, Any] = {
        "outcome": VisitOutcome.GUIDED,
        "guided_to": "Tòa án nhân dân khu vực 1",
        "parts": (),
    }
    fields.update(overrides)
    return _record(place, **fields)


def _errors(place: ReceptionPlace, **overrides: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        _record(place, **overrides)
    return caught.value.message_dict


def _nothing_stored() -> None:
    assert not Visit.objects.exists()
    assert not VisitPerson.objects.exists()
    assert not Petition.objects.exists()
    assert not ReceptionSequence.objects.filter(last_number__gt=0).exists()
    assert not AuditEvent.objects.filter(action="visit.record").exists()


# --- a visit that brings a petition -------------------------------------------


def test_recorded_visit_creates_its_petition_in_person(place: ReceptionPlace) -> None:
    recorded = _record(place, is_signed=True)

    visit = recorded.visit
    assert (visit.number, visit.year, visit.received_on) == (1, 2026, TODAY)
    assert visit.received_by == place.officer
    assert visit.within_competence is True
    assert [p.name for p in visit.people.all()] == ["Nguyễn Văn An"]
    person = visit.people.get()
    assert (person.identity_document, person.phone) == ("CCCD 082123456789", "0912345678")
    (code,) = recorded.codes
    petition = Petition.objects.get(code=code)
    assert list(visit.petitions.all()) == [petition]
    assert (petition.kind, petition.channel) == (PetitionKind.FEEDBACK, Channel.IN_PERSON)
    assert petition.organization == place.commune
    assert petition.commune_id == COMMUNE
    assert petition.is_signed is True
    petitioner = Petitioner.objects.get(petition=petition)
    assert (petitioner.name, petitioner.identity_number, petitioner.email) == (
        "Nguyễn Văn An",
        "082123456789",
        "an@example.vn",
    )
    assert keys.lookup_key_matches(recorded.lookup_key, petition.lookup_key_hash)
    assert visit.listed_name == "Nguyễn Văn An"
    assert "nguyen van an" in visit.search_text
    assert "12 le loi" in visit.search_text
    assert "1/2026" in visit.search_text


def test_record_audit_event_has_no_personal_data(place: ReceptionPlace) -> None:
    recorded = _record(place)

    audit = AuditEvent.objects.get(action="visit.record")
    assert audit.target_id == str(recorded.visit.pk)
    assert audit.data["petitions"] == recorded.codes
    assert (audit.data["number"], audit.data["outcome"]) == (1, "recorded")
    flat = repr(audit.data) + audit.target_repr
    for personal in ("Nguyễn", "082123456789", "0912", "an@example.vn", "Lê Lợi", "ngập"):
        assert personal not in flat


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        # feedback.local_limit: 5 working days (a local default).
        (PetitionKind.FEEDBACK, D(2026, 7, 13)),
        (PetitionKind.RECOMMENDATION, D(2026, 7, 13)),
        # complaint.acceptance.first from 2026-07-01: 7 working days.
        (PetitionKind.COMPLAINT, D(2026, 7, 15)),
        # denunciation.initial_processing: 7 working days.
        (PetitionKind.DENUNCIATION, D(2026, 7, 15)),
    ],
)
def test_petition_clock_follows_its_kind_and_the_result_notice_is_ten_working_days(
    place: ReceptionPlace, kind: PetitionKind, expected: D
) -> None:
    recorded = _record(
        place,
        kind=kind,
        parts=[PetitionPart(kind=kind, title="Nội dung", content="Chi tiết.")],
    )

    petition = Petition.objects.get(code=recorded.codes[0])
    assert petition.expected_response_by == expected
    assert petition.expected_response_by == expected_response_date(
        kind, TODAY, organization=place.commune
    )
    assert recorded.petitions[0].expected_response_by == expected
    # Luật TCD Art. 28(1): 10 working days, counted from the visit.
    assert recorded.result_notice_due == D(2026, 7, 20)
    assert Visit.objects.get(pk=recorded.visit.pk).result_notice_due == D(2026, 7, 20)
    assert petition.expected_response_by <= recorded.result_notice_due


def test_mixed_visit_is_split_into_linked_petitions_with_one_key(place: ReceptionPlace) -> None:
    recorded = _record(
        place,
        kind=VisitKind.MIXED,
        people=[AN, BINH],
        people_count=2,
        parts=[
            PetitionPart(kind=PetitionKind.COMPLAINT, title="Khiếu nại", content="Quyết định."),
            PetitionPart(kind=PetitionKind.DENUNCIATION, title="Tố cáo", content="Cán bộ X."),
            PetitionPart(kind=PetitionKind.RECOMMENDATION, title="Kiến nghị", content="Đường."),
        ],
    )

    assert len(recorded.codes) == 3
    petitions = [Petition.objects.get(code=code) for code in recorded.codes]
    assert [p.kind for p in petitions] == ["complaint", "denunciation", "recommendation"]
    assert petitions[0].parent is None
    assert [p.parent for p in petitions[1:]] == [petitions[0], petitions[0]]
    assert {received.lookup_key for received in recorded.petitions} == {recorded.lookup_key}
    for petition in petitions:
        assert keys.lookup_key_matches(recorded.lookup_key, petition.lookup_key_hash)
        assert petition.petitioners.count() == 2
    assert set(recorded.visit.petitions.all()) == set(petitions)
    # A denunciation among the parts protects who came.
    visit = recorded.visit
    assert visit.identity_protected is True
    assert visit.listed_name == ""
    assert "nguyen" not in visit.search_text
    assert "binh" not in visit.search_text
    assert "12 le loi" not in visit.search_text
    assert "hung vuong" not in visit.search_text


def test_mixed_visit_without_denunciation_is_not_protected(place: ReceptionPlace) -> None:
    recorded = _record(
        place,
        kind=VisitKind.MIXED,
        parts=[
            PetitionPart(kind=PetitionKind.COMPLAINT, title="Khiếu nại", content="Quyết định."),
            PetitionPart(kind=PetitionKind.FEEDBACK, title="Phản ánh", content="Đường."),
        ],
    )

    assert recorded.visit.identity_protected is False
    assert recorded.visit.listed_name == "Nguyễn Văn An"


def test_mixed_visit_without_petitions_is_protected(place: ReceptionPlace) -> None:
    """Not recorded here, a visit of several kinds does not say whether one was a denunciation."""
    visit = _guided(place, kind=VisitKind.MIXED).visit

    assert visit.identity_protected is True
    assert visit.listed_name == ""


def test_failing_intake_leaves_nothing(place: ReceptionPlace) -> None:
    codes_before = list(PetitionCodeSequence.objects.values_list("year", "last_number"))

    # The intake stores the petitions, then fails issuing their code.
    with (
        mock.patch(
            "danvan.petitions.services._issue_code", side_effect=RuntimeError("disk full")
        ) as issue,
        pytest.raises(RuntimeError),
    ):
        _record(place, kind=VisitKind.MIXED, parts=_mixed_parts())

    assert issue.called
    _nothing_stored()
    assert list(PetitionCodeSequence.objects.values_list("year", "last_number")) == codes_before
    assert not Petitioner.objects.exists()
    # The visit's number, taken before the intake, was given back.
    assert _record(place).visit.number == 1


def _mixed_parts() -> list[PetitionPart]:
    return [
        PetitionPart(kind=PetitionKind.COMPLAINT, title="Khiếu nại", content="Quyết định."),
        PetitionPart(kind=PetitionKind.DENUNCIATION, title="Tố cáo", content="Cán bộ X."),
    ]


def test_failure_after_the_number_gives_the_number_back(place: ReceptionPlace) -> None:
    """The last step fails: no visit, no petition, and no number is lost."""
    with (
        mock.patch.object(visits, "audit_record", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        _record(place)

    _nothing_stored()
    assert not PetitionCodeSequence.objects.filter(last_number__gt=0).exists()
    assert _record(place).visit.number == 1


def test_visit_numbers_run_per_organization_and_year(place: ReceptionPlace) -> None:
    commune, department = place.commune, place.department
    head = place.department_head

    first = _guided(place, received_on=D(2025, 12, 30)).visit
    second = _guided(place, received_on=D(2025, 12, 31)).visit
    new_year = _guided(place, received_on=D(2026, 1, 2)).visit
    elsewhere = _guided(place, actor=head, organization=department, received_on=D(2025, 12, 31))
    today = _record(place).visit

    assert [(v.number, v.year) for v in (first, second, new_year, today)] == [
        (1, 2025),
        (2, 2025),
        (1, 2026),
        (2, 2026),
    ]
    assert (elsewhere.visit.number, elsewhere.visit.year) == (1, 2025)
    assert (
        ReceptionSequence.objects.get(
            organization=commune, register="visit", year=2025
        ).last_number
        == 2
    )


# --- representatives ----------------------------------------------------------


@pytest.mark.parametrize(
    ("people_count", "representatives", "valid"),
    [
        (4, 0, True),
        (4, 3, True),
        (5, 0, False),
        (5, 1, True),
        (5, 2, True),
        (5, 3, False),
        (10, 1, True),
        (10, 2, True),
        (10, 3, False),
        (11, 0, False),
        (11, 1, True),
        (11, 5, True),
        (11, 6, False),
    ],
)
def test_representatives_of_a_group(
    place: ReceptionPlace, people_count: int, representatives: int, valid: bool
) -> None:
    listed = max(representatives, 1)
    overrides = {"people": _people(listed, representatives), "people_count": people_count}
    if valid:
        visit = _guided(place, **overrides).visit
        assert visit.people.filter(is_representative=True).count() == representatives
        assert visit.people_count == people_count
        if representatives:
            assert visit.listed_name == "Công dân 0"
        return
    with pytest.raises(ValidationError) as caught:
        _guided(place, **overrides)
    (message,) = caught.value.message_dict["people"]
    assert str(representatives) in message
    assert not Visit.objects.exists()


def test_listed_name_is_the_first_representative(place: ReceptionPlace) -> None:
    people = [
        VisitPersonInput(name="Lê Văn Cư"),
        VisitPersonInput(name="Phạm Thị Dung", is_representative=True),
        *_people(3),
    ]
    visit = _guided(place, people=people, people_count=12).visit

    assert visit.listed_name == "Phạm Thị Dung"
    assert [p.name for p in visit.people.all()][:2] == ["Lê Văn Cư", "Phạm Thị Dung"]


def test_representative_error_says_what_to_fix(place: ReceptionPlace) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _guided(place, people=_people(3), people_count=7)

    (message,) = caught.value.message_dict["people"]
    assert "A group of 7 people chooses 1 to 2 representatives" in message
    assert "(0 marked)" in message


def test_more_people_listed_than_counted_is_refused(place: ReceptionPlace) -> None:
    errors = _errors(place, people=_people(3), people_count=2, **_not_recorded())

    assert list(errors) == ["people"]
    assert "3" in errors["people"][0]
    assert "2" in errors["people"][0]


def test_a_refused_group_needs_no_representative(place: ReceptionPlace) -> None:
    visit = _record(
        place,
        people=_people(6),
        people_count=6,
        outcome=VisitOutcome.REFUSED,
        refusal_ground=RefusalGround.NO_REPRESENTATIVE,
        parts=(),
    ).visit

    assert visit.outcome == VisitOutcome.REFUSED


# --- refusal --------------------------------------------------------------------


def _refuse(place: ReceptionPlace, ground: str, **overrides: Any) -> visits.RecordedVisit:
    fields: dict[str, Any] = {
        "outcome": VisitOutcome.REFUSED,
        "refusal_ground": ground,
        "kind": VisitKind.COMPLAINT,
        "parts": (),
    }
    fields.update(overrides)
    return _record(place, **fields)


def test_grounds_of_2026_are_refused_before_2026_07_01(place: ReceptionPlace) -> None:
    with pytest.raises(ValidationError) as caught:
        _refuse(place, RefusalGround.WEAPONS, received_on=D(2026, 6, 30))

    assert list(caught.value.message_dict) == ["refusal_ground"]
    visit = _refuse(place, RefusalGround.WEAPONS, received_on=D(2026, 7, 1)).visit
    assert (visit.refusal_ground, visit.refusal_notice_due) == ("weapons", None)


def test_grounds_of_the_law_apply_before_2026(place: ReceptionPlace) -> None:
    visit = _refuse(place, RefusalGround.ALREADY_RESOLVED, received_on=D(2026, 6, 15)).visit

    # The 3-working-day notice exists only from 2026-07-01 (NĐ 154/2026 Art. 4(3)).
    assert visit.refusal_notice_due is None
    assert visit.within_competence is True


@pytest.mark.parametrize(
    ("ground", "kind", "due"),
    [
        (RefusalGround.ALREADY_RESOLVED, VisitKind.COMPLAINT, D(2026, 7, 9)),
        (RefusalGround.ALREADY_RESOLVED, VisitKind.DENUNCIATION, D(2026, 7, 9)),
        (RefusalGround.ANSWERED_NO_NEW_FACTS, VisitKind.FEEDBACK, D(2026, 7, 9)),
        (RefusalGround.DISORDERLY, VisitKind.COMPLAINT, None),
        (RefusalGround.COURT_JUDGMENT, VisitKind.COMPLAINT, None),
    ],
)
def test_refusal_notice_due_in_three_working_days_for_two_grounds(
    place: ReceptionPlace, ground: str, kind: str, due: D | None
) -> None:
    recorded = _refuse(place, ground, kind=kind)

    assert recorded.visit.refusal_notice_due == due
    assert recorded.refusal_notice_due == due
    assert recorded.result_notice_due is None
    assert recorded.codes == []


def test_refusal_ground_must_fit_the_kind(place: ReceptionPlace) -> None:
    with pytest.raises(ValidationError) as caught:
        _refuse(place, RefusalGround.ANSWERED_NO_NEW_FACTS, kind=VisitKind.COMPLAINT)

    assert list(caught.value.message_dict) == ["refusal_ground"]
    with pytest.raises(ValidationError):
        _refuse(place, RefusalGround.ALREADY_RESOLVED, kind=VisitKind.FEEDBACK)


def test_refusal_notice_on_time_and_late(place: ReceptionPlace) -> None:
    on_time = _refuse(place, RefusalGround.ALREADY_RESOLVED, received_on=D(2026, 7, 1)).visit
    late = _refuse(place, RefusalGround.ALREADY_RESOLVED, received_on=D(2026, 7, 1)).visit
    assert on_time.refusal_notice_due == D(2026, 7, 6)
    assert visits.refusal_notice_state(on_time, today=D(2026, 7, 6)) == RefusalNoticeState.PENDING
    assert visits.refusal_notice_state(on_time, today=D(2026, 7, 7)) == RefusalNoticeState.OVERDUE

    visits.visit_record_refusal_notice(
        actor=place.officer, visit=on_time, number="12/TB-UBND", sent_on=D(2026, 7, 6)
    )
    with time_machine.travel(datetime.datetime(2026, 7, 8, 9, tzinfo=TZ), tick=False):
        visits.visit_record_refusal_notice(
            actor=place.chairman, visit=late, number="13/TB-UBND", sent_on=D(2026, 7, 7)
        )

    on_time.refresh_from_db()
    late.refresh_from_db()
    assert (on_time.refusal_notice_number, on_time.refusal_notice_sent_on) == (
        "12/TB-UBND",
        D(2026, 7, 6),
    )
    assert visits.refusal_notice_state(on_time) == RefusalNoticeState.SENT
    assert visits.refusal_notice_state(late) == RefusalNoticeState.SENT_LATE
    flags = {
        event.target_id: event.data["late"]
        for event in AuditEvent.objects.filter(action="visit.refusal_notice")
    }
    assert flags == {str(on_time.pk): False, str(late.pk): True}


def test_refusal_notice_bad_input(place: ReceptionPlace) -> None:
    refused = _refuse(place, RefusalGround.ALREADY_RESOLVED).visit
    guided = _guided(place).visit

    def errors(**fields: Any) -> dict[str, list[str]]:
        values = {"actor": place.officer, "visit": refused, "number": "1/TB", "sent_on": TODAY}
        values.update(fields)
        with pytest.raises(ValidationError) as caught:
            visits.visit_record_refusal_notice(**values)
        return caught.value.message_dict

    assert list(errors(visit=guided)) == ["visit"]
    assert list(errors(number="")) == ["number"]
    assert list(errors(number="x" * 51)) == ["number"]
    assert list(errors(sent_on=D(2026, 7, 5))) == ["sent_on"]
    assert list(errors(sent_on=D(2026, 7, 7))) == ["sent_on"]
    assert list(errors(sent_on="2026-07-06")) == ["sent_on"]
    visits.visit_record_refusal_notice(
        actor=place.officer, visit=refused, number="1/TB", sent_on=TODAY
    )
    assert list(errors(number="2/TB")) == ["visit"]
    with pytest.raises(PermissionDenied):
        visits.visit_record_refusal_notice(
            actor=place.department_head, visit=refused, number="3/TB", sent_on=TODAY
        )


# --- other outcomes ---------------------------------------------------------------


def test_transferred_visit_needs_the_body_and_the_document(place: ReceptionPlace) -> None:
    errors = _errors(place, outcome=VisitOutcome.TRANSFERRED, parts=())
    assert set(errors) == {"accepted_by", "transfer_document_number"}

    errors = _errors(
        place,
        outcome=VisitOutcome.TRANSFERRED,
        parts=(),
        accepted_by=place.commune,
        transfer_document_number="15/PC",
    )
    assert list(errors) == ["accepted_by"]

    recorded = _record(
        place,
        outcome=VisitOutcome.TRANSFERRED,
        parts=(),
        accepted_by=place.department,
        transfer_document_number="15/PC-UBND",
    )
    visit = recorded.visit
    assert (visit.accepted_by, visit.transfer_document_number) == (place.department, "15/PC-UBND")
    assert visit.within_competence is False
    assert recorded.result_notice_due == D(2026, 7, 20)
    assert not Petition.objects.exists()


def test_guided_visit_needs_where_to(place: ReceptionPlace) -> None:
    assert list(_errors(place, outcome=VisitOutcome.GUIDED, parts=())) == ["guided_to"]

    visit = _guided(place, guidance_document_number="7/HD").visit
    assert (visit.guided_to, visit.guidance_document_number) == (
        "Tòa án nhân dân khu vực 1",
        "7/HD",
    )
    assert visit.within_competence is False


def test_competence_must_agree_with_the_outcome(place: ReceptionPlace) -> None:
    assert list(_errors(place, within_competence=False)) == ["within_competence"]
    with pytest.raises(ValidationError) as caught:
        _guided(place, within_competence=True)
    assert list(caught.value.message_dict) == ["within_competence"]
    informed = _record(place, outcome=VisitOutcome.INFORMED, parts=(), within_competence=False)
    assert informed.visit.within_competence is False


def test_schedule_must_be_the_organizations_on_that_day(place: ReceptionPlace) -> None:
    def day(**fields: Any) -> ReceptionSchedule:
        values: dict[str, Any] = {
            "organization": place.commune,
            "leader": place.chairman,
            "leader_title": "Chủ tịch UBND phường",
            "category": "commune_chairman",
            "date": TODAY,
            "starts_at": datetime.time(8),
            "ends_at": datetime.time(11),
            "place": "Trụ sở",
            "publish_by": D(2026, 6, 29),
            "status": ScheduleStatus.PUBLISHED,
        }
        values.update(fields)
        return ReceptionSchedule.objects.create(**values)

    assert list(_errors(place, schedule=day(organization=place.department))) == ["schedule"]
    assert list(_errors(place, schedule=day(date=D(2026, 7, 7)))) == ["schedule"]
    assert list(_errors(place, schedule=day(status=ScheduleStatus.CANCELLED))) == ["schedule"]
    good = day()
    assert _record(place, schedule=good).visit.schedule == good


def test_online_reception_exists_from_2026_07_01(place: ReceptionPlace) -> None:
    errors = _errors(place, mode="online", received_on=D(2026, 6, 30), **_not_recorded())
    assert list(errors) == ["mode"]
    visit = _record(place, mode="online").visit
    assert visit.mode == "online"


def _not_recorded() -> dict[str, Any]:
    return {"outcome": VisitOutcome.INFORMED, "parts": ()}


def test_a_visit_that_creates_petitions_is_recorded_on_its_day(place: ReceptionPlace) -> None:
    assert list(_errors(place, received_on=D(2026, 7, 3))) == ["received_on"]
    # Without petitions, an earlier day may be logged.
    assert _record(place, received_on=D(2026, 7, 3), **_not_recorded()).visit.number == 1


# --- bad input ----------------------------------------------------------------------

LONG = "x" * 256


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"summary": ""}, "summary"),
        ({"summary": "x" * 10_001}, "summary"),
        ({"summary": None}, "summary"),
        ({"kind": "petition"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"outcome": "lost"}, "outcome"),
        ({"mode": "phone"}, "mode"),
        ({"received_on": D(2026, 7, 7)}, "received_on"),
        ({"received_on": "2026-07-06"}, "received_on"),
        ({"received_on": None}, "received_on"),
        ({"people": []}, "people"),
        ({"people": "Nguyễn Văn An"}, "people"),
        ({"people": [VisitPersonInput(name="  ")]}, "people[0].name"),
        ({"people": [VisitPersonInput(name=LONG)]}, "people[0].name"),
        ({"people": [VisitPersonInput(name="An", address=LONG)]}, "people[0].address"),
        (
            {"people": [VisitPersonInput(name="An", identity_document="CCCD " + "1" * 46)]},
            "people[0].identity_document",
        ),
        ({"people": [VisitPersonInput(name="An", phone="12ab")]}, "people[0].phone"),
        ({"people": [VisitPersonInput(name="An", email="an@")]}, "people[0].email"),
        ({"people": [{"name": "An"}]}, "people[0]"),
        ({"people_count": 0}, "people_count"),
        ({"people_count": 10_001}, "people_count"),
        ({"people_count": "3"}, "people_count"),
        ({"people_count": True}, "people_count"),
        ({"previously_handled_by": LONG}, "previously_handled_by"),
        ({"guided_to": "Tòa án"}, "guided_to"),
        ({"guidance_document_number": "7/HD"}, "guidance_document_number"),
        ({"transfer_document_number": "1/PC"}, "transfer_document_number"),
        ({"notes": "x" * 10_001}, "notes"),
        ({"notes": 12}, "notes"),
        ({"refusal_ground": RefusalGround.DISORDERLY}, "refusal_ground"),
        ({"within_competence": "yes"}, "within_competence"),
        ({"commune_code": 1}, "commune_code"),
        ({"parts": ()}, "parts"),
        ({"parts": [FEEDBACK_PART, FEEDBACK_PART]}, "parts"),
        ({"parts": ["Đường ngập"]}, "parts[0]"),
        (
            {"parts": [PetitionPart(kind=PetitionKind.COMPLAINT, title="T", content="C")]},
            "parts[0].kind",
        ),
        ({"parts": [PetitionPart(kind="other", title="T", content="C")]}, "parts[0].kind"),
        (
            {"parts": [PetitionPart(kind=PetitionKind.FEEDBACK, title="", content="C")]},
            "parts[0].title",
        ),
        (
            {"parts": [PetitionPart(kind=PetitionKind.FEEDBACK, title=LONG, content="C")]},
            "parts[0].title",
        ),
        (
            {"parts": [PetitionPart(kind=PetitionKind.FEEDBACK, title="T", content="x" * 20_001)]},
            "parts[0].content",
        ),
        (
            {
                "parts": [
                    PetitionPart(kind=PetitionKind.FEEDBACK, title="T", content="C", category=LONG)
                ]
            },
            "parts[0].category",
        ),
        ({"kind": VisitKind.MIXED, "parts": [FEEDBACK_PART]}, "parts"),
        ({"kind": VisitKind.MIXED, "parts": [FEEDBACK_PART, FEEDBACK_PART]}, "parts"),
    ],
)
def test_bad_input_is_refused_field_by_field(
    place: ReceptionPlace, overrides: dict[str, Any], field: str
) -> None:
    errors = _errors(place, **overrides)

    assert field in errors
    _nothing_stored()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"refusal_ground": ""}, "refusal_ground"),
        ({"refusal_ground": "rude"}, "refusal_ground"),
        ({"refusal_ground": "x" * 33}, "refusal_ground"),
        ({"parts": [FEEDBACK_PART]}, "parts"),
        ({"commune_code": COMMUNE}, "commune_code"),
        ({"accepted_by": "ubnd"}, "accepted_by"),
    ],
)
def test_bad_input_of_a_refusal(
    place: ReceptionPlace, overrides: dict[str, Any], field: str
) -> None:
    fields: dict[str, Any] = {
        "outcome": VisitOutcome.REFUSED,
        "refusal_ground": RefusalGround.DISORDERLY,
        "parts": (),
    }
    fields.update(overrides)

    assert field in _errors(place, **fields)


def test_errors_are_in_the_active_language(place: ReceptionPlace) -> None:
    errors = _errors(place, summary="", people=[VisitPersonInput(name="An", phone="1")])

    assert errors["summary"] == [translated("This field is required.")]
    assert errors["people[0].phone"] == [translated("Enter a phone number of 8 to 15 digits.")]
    assert errors["summary"] == ["Trường này là bắt buộc."]


def test_identity_number_goes_to_the_petitioner() -> None:
    assert visits._identity_number("CCCD 082123456789") == "082123456789"
    assert visits._identity_number("Hộ chiếu C1234567, cấp 2020") == "C1234567"
    assert visits._identity_number("Giấy xác nhận của công an xã") == ""


# --- permission ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.RECEPTION_OFFICER, Role.HANDLER, Role.HEAD, Role.ADMINISTRATOR]
)
def test_roles_that_may_record(place: ReceptionPlace, role: Role) -> None:
    user = staff_user(place.commune, role, username=f"u-{role}")

    assert _record(place, actor=user).visit.received_by == user


@pytest.mark.parametrize("role", [Role.COMMISSION_STAFF, Role.EDITOR])
def test_roles_that_may_not_record(place: ReceptionPlace, role: Role) -> None:
    user = staff_user(place.commune, role, username=f"u-{role}")

    with pytest.raises(PermissionDenied):
        _record(place, actor=user)
    _nothing_stored()


def test_others_may_not_record(place: ReceptionPlace) -> None:
    superuser = staff_user(username="root", is_superuser=True)
    assert _record(place, actor=superuser).visit.number == 1

    # The province's chairman does not write the commune's log; nor a stranger.
    for actor in (place.province_chairman, place.department_head, None):
        with pytest.raises(PermissionDenied):
            _record(place, actor=actor)
    assert Visit.objects.count() == 1


# --- follow-up ---------------------------------------------------------------------


def test_follow_up_of_the_result(place: ReceptionPlace) -> None:
    visit = _record(place).visit

    visits.visit_update_follow_up(
        actor=place.chairman, visit=visit, result_follow_up="Đã trả lời ngày 10/7."
    )
    visit.refresh_from_db()
    assert (visit.result_follow_up, visit.notes) == ("Đã trả lời ngày 10/7.", "")
    visits.visit_update_follow_up(
        actor=place.officer, visit=visit, result_follow_up="Đã trả lời ngày 10/7.", notes="Xong"
    )
    visit.refresh_from_db()
    assert visit.notes == "Xong"
    events = AuditEvent.objects.filter(action="visit.follow_up").order_by("id")
    assert [event.data["fields"] for event in events] == [["result_follow_up"], ["notes"]]
    assert "trả lời" not in repr([event.data for event in events])

    with pytest.raises(ValidationError) as caught:
        visits.visit_update_follow_up(
            actor=place.officer, visit=visit, result_follow_up="x" * 10_001, notes=5
        )
    assert set(caught.value.message_dict) == {"result_follow_up", "notes"}
    with pytest.raises(PermissionDenied):
        visits.visit_update_follow_up(
            actor=place.department_head, visit=visit, result_follow_up="?"
        )
    visit.refresh_from_db()
    assert visit.notes == "Xong"


# --- receipts ------------------------------------------------------------------------

DOCUMENTS = [
    {"title": "Đơn khiếu nại", "pages": 2, "copy": "original"},
    {"title": "Quyết định số 12/QĐ-UBND", "pages": 1, "copy": "certified_copy"},
]


def test_receipts_are_numbered_per_organization_and_year(place: ReceptionPlace) -> None:
    visit = _record(place).visit
    other = _guided(place, actor=place.department_head, organization=place.department).visit

    first = visits.receipt_issue(
        actor=place.officer, visit=visit, handed_over_by="Nguyễn Văn An", documents=DOCUMENTS
    )
    second = visits.receipt_issue(
        actor=place.officer, visit=visit, handed_over_by=" Nguyễn Văn An ", documents=DOCUMENTS
    )
    elsewhere = visits.receipt_issue(
        actor=place.department_head, visit=other, handed_over_by="Bình", documents=DOCUMENTS
    )
    with time_machine.travel(datetime.datetime(2027, 1, 4, 9, tzinfo=TZ), tick=False):
        next_year = visits.receipt_issue(
            actor=place.officer, visit=visit, handed_over_by="An", documents=DOCUMENTS[:1]
        )

    assert [(r.number, r.year) for r in (first, second, next_year)] == [
        (1, 2026),
        (2, 2026),
        (1, 2027),
    ]
    assert (elsewhere.number, elsewhere.year) == (1, 2026)
    assert second.handed_over_by == "Nguyễn Văn An"
    assert second.received_by == place.officer
    assert Receipt.objects.get(pk=first.pk).documents == DOCUMENTS
    audit = AuditEvent.objects.get(action="receipt.issue", target_id=str(first.pk))
    assert (audit.data["documents"], audit.data["pages"]) == (2, 3)
    assert "Nguyễn" not in repr(audit.data)
    assert "Quyết định" not in repr(audit.data)


@pytest.mark.parametrize(
    ("handed_over_by", "documents", "field"),
    [
        ("", DOCUMENTS, "handed_over_by"),
        (LONG, DOCUMENTS, "handed_over_by"),
        ("An", [], "documents"),
        ("An", "Đơn", "documents"),
        ("An", {"title": "Đơn", "pages": 1, "copy": "copy"}, "documents"),
        ("An", [{"title": "Đơn", "pages": 1, "copy": "copy"}] * 101, "documents"),
        ("An", ["Đơn"], "documents[0]"),
        ("An", [{"title": " ", "pages": 1, "copy": "copy"}], "documents[0].title"),
        ("An", [{"title": LONG, "pages": 1, "copy": "copy"}], "documents[0].title"),
        ("An", [{"pages": 1, "copy": "copy"}], "documents[0].title"),
        ("An", [{"title": "Đơn", "pages": 0, "copy": "copy"}], "documents[0].pages"),
        ("An", [{"title": "Đơn", "pages": "2", "copy": "copy"}], "documents[0].pages"),
        ("An", [{"title": "Đơn", "pages": 10_001, "copy": "copy"}], "documents[0].pages"),
        ("An", [{"title": "Đơn", "copy": "copy"}], "documents[0].pages"),
        ("An", [{"title": "Đơn", "pages": 1, "copy": "scan"}], "documents[0].copy"),
        ("An", [{"title": "Đơn", "pages": 1}], "documents[0].copy"),
        ("An", [{"title": "Đơn", "pages": 1, "copy": "copy", "x": 1}], "documents[0]"),
        (
            "An",
            [DOCUMENTS[0], {"title": "Đơn", "pages": -1, "copy": "copy"}],
            "documents[1].pages",
        ),
    ],
)
def test_receipt_bad_input(
    place: ReceptionPlace, handed_over_by: str, documents: Any, field: str
) -> None:
    visit = _record(place).visit

    with pytest.raises(ValidationError) as caught:
        visits.receipt_issue(
            actor=place.officer, visit=visit, handed_over_by=handed_over_by, documents=documents
        )

    assert field in caught.value.message_dict
    assert not Receipt.objects.exists()
    assert not ReceptionSequence.objects.filter(register="receipt").exists()


def test_receipt_needs_a_recorder(place: ReceptionPlace) -> None:
    visit = _record(place).visit

    with pytest.raises(PermissionDenied):
        visits.receipt_issue(
            actor=place.department_head, visit=visit, handed_over_by="An", documents=DOCUMENTS
        )


# --- who sees the people ---------------------------------------------------------------


def _denunciation(place: ReceptionPlace) -> Visit:
    return _record(
        place,
        kind=VisitKind.DENUNCIATION,
        summary="Tố cáo cán bộ địa chính nhận tiền",
        parts=[PetitionPart(kind=PetitionKind.DENUNCIATION, title="Tố cáo", content="Cán bộ X.")],
    ).visit


def test_protected_visit_shows_no_name_in_lists_or_search(place: ReceptionPlace) -> None:
    visit = _denunciation(place)

    assert visit.identity_protected is True
    assert visit.listed_name == ""
    assert "nguyen" not in visit.search_text
    assert "12 le loi" not in visit.search_text
    assert "to cao can bo dia chinh" in visit.search_text
    page = visits.visits_log(user=place.chairman)
    (row,) = page.rows
    assert (row.listed_name, row.people, row.identity_protected) == ("", (), True)
    assert "Nguyễn" not in repr(row)
    assert visits.visits_log(user=place.chairman, q="nguyen van an").rows == []
    assert [r.id for r in visits.visits_log(user=place.chairman, q="dia chinh").rows] == [visit.pk]


def test_who_sees_a_protected_visitor(place: ReceptionPlace) -> None:
    visit = _denunciation(place)
    colleague = staff_user(place.commune, Role.RECEPTION_OFFICER, username="tcd-2")
    handler = staff_user(place.commune, Role.HANDLER, username="xuly")
    superuser = staff_user(username="root", is_superuser=True)

    allowed = {
        "receiving officer": place.officer,
        "commune chairman": place.chairman,
        "head above": place.province_chairman,
    }
    refused = {
        "another officer": colleague,
        "a handler": handler,
        "another body's head": place.department_head,
        "superuser": superuser,
        "nobody": None,
    }
    for who, user in allowed.items():
        assert visits.visit_people_visible_to(user, visit), who
    for who, user in refused.items():
        assert not visits.visit_people_visible_to(user, visit), who

    # The handler assigned the linked denunciation may see the denouncer.
    petitions_assign(petitions=list(visit.petitions.all()), assignee=handler, actor=place.chairman)
    assert visits.visit_people_visible_to(handler, visit)

    # The receiving officer who left the commune no longer does.
    Membership.objects.filter(user=place.officer).update(valid_to=D(2026, 7, 5))
    assert not visits.visit_people_visible_to(place.officer, visit)


def test_showing_a_protected_visitor_is_audited(place: ReceptionPlace) -> None:
    visit = _denunciation(place)
    colleague = staff_user(place.commune, Role.RECEPTION_OFFICER, username="tcd-2")

    hidden = visits.visit_people_for(colleague, visit)
    assert hidden == [{"redacted": True}]
    assert not AuditEvent.objects.filter(kind="view").exists()

    shown = visits.visit_people_for(place.chairman, visit, where="log")
    assert shown[0]["name"] == "Nguyễn Văn An"
    assert shown[0]["identity_document"] == "CCCD 082123456789"
    event = AuditEvent.objects.get(kind="view")
    assert (event.action, event.actor, event.target_id) == (
        "visit.view_protected",
        place.chairman,
        str(visit.pk),
    )
    assert event.data == {
        "fields": sorted(visits.PERSON_FIELDS),
        "reason": "log",
    }


def test_visitors_of_other_visits_are_shown_to_readers(place: ReceptionPlace) -> None:
    visit = _record(place).visit
    colleague = staff_user(place.commune, Role.RECEPTION_OFFICER, username="tcd-2")

    assert visits.visit_people_for(colleague, visit)[0]["name"] == "Nguyễn Văn An"
    assert visits.visit_people_for(place.province_chairman, visit)[0]["name"] == "Nguyễn Văn An"
    assert visits.visit_people_for(place.department_head, visit) == [{"redacted": True}]
    assert not AuditEvent.objects.filter(kind="view").exists()


# --- the log ----------------------------------------------------------------------------


def test_log_is_newest_first_and_paged_without_count(place: ReceptionPlace) -> None:
    days = [D(2026, 7, 1), D(2026, 7, 3), D(2026, 7, 3), D(2026, 7, 2)]
    made = [_guided(place, received_on=day).visit for day in days]

    first = visits.visits_log(user=place.officer, limit=3)
    assert [(row.received_on, row.number) for row in first.rows] == [
        (D(2026, 7, 3), 3),
        (D(2026, 7, 3), 2),
        (D(2026, 7, 2), 4),
    ]
    assert first.has_more is True
    rest = visits.visits_log(user=place.officer, offset=3, limit=3)
    assert [row.id for row in rest.rows] == [made[0].pk]
    assert rest.has_more is False
    row = first.rows[0]
    assert row.listed_name == "Nguyễn Văn An"
    assert row.people[0].name == "Nguyễn Văn An"
    assert row.people[0].identity_document == "CCCD 082123456789"
    assert row.guided_to == "Tòa án nhân dân khu vực 1"
    assert row.within_competence is False
    assert (row.kind_label, row.outcome_label) == (
        str(VisitKind.FEEDBACK.label),
        str(VisitOutcome.GUIDED.label),
    )
    with translation.override("en"):
        english = visits.visits_log(user=place.officer, limit=1).rows[0]
    assert english.outcome_label == "Guided to the competent body"


def test_log_filters(place: ReceptionPlace) -> None:
    recorded = _record(place)
    guided = _guided(place, received_on=D(2026, 7, 1), kind=VisitKind.COMPLAINT).visit
    department = _guided(place, actor=place.department_head, organization=place.department).visit

    def ids(user: Any = place.province_chairman, **filters: Any) -> list[int]:
        return [row.id for row in visits.visits_log(user=user, **filters).rows]

    assert ids() == [department.pk, recorded.visit.pk, guided.pk]
    assert ids(place.officer) == [recorded.visit.pk, guided.pk]
    assert ids(place.department_head) == [department.pk]
    assert ids(organizations=[place.commune]) == [recorded.visit.pk, guided.pk]
    # Organizations the user does not read stay out.
    assert ids(place.officer, organizations=[place.department]) == []
    assert ids(date_from=D(2026, 7, 2)) == [department.pk, recorded.visit.pk]
    assert ids(date_to=D(2026, 7, 1)) == [guided.pk]
    assert ids(kind=VisitKind.COMPLAINT) == [guided.pk]
    assert ids(outcome=VisitOutcome.RECORDED) == [recorded.visit.pk]
    assert ids(q="  NGUYỄN   văn ") == [department.pk, recorded.visit.pk, guided.pk]
    assert ids(q="le loi, phuong") == [department.pk, recorded.visit.pk, guided.pk]
    # The number: 1/2026 in the commune's log and in the department's.
    assert ids(q="1/2026") == [department.pk, recorded.visit.pk]
    assert ids(None) == []
    (row,) = visits.visits_log(user=place.officer, outcome=VisitOutcome.RECORDED).rows
    assert row.petition_codes == tuple(recorded.codes)


def test_log_reads_a_page_in_five_queries(
    place: ReceptionPlace, django_assert_num_queries: Any
) -> None:
    _record(place, kind=VisitKind.MIXED, parts=_mixed_parts())
    for _index in range(3):
        _guided(place, people=_people(3), people_count=3)

    with CaptureQueriesContext(connection) as small:
        page = visits.visits_log(user=place.province_chairman)
    assert len(page.rows) == 4
    for _index in range(20):
        _guided(place, people=_people(4), people_count=4)
    with django_assert_num_queries(len(small.captured_queries)):
        page = visits.visits_log(user=place.province_chairman)
    assert len(page.rows) == 24
    # The organizations read, the page's ids, the visits, the people, the
    # petitions' codes.
    assert len(small.captured_queries) == 5
    sql = " ".join(query["sql"] for query in small.captured_queries).upper()
    assert "COUNT(" not in sql


def test_log_never_reads_the_people_of_a_protected_visit(place: ReceptionPlace) -> None:
    _denunciation(place)

    with CaptureQueriesContext(connection) as queries:
        page = visits.visits_log(user=place.chairman)

    assert page.rows[0].people == ()
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert VisitPerson._meta.db_table not in tables
