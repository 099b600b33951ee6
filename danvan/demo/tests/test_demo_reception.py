"""The demo's citizen reception: made once, through the services, and protective."""

import pytest
from django.utils import timezone

from danvan.demo.reception import DIALOGUE_COUNT, PROVINCE_COUNT
from danvan.demo.tests.test_demo import load
from danvan.reception.models import (
    Commitment,
    CommitmentStatus,
    Dialogue,
    DialogueStatus,
    Receipt,
    ReceptionSchedule,
    ScheduleStatus,
    Visit,
    VisitOutcome,
)


@pytest.mark.django_db
def test_the_demo_shows_a_living_reception_and_loads_it_once() -> None:
    load()
    today = timezone.localdate()
    assert ReceptionSchedule.objects.count() == 4 * PROVINCE_COUNT
    assert ReceptionSchedule.objects.filter(status=ScheduleStatus.HELD).count() == PROVINCE_COUNT
    assert Visit.objects.count() == 7 * PROVINCE_COUNT
    # Today's visits became petitions, in person, held by the reception office.
    recorded = Visit.objects.filter(outcome=VisitOutcome.RECORDED, received_on=today)
    assert recorded.count() == 3 * PROVINCE_COUNT
    for visit in recorded:
        assert visit.petitions.exists()
        assert all(p.organization_id == visit.organization_id for p in visit.petitions.all())
    # The visit that brought a denunciation shows no name in lists.
    protected = Visit.objects.filter(identity_protected=True)
    assert protected.count() == PROVINCE_COUNT
    assert set(protected.values_list("listed_name", flat=True)) == {""}
    assert Receipt.objects.count() == PROVINCE_COUNT
    # Dialogues held two days ago on demo complaints being resolved (how many
    # depends on the generated petitions), one commitment each already overdue.
    held = Dialogue.objects.filter(status=DialogueStatus.HELD).count()
    assert 1 <= held <= DIALOGUE_COUNT
    overdue = Commitment.objects.filter(status=CommitmentStatus.OPEN, due_on__lt=today)
    assert overdue.count() == held

    before = Visit.objects.count(), ReceptionSchedule.objects.count(), Dialogue.objects.count()
    load()
    assert (
        Visit.objects.count(),
        ReceptionSchedule.objects.count(),
        Dialogue.objects.count(),
    ) == before
