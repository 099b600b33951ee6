"""Registering, evaluating, recognizing, renewing and screening out
models and exemplars; the criteria per province; who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.core.models import AuditEvent
from danvan.movements import registrations, workflow
from danvan.movements.criteria import criteria_for
from danvan.movements.models import (
    Exemplar,
    MovementField,
    Recognition,
    RecognitionCriterion,
    RegistrationStatus,
)
from danvan.movements.registrations import ResultInput
from danvan.movements.tests.factories import (
    DONG_THAP,
    MovementWorld,
    full_scores,
    recognize,
    register_model,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 4)


def test_default_criteria_are_seeded_from_the_common_set() -> None:
    defaults = list(criteria_for(None))
    assert len(defaults) == 9
    assert defaults[0].title == "Có tên gọi, địa chỉ cụ thể"
    assert all(c.max_score == 10 and c.province_id is None for c in defaults)
    # A province without criteria of its own uses the default set.
    assert [c.pk for c in criteria_for(DONG_THAP)] == [c.pk for c in defaults]


def test_a_province_with_its_own_criteria_uses_only_those(world: MovementWorld) -> None:
    own = [
        RecognitionCriterion.objects.create(province_id=DONG_THAP, order=i, title=t, max_score=m)
        for i, (t, m) in enumerate((("Sáng tạo, tiết kiệm", 20), ("Hài hòa ba lợi ích", 30)))
    ]
    RecognitionCriterion.objects.create(province_id=DONG_THAP, title="Tạm ngưng", is_active=False)
    RecognitionCriterion.objects.create(
        province_id=DONG_THAP, title="Chỉ cho điển hình", target="exemplar"
    )
    assert list(criteria_for(DONG_THAP)) == own
    assert len(criteria_for(DONG_THAP, target="exemplar")) == 3
    # Another province keeps the default set.
    assert len(criteria_for(91)) == 9
    model = register_model(world)
    model = registrations.registration_review(actor=world.reviewer, registration=model)
    evaluation = registrations.evaluation_record(
        actor=world.reviewer,
        registration=model,
        scores={own[0].pk: 15, own[1].pk: 21},
        evaluated_on=DAY,
    )
    assert (evaluation.total, evaluation.maximum, evaluation.passed) == (36, 50, True)
    assert evaluation.scores.count() == 2


def test_register_stores_the_model_its_results_and_an_audit_event(world: MovementWorld) -> None:
    model = registrations.model_register(
        actor=world.my_tho_staff,
        organization=world.my_tho,
        name="  Hội quán Tình Nghĩa  ",
        field=MovementField.ECONOMY,
        started_on=datetime.date(2023, 1, 10),
        description="Nông dân chia sẻ cách làm lúa giảm giống.",
        commune=world.my_tho.commune,
        results=[ResultInput(label="Hộ tham gia", value="120", unit="hộ")],
    )
    assert model.name == "Hội quán Tình Nghĩa"
    assert model.status == RegistrationStatus.REGISTERED
    assert model.province_id == DONG_THAP
    assert model.registered_on == datetime.date(2026, 9, 14)
    registrations.registration_review(actor=world.reviewer, registration=model)
    registrations.evaluation_record(
        actor=world.reviewer, registration=model, scores=full_scores(model)
    )
    with pytest.raises(ValidationError) as caught:
        registrations.registration_recognize(
            actor=world.reviewer, registration=model, level="province", decided_on=DAY
        )
    assert "decided_on" in caught.value.message_dict
    assert [(r.label, r.value, r.unit) for r in model.results.all()] == [
        ("Hộ tham gia", Decimal("120.00"), "hộ")
    ]
    event = AuditEvent.objects.get(action="movement.model.register")
    assert event.target_id == str(model.pk)
    assert "Hội quán" not in str(event.data)


def test_register_rejects_bad_input_field_by_field(world: MovementWorld) -> None:
    with pytest.raises(ValidationError) as caught:
        registrations.model_register(
            actor=world.reviewer,
            organization=world.my_tho,
            name=" ",
            field="sports",
            started_on=datetime.date(2027, 1, 1),
            description="",
            commune=world.an_giang.commune,
            results=[ResultInput(label="Hộ", value="nhiều", unit="")],
        )
    errors = caught.value.message_dict
    assert set(errors) == {
        "name",
        "field",
        "started_on",
        "description",
        "commune",
        "results[0].value",
        "results[0].unit",
    }


def test_only_the_unit_or_its_province_commission_registers(world: MovementWorld) -> None:
    register_model(world, actor=world.my_tho_staff)
    register_model(world, actor=world.reviewer, name="Tổ tự quản")
    register_model(world, actor=world.central_staff, name="Tổ an ninh")
    for outsider in (world.dao_thanh_staff, world.an_giang_staff, world.an_giang_reviewer):
        with pytest.raises(PermissionDenied):
            register_model(world, actor=outsider, name="Không được")


def test_recognition_flow_and_its_audit_trail(world: MovementWorld) -> None:
    model = register_model(world)
    assert workflow.steps_from(model.status) == [workflow.Step.REVIEW]
    model = registrations.registration_review(actor=world.reviewer, registration=model)
    assert model.status == RegistrationStatus.UNDER_REVIEW
    # No evaluation yet: recognition is refused, field "evaluation".
    with pytest.raises(ValidationError) as caught:
        registrations.registration_recognize(
            actor=world.reviewer, registration=model, level="province", decided_on=DAY
        )
    assert "evaluation" in caught.value.message_dict
    # A failing evaluation (below PASS_PERCENT) still refuses it.
    low = dict.fromkeys(full_scores(model), 5)
    evaluation = registrations.evaluation_record(
        actor=world.reviewer, registration=model, scores=low, evaluated_on=DAY
    )
    assert (evaluation.total, evaluation.maximum, evaluation.passed) == (45, 90, False)
    with pytest.raises(ValidationError):
        registrations.registration_recognize(
            actor=world.reviewer, registration=model, level="province", decided_on=DAY
        )
    scores = dict.fromkeys(full_scores(model), 8)  # 72/90 = 80 %
    registrations.evaluation_record(
        actor=world.reviewer, registration=model, scores=scores, evaluated_on=DAY
    )
    model = registrations.registration_recognize(
        actor=world.reviewer,
        registration=model,
        level="province",
        decided_on=DAY,
        decision_number="125-QĐ/BTGDVTU",
    )
    assert (model.status, model.level, model.recognized_on) == ("recognized", "province", DAY)
    assert model.last_reviewed_year == 2026
    recognition = Recognition.objects.get(registration_id=model.pk)
    assert (recognition.year, recognition.decision_number) == (2026, "125-QĐ/BTGDVTU")
    actions = list(
        AuditEvent.objects.filter(target_id=str(model.pk), action__startswith="movement.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "movement.model.register",
        "movement.review",
        "movement.evaluate",
        "movement.evaluate",
        "movement.recognize",
    ]


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("registered", "recognize"),
        ("registered", "reject"),
        ("registered", "screen_out"),
        ("under_review", "review"),
        ("under_review", "screen_out"),
        ("under_review", "renew"),
        ("recognized", "review"),
        ("recognized", "reject"),
        ("not_recognized", "recognize"),
        ("screened_out", "renew"),
        ("screened_out", "review"),
    ],
)
def test_forbidden_transitions_are_refused(world: MovementWorld, status: str, step: str) -> None:
    model = register_model(world)
    type(model).objects.filter(pk=model.pk).update(
        status=status, level="province" if status == "recognized" else ""
    )
    model.refresh_from_db()
    calls = {
        "review": lambda: registrations.registration_review(
            actor=world.reviewer, registration=model
        ),
        "recognize": lambda: registrations.registration_recognize(
            actor=world.reviewer, registration=model, level="province", decided_on=DAY
        ),
        "reject": lambda: registrations.registration_reject(
            actor=world.reviewer, registration=model, reason="Chưa hiệu quả"
        ),
        "renew": lambda: registrations.registration_renew(
            actor=world.reviewer, registration=model, decided_on=DAY
        ),
        "screen_out": lambda: registrations.registration_screen_out(
            actor=world.reviewer, registration=model, reason="Không còn duy trì"
        ),
    }
    with pytest.raises(ValidationError) as caught:
        calls[step]()
    assert "status" in caught.value.message_dict
    model.refresh_from_db()
    assert model.status == status


def test_reject_needs_a_reason_and_may_be_reviewed_again(world: MovementWorld) -> None:
    model = register_model(world)
    model = registrations.registration_review(actor=world.reviewer, registration=model)
    with pytest.raises(ValidationError) as caught:
        registrations.registration_reject(actor=world.reviewer, registration=model, reason="  ")
    assert "reason" in caught.value.message_dict
    model = registrations.registration_reject(
        actor=world.reviewer, registration=model, reason="Chưa có kết quả cụ thể"
    )
    assert (model.status, model.closing_reason) == ("not_recognized", "Chưa có kết quả cụ thể")
    model = registrations.registration_review(actor=world.reviewer, registration=model)
    assert model.status == "under_review"


def test_annual_re_review_renews_or_screens_out(world: MovementWorld) -> None:
    model = recognize(
        world,
        register_model(world, registered_on=datetime.date(2025, 10, 1)),
        on=datetime.date(2025, 11, 20),
    )
    assert list(registrations.due_for_review(2026)) == [model.registration_ptr]
    # Renewal needs a passing evaluation of the new year.
    with pytest.raises(ValidationError):
        registrations.registration_renew(actor=world.reviewer, registration=model, decided_on=DAY)
    registrations.evaluation_record(
        actor=world.reviewer, registration=model, scores=full_scores(model), evaluated_on=DAY
    )
    model = registrations.registration_renew(
        actor=world.reviewer, registration=model, decided_on=DAY, level="commune"
    )
    assert (model.status, model.level, model.last_reviewed_year) == ("recognized", "commune", 2026)
    assert model.recognized_on == datetime.date(2025, 11, 20)
    assert list(
        Recognition.objects.filter(registration_id=model.pk).values_list("year", flat=True)
    ) == [2026, 2025]
    assert list(registrations.due_for_review(2026)) == []
    # Renewed twice in a year: refused.
    with pytest.raises(ValidationError):
        registrations.registration_renew(actor=world.reviewer, registration=model, decided_on=DAY)
    model = registrations.registration_screen_out(
        actor=world.reviewer, registration=model, reason="Hội quán ngưng sinh hoạt từ tháng 6"
    )
    assert model.status == "screened_out"
    assert model.closing_reason == "Hội quán ngưng sinh hoạt từ tháng 6"
    assert model.closed_on == datetime.date(2026, 9, 14)
    event = AuditEvent.objects.get(action="movement.screen_out")
    assert event.data == {"level": "commune"}


def test_who_may_review_and_recognize_at_each_level(world: MovementWorld) -> None:
    model = register_model(world)
    for outsider in (world.my_tho_staff, world.an_giang_reviewer, world.editor):
        with pytest.raises(PermissionDenied):
            registrations.registration_review(actor=outsider, registration=model)
    model = registrations.registration_review(actor=world.reviewer, registration=model)
    registrations.evaluation_record(
        actor=world.reviewer, registration=model, scores=full_scores(model), evaluated_on=DAY
    )
    # The province's commission may not recognize at central level…
    with pytest.raises(PermissionDenied):
        registrations.registration_recognize(
            actor=world.reviewer, registration=model, level="central", decided_on=DAY
        )
    # …the commune's head only at commune level…
    with pytest.raises(PermissionDenied):
        registrations.registration_recognize(
            actor=world.my_tho_head, registration=model, level="province", decided_on=DAY
        )
    model = registrations.registration_recognize(
        actor=world.my_tho_head, registration=model, level="commune", decided_on=DAY
    )
    assert model.level == "commune"
    # …and the central commission at any level.
    registrations.evaluation_record(
        actor=world.central_staff,
        registration=model,
        scores=full_scores(model),
        evaluated_on=datetime.date(2026, 9, 1),
    )
    with pytest.raises(ValidationError):  # already recognized for 2026
        registrations.registration_renew(
            actor=world.central_staff, registration=model, level="central", decided_on=DAY
        )


def test_evaluation_scores_are_checked_per_criterion(world: MovementWorld) -> None:
    model = register_model(world)
    with pytest.raises(ValidationError) as caught:
        registrations.evaluation_record(
            actor=world.reviewer, registration=model, scores=full_scores(model)
        )
    assert "status" in caught.value.message_dict
    model = registrations.registration_review(actor=world.reviewer, registration=model)
    criteria = list(criteria_for(DONG_THAP))
    scores: dict[int, object] = {c.pk: 10 for c in criteria}
    scores[criteria[0].pk] = 11
    scores[criteria[1].pk] = "mười"
    del scores[criteria[2].pk]
    with pytest.raises(ValidationError) as caught:
        registrations.evaluation_record(actor=world.reviewer, registration=model, scores=scores)
    assert set(caught.value.message_dict) == {
        f"score_{criteria[0].pk}",
        f"score_{criteria[1].pk}",
        f"score_{criteria[2].pk}",
    }


def test_exemplar_register_and_recognize(world: MovementWorld) -> None:
    exemplar = registrations.exemplar_register(
        actor=world.reviewer,
        organization=world.dao_thanh,
        name="Bà Nguyễn Thị Hoa",
        kind="individual",
        title="Tổ trưởng tổ dân phố 3",
        field=MovementField.CULTURE_SOCIETY,
        started_on=datetime.date(2020, 1, 1),
        description="Vận động bà con hiến đất làm đường.",
        commune=world.dao_thanh.commune,
        registered_on=datetime.date(2026, 2, 1),
    )
    exemplar = recognize(world, exemplar, on=DAY, level="province")
    assert isinstance(exemplar, Exemplar)
    assert (exemplar.status, exemplar.kind) == ("recognized", "individual")
    with pytest.raises(ValidationError) as caught:
        registrations.exemplar_register(
            actor=world.reviewer,
            organization=world.dao_thanh,
            name="Tập thể",
            kind="family",
            field=MovementField.ECONOMY,
            started_on=DAY,
            description="…",
        )
    assert "kind" in caught.value.message_dict
