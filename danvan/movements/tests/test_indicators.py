"""`selectors.indicators`: the figures the cluster briefings read, computed by hand."""

import datetime

import pytest
from pytest_django import DjangoAssertNumQueries

from danvan.core.periods import period_parse
from danvan.movements import communities, registrations, replications
from danvan.movements.models import Campaign, CommunityKind, MovementField
from danvan.movements.selectors import INDICATOR_KEYS, indicators
from danvan.movements.tests.factories import MovementWorld, full_scores, recognize, register_model

pytestmark = pytest.mark.django_db

H1 = period_parse("2026-H1")  # 2026-01-01 .. 2026-06-30


def _campaign(world: MovementWorld, org, start, end, province=None) -> Campaign:  # type: ignore[no-untyped-def]
    return Campaign.objects.create(
        name="Năm Dân vận khéo", organization=org, province=province, starts_on=start, ends_on=end
    )


def _build(world: MovementWorld) -> None:
    d = datetime.date
    dong_thap = world.province.province
    # Campaigns: one for the province (counted), one ending the day before
    # (not), one starting on the last day (counted), one of An Giang (not).
    _campaign(world, world.commission, d(2026, 1, 1), d(2026, 12, 31), dong_thap)
    _campaign(world, world.commission, d(2025, 1, 1), d(2025, 12, 31), dong_thap)
    _campaign(world, world.my_tho, d(2026, 6, 30), d(2026, 8, 1))
    _campaign(world, world.an_giang_commission, d(2026, 1, 1), d(2026, 12, 31))
    # Models registered: on both boundaries (counted) and just outside (not).
    inside_first = register_model(world, name="A", registered_on=d(2026, 1, 1))
    register_model(world, name="B", registered_on=d(2026, 6, 30), organization=world.dao_thanh)
    before = register_model(world, name="C", registered_on=d(2025, 12, 31))
    register_model(world, name="D", registered_on=d(2026, 7, 1))
    register_model(
        world,
        name="E",
        registered_on=d(2026, 3, 3),
        organization=world.an_giang,
        actor=world.an_giang_reviewer,
    )
    # Recognized: A in the period; C recognized in 2025 and renewed in H1
    # (counted once); an An Giang model recognized in the period (not).
    recognize(world, inside_first, on=d(2026, 6, 30))
    c = recognize(world, before, on=d(2025, 12, 31))
    registrations.evaluation_record(
        actor=world.reviewer,
        registration=c,
        scores=dict.fromkeys(full_scores(c), 10),
        evaluated_on=d(2026, 2, 1),
    )
    registrations.registration_renew(
        actor=world.reviewer, registration=c, decided_on=d(2026, 2, 1)
    )
    other = register_model(
        world,
        name="F",
        registered_on=d(2025, 5, 5),
        organization=world.an_giang,
        actor=world.an_giang_reviewer,
    )
    recognize(world, other, on=d(2026, 4, 4), actor=world.an_giang_reviewer)
    # Replications: Đạo Thạnh adopts A in H1 (counted, adopter in scope);
    # An Giang adopts A in H1 (not: adopter outside); Đạo Thạnh adopts F on
    # 1 July (not: after the period).
    replications.replication_record(
        actor=world.dao_thanh_staff,
        model=c,
        organization=world.dao_thanh,
        started_on=d(2026, 1, 1),
    )
    replications.replication_record(
        actor=world.an_giang_staff, model=c, organization=world.an_giang, started_on=d(2026, 5, 1)
    )
    replications.replication_record(
        actor=world.dao_thanh_staff,
        model=other,
        organization=world.dao_thanh,
        started_on=d(2026, 7, 1),
    )
    # Exemplars: one recognized in H1 (counted), one registered but not recognized.
    for name, recognized in (("Ông Tám", True), ("Bà Năm", False)):
        exemplar = registrations.exemplar_register(
            actor=world.reviewer,
            organization=world.my_tho,
            name=name,
            kind="individual",
            field=MovementField.CULTURE_SOCIETY,
            started_on=d(2020, 1, 1),
            description="…",
            registered_on=d(2026, 1, 5),
        )
        if recognized:
            recognize(world, exemplar, on=d(2026, 3, 8))
    # Communities: one with a meeting on the last day (counted), one with
    # only an activity after the period (not), one of An Giang (not).
    for org, actor, name, day in (
        (world.my_tho, world.my_tho_staff, "Hội quán 1", d(2026, 6, 30)),
        (world.dao_thanh, world.dao_thanh_staff, "Tổ tự quản 2", d(2026, 7, 1)),
        (world.an_giang, world.an_giang_staff, "Hội quán 3", d(2026, 2, 2)),
    ):
        community = communities.community_register(
            actor=actor,
            organization=org,
            name=name,
            kind=CommunityKind.CLUBHOUSE,
            commune=None,
            founded_on=d(2020, 1, 1),
        )
        for _ in range(2):
            communities.event_record(
                actor=actor, community=community, kind="meeting", date=day, title="Họp"
            )


def test_indicators_of_a_province_match_the_data(world: MovementWorld) -> None:
    _build(world)
    figures = indicators(world.province, H1)
    assert list(figures) == list(INDICATOR_KEYS)
    assert figures == {
        "campaigns_active": 2,
        "models_registered": 2,
        "models_recognized": 2,
        "models_replicated": 1,
        "exemplars_recognized": 1,
        "communities_active": 1,
    }
    # The commission of the province sees the same province.
    assert indicators(world.commission, H1) == figures


def test_indicators_of_another_province_and_of_a_commune(world: MovementWorld) -> None:
    _build(world)
    an_giang = world.an_giang.parent
    assert indicators(an_giang, H1) == {
        "campaigns_active": 1,
        "models_registered": 1,
        "models_recognized": 1,
        "models_replicated": 1,
        "exemplars_recognized": 0,
        "communities_active": 1,
    }
    # A commune counts its own subtree only.
    assert indicators(world.dao_thanh, H1) == {
        "campaigns_active": 0,
        "models_registered": 1,
        "models_recognized": 0,
        "models_replicated": 1,
        "exemplars_recognized": 0,
        "communities_active": 0,
    }


def test_indicators_take_few_queries(
    world: MovementWorld, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _build(world)
    with django_assert_max_num_queries(6):
        indicators(world.province, H1)
    with django_assert_max_num_queries(7):
        indicators(world.dao_thanh, H1)
