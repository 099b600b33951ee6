"""Replication of recognized models and their reach; the communities' registry."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.movements import communities, registrations, replications
from danvan.movements.models import CommunityKind, MovementModel
from danvan.movements.registrations import ResultInput
from danvan.movements.tests.factories import MovementWorld, recognize, register_model

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 4)


def test_replication_needs_a_recognized_model(world: MovementWorld) -> None:
    model = register_model(world)
    with pytest.raises(ValidationError) as caught:
        replications.replication_record(
            actor=world.dao_thanh_staff, model=model, organization=world.dao_thanh, started_on=DAY
        )
    assert "model" in caught.value.message_dict


def test_adoptions_have_their_own_results_and_make_the_reach(world: MovementWorld) -> None:
    model = recognize(world, register_model(world), on=datetime.date(2026, 3, 2))
    assert replications.model_reach(model) == replications.Reach(
        adoptions=0, units=1, communes=1, provinces=1
    )
    first = replications.replication_record(
        actor=world.dao_thanh_staff,
        model=model,
        organization=world.dao_thanh,
        started_on=DAY,
        note="Áp dụng cho 2 ấp",
        results=[ResultInput(label="Hộ tham gia", value=45, unit="hộ")],
    )
    assert first.commune_id == world.dao_thanh.commune_id
    assert [(r.label, int(r.value)) for r in first.results.all()] == [("Hộ tham gia", 45)]
    replications.replication_record(
        actor=world.an_giang_staff,
        model=model,
        organization=world.an_giang,
        started_on=datetime.date(2026, 7, 1),
    )
    reach = replications.model_reach(MovementModel.objects.get(pk=model.pk))
    assert reach == replications.Reach(adoptions=2, units=3, communes=3, provinces=2)
    assert replications.adoption_counts([model.pk]) == {model.pk: 2}
    # Once per unit, never by the model's own unit, only by its staff.
    with pytest.raises(ValidationError) as caught:
        replications.replication_record(
            actor=world.dao_thanh_staff, model=model, organization=world.dao_thanh, started_on=DAY
        )
    assert "organization" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        replications.replication_record(
            actor=world.reviewer, model=model, organization=world.my_tho, started_on=DAY
        )
    assert "organization" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        replications.replication_record(
            actor=world.my_tho_staff, model=model, organization=world.province, started_on=DAY
        )


def test_community_registry_members_and_events(world: MovementWorld) -> None:
    clubhouse = communities.community_register(
        actor=world.my_tho_staff,
        organization=world.my_tho,
        name="Hội quán Mỹ Tho",
        kind=CommunityKind.CLUBHOUSE,
        commune=None,
        founded_on=datetime.date(2022, 4, 1),
    )
    assert clubhouse.commune_id == world.my_tho.commune_id
    assert clubhouse.name_folded == "hoi quan my tho"
    communities.member_add(
        actor=world.my_tho_staff, community=clubhouse, name="Lê Văn Tư", role="Chủ nhiệm"
    )
    communities.event_record(
        actor=world.reviewer,
        community=clubhouse,
        kind="meeting",
        date=DAY,
        title="Sinh hoạt định kỳ tháng 5",
        participants="38",
    )
    assert clubhouse.members.count() == 1
    assert clubhouse.events.get().participants == 38
    with pytest.raises(ValidationError) as caught:
        communities.event_record(
            actor=world.my_tho_staff,
            community=clubhouse,
            kind="party",
            date=datetime.date(2021, 1, 1),
            title="",
            participants="-3",
        )
    assert set(caught.value.message_dict) == {"kind", "date", "title", "participants"}
    with pytest.raises(PermissionDenied):
        communities.member_add(actor=world.an_giang_staff, community=clubhouse, name="X")
    # The clubhouse registered as a model.
    model = registrations.model_register(
        actor=world.reviewer,
        organization=world.my_tho,
        name="Mô hình Hội quán Mỹ Tho",
        field="economy",
        started_on=datetime.date(2022, 4, 1),
        description="Hội quán là nơi nông dân tự quản, học hỏi lẫn nhau.",
        commune=world.my_tho.commune,
        community=clubhouse,
    )
    assert list(clubhouse.models.all()) == [model]


def test_community_bad_input(world: MovementWorld) -> None:
    with pytest.raises(ValidationError) as caught:
        communities.community_register(
            actor=world.reviewer,
            organization=world.my_tho,
            name="",
            kind="club",
            commune=world.an_giang.commune,
            founded_on="hôm qua",
        )
    assert set(caught.value.message_dict) == {"name", "kind", "commune", "founded_on"}


def test_campaigns_are_launched_by_commissions(world: MovementWorld) -> None:
    from danvan.movements import campaigns

    dong_thap = world.province.province
    campaign = campaigns.campaign_launch(
        actor=world.reviewer,
        organization=world.commission,
        name="Năm Dân vận khéo 2026",
        province=dong_thap,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    assert campaign.province == dong_thap
    with pytest.raises(PermissionDenied):  # another province's commission
        campaigns.campaign_launch(
            actor=world.an_giang_reviewer,
            organization=world.an_giang_commission,
            name="X",
            province=dong_thap,
            starts_on=DAY,
            ends_on=DAY,
        )
    with pytest.raises(PermissionDenied):  # the whole country needs the central commission
        campaigns.campaign_launch(
            actor=world.reviewer,
            organization=world.commission,
            name="X",
            starts_on=DAY,
            ends_on=DAY,
        )
    with pytest.raises(ValidationError) as caught:
        campaigns.campaign_launch(
            actor=world.central_staff,
            organization=world.central,
            name="",
            starts_on=DAY,
            ends_on=datetime.date(2026, 1, 1),
        )
    assert set(caught.value.message_dict) == {"name", "ends_on"}
