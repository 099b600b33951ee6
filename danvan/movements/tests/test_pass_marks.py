"""The pass mark is data per province: the default row (70 %), a
province's own row, the back-office pages that edit them, and the
evaluations and pages that use them."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from danvan.core.models import AuditEvent
from danvan.movements import registrations, workflow
from danvan.movements.criteria import FALLBACK_PASS_PERCENT, criteria_for, pass_percent_for
from danvan.movements.models import RecognitionRule
from danvan.movements.tests.factories import (
    AN_GIANG,
    DONG_THAP,
    MovementWorld,
    register_model,
)
from danvan.orgs.models import Role
from danvan.petitions.tests.factories import PASSWORD, staff_user

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 4)


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _scores_59_of_90(model: Any) -> dict[int, int]:
    """59 of the 90 points of the default criteria: 65.6 %."""
    criteria = list(criteria_for(model.province_id))
    assert sum(c.max_score for c in criteria) == 90
    return {c.pk: (7 if index < 5 else 6) for index, c in enumerate(criteria)}


def test_default_pass_mark_is_seeded_at_70_and_used_by_every_province() -> None:
    default = RecognitionRule.objects.get(province__isnull=True)
    assert default.pass_percent == 70
    assert pass_percent_for(DONG_THAP) == pass_percent_for(None) == 70
    # With no row at all (a database emptied by a transactional test), the
    # value the migration seeds.
    RecognitionRule.objects.all().delete()
    assert pass_percent_for(DONG_THAP) == FALLBACK_PASS_PERCENT == 70


def test_passes_reads_the_mark_it_is_given() -> None:
    assert workflow.passes(59, 90, pass_percent=60)
    assert not workflow.passes(59, 90, pass_percent=70)
    assert workflow.passes(63, 90, pass_percent=70)  # exactly 70 %
    assert not workflow.passes(0, 0, pass_percent=1)


def test_a_province_at_60_percent_passes_what_the_default_refuses(world: MovementWorld) -> None:
    RecognitionRule.objects.create(province_id=DONG_THAP, pass_percent=60, basis="HD 05-HD/BDV")
    assert pass_percent_for(DONG_THAP) == 60
    assert pass_percent_for(AN_GIANG) == 70
    dong_thap = register_model(world)
    an_giang = register_model(
        world,
        name="Tổ an ninh Long Xuyên",
        organization=world.an_giang,
        actor=world.an_giang_reviewer,
    )
    results = {}
    for model, reviewer in ((dong_thap, world.reviewer), (an_giang, world.an_giang_reviewer)):
        model = registrations.registration_review(actor=reviewer, registration=model)
        results[model.province_id] = registrations.evaluation_record(
            actor=reviewer, registration=model, scores=_scores_59_of_90(model), evaluated_on=DAY
        )
    passed = results[DONG_THAP]
    refused = results[AN_GIANG]
    assert (passed.total, passed.maximum, passed.pass_percent, passed.passed) == (59, 90, 60, True)
    assert (refused.total, refused.pass_percent, refused.passed) == (59, 70, False)
    recognized = registrations.registration_recognize(
        actor=world.reviewer, registration=dong_thap, level="province", decided_on=DAY
    )
    assert recognized.status == "recognized"
    with pytest.raises(ValidationError) as caught:
        registrations.registration_recognize(
            actor=world.an_giang_reviewer, registration=an_giang, level="province", decided_on=DAY
        )
    # The refusal names the mark the evaluation was held to.
    assert "70%" in caught.value.message_dict["evaluation"][0]
    event = AuditEvent.objects.filter(action="movement.evaluate", target_id=str(dong_thap.pk))
    assert event.get().data["pass_percent"] == 60


def test_an_evaluation_keeps_the_mark_it_was_held_to(world: MovementWorld) -> None:
    model = registrations.registration_review(
        actor=world.reviewer, registration=register_model(world)
    )
    evaluation = registrations.evaluation_record(
        actor=world.reviewer, registration=model, scores=_scores_59_of_90(model), evaluated_on=DAY
    )
    assert not evaluation.passed
    # Lowering the mark afterwards does not turn the old evaluation into a pass.
    RecognitionRule.objects.filter(province__isnull=True).update(pass_percent=50)
    with pytest.raises(ValidationError):
        registrations.registration_recognize(
            actor=world.reviewer, registration=model, level="province", decided_on=DAY
        )
    evaluation.refresh_from_db()
    assert (evaluation.pass_percent, evaluation.passed) == (70, False)


def test_registration_page_shows_the_province_s_pass_mark(world: MovementWorld) -> None:
    RecognitionRule.objects.create(province_id=DONG_THAP, pass_percent=60)
    dong_thap = register_model(world)
    an_giang = register_model(
        world,
        name="Tổ an ninh Long Xuyên",
        organization=world.an_giang,
        actor=world.an_giang_reviewer,
    )
    page = login(world.reviewer).get(reverse("movements_staff:registration", args=[dong_thap.pk]))
    assert page.context["pass_percent"] == 60
    help_text = page.text.split('data-testid="pass-mark">', 1)[1].split("</p>", 1)[0]
    assert "60%" in help_text
    other = login(world.an_giang_reviewer).get(
        reverse("movements_staff:registration", args=[an_giang.pk])
    )
    assert other.context["pass_percent"] == 70
    assert "70%" in other.text.split('data-testid="pass-mark">', 1)[1].split("</p>", 1)[0]


@pytest.fixture
def admin(world: MovementWorld) -> Any:
    return staff_user(world.province, Role.ADMINISTRATOR, username="m-admin")


def _form(page: Any) -> Any:
    return page.context["form"]


def test_administrators_set_a_province_s_pass_mark_and_bad_values_are_refused(
    world: MovementWorld, admin: Any
) -> None:
    client = login(admin)
    assert client.get(reverse("movement_pass_marks:index")).status_code == 200
    add = reverse("movement_pass_marks:add")
    for bad in ("0", "101", "bảy mươi"):
        page = client.post(add, {"province": DONG_THAP, "pass_percent": bad, "basis": ""})
        assert page.status_code == 200
        assert list(_form(page).errors) == ["pass_percent"]
        assert _form(page).errors["pass_percent"][0]  # a message beside the field
    assert not RecognitionRule.objects.filter(province_id=DONG_THAP).exists()
    page = client.post(add, {"province": DONG_THAP, "pass_percent": "60", "basis": "HD 05"})
    assert page.status_code == 302
    assert pass_percent_for(DONG_THAP) == 60
    event = AuditEvent.objects.get(action="pass_mark.create")
    assert event.data == {"province": DONG_THAP, "pass_percent": 60, "previous": None}
    # A second row for the same province is refused with a message.
    page = client.post(add, {"province": DONG_THAP, "pass_percent": "65", "basis": ""})
    assert page.status_code == 200
    assert _form(page).non_field_errors()
    assert RecognitionRule.objects.filter(province_id=DONG_THAP).count() == 1


def test_administrators_change_the_default_but_cannot_delete_it(
    world: MovementWorld, admin: Any
) -> None:
    client = login(admin)
    default = RecognitionRule.objects.get(province__isnull=True)
    edit = reverse("movement_pass_marks:edit", args=[default.pk])
    page = client.post(edit, {"province": "", "pass_percent": "101", "basis": ""})
    assert page.status_code == 200
    assert "pass_percent" in _form(page).errors
    page = client.post(edit, {"province": "", "pass_percent": "75", "basis": "QĐ 12/2026"})
    assert page.status_code == 302
    assert pass_percent_for(AN_GIANG) == 75
    event = AuditEvent.objects.get(action="pass_mark.update")
    assert event.data == {"province": None, "pass_percent": 75, "previous": 70}
    delete = reverse("movement_pass_marks:delete", args=[default.pk])
    assert client.get(delete).status_code == 302
    assert client.post(delete).status_code == 302
    assert RecognitionRule.objects.filter(pk=default.pk).exists()
    assert not AuditEvent.objects.filter(action="pass_mark.delete").exists()
    # A province's own mark may be deleted: it then uses the default again.
    own = RecognitionRule.objects.create(province_id=DONG_THAP, pass_percent=60)
    client.post(reverse("movement_pass_marks:delete", args=[own.pk]))
    assert pass_percent_for(DONG_THAP) == 75
    assert AuditEvent.objects.filter(action="pass_mark.delete").count() == 1


def test_only_administrators_see_and_edit_the_pass_marks(world: MovementWorld) -> None:
    index = reverse("movement_pass_marks:index")
    for user in (world.reviewer, world.my_tho_staff):
        assert login(user).get(index).status_code in (302, 403)
        page = login(user).post(
            reverse("movement_pass_marks:add"), {"province": DONG_THAP, "pass_percent": "10"}
        )
        assert page.status_code in (302, 403)
    assert not RecognitionRule.objects.filter(province_id=DONG_THAP).exists()
