"""The demo's movement (`danvan.demo.movements.load_movements`): made once,
through the services, with every outcome of the workflow."""

import datetime

import pytest
from django.utils import timezone

from danvan.core.periods import period_parse
from danvan.demo.loader import DemoReport
from danvan.demo.movements import EXEMPLARS, MODELS, load_movements
from danvan.demo.tests.test_demo import load
from danvan.movements.models import (
    Campaign,
    Community,
    CommunityEvent,
    Evidence,
    Exemplar,
    MovementModel,
    Replication,
)
from danvan.movements.selectors import indicators
from danvan.orgs.models import Organization


@pytest.mark.django_db
def test_demo_movement_loads_once_with_every_outcome() -> None:
    load()  # the demo loader calls load_movements
    report = DemoReport()
    assert Campaign.objects.count() == 1
    assert MovementModel.objects.count() == len(MODELS) == 12
    assert Exemplar.objects.count() == len(EXEMPLARS) == 3
    statuses = set(MovementModel.objects.values_list("status", flat=True))
    assert statuses == {
        "registered",
        "under_review",
        "recognized",
        "not_recognized",
        "screened_out",
    }
    levels = set(MovementModel.objects.filter(status="recognized").values_list("level", flat=True))
    assert levels == {"commune", "province", "central"}
    assert Replication.objects.count() == 6
    assert set(Replication.objects.values_list("province_id", flat=True)) >= {91, 92}
    assert Community.objects.count() == 2
    assert CommunityEvent.objects.count() == 6
    assert Evidence.objects.filter(image__isnull=False).count() == 6
    assert MovementModel.objects.filter(community__isnull=False).count() == 2
    today = timezone.localdate()
    figures = indicators(
        Organization.objects.get(code="ubnd-dong-thap"),
        period_parse(f"{today - datetime.timedelta(days=70)}..{today}"),
    )
    assert figures["communities_active"] == 2
    before = MovementModel.objects.count(), Replication.objects.count()
    load_movements(report)  # once more: nothing added
    assert (MovementModel.objects.count(), Replication.objects.count()) == before
    assert report.existing["movement runs"] == 1
