"""Changing a registration's file and its results after registering: who
may, in which states, the errors beside the fields, and the audit trail."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from danvan.core.models import AuditEvent
from danvan.movements import registrations, replications
from danvan.movements.models import (
    Exemplar,
    MovementModel,
    RegistrationStatus,
    ResultFigure,
    Theme,
)
from danvan.movements.registrations import ResultInput
from danvan.movements.tests.factories import MovementWorld, recognize, register_model
from danvan.petitions.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 4)


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _edit_url(row: Any) -> str:
    return reverse("movements_staff:registration_edit", args=[row.pk])


def _results_url(row: Any) -> str:
    return reverse("movements_staff:registration_results", args=[row.pk])


def _page_url(row: Any) -> str:
    return reverse("movements_staff:registration", args=[row.pk])


def _edit_data(row: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "name": row.name,
        "field": row.field,
        "campaign": "",
        "commune": row.commune_id or "",
        "address": row.address,
        "started_on": row.started_on.isoformat(),
        "description": row.description,
        "people_involved": row.people_involved,
        "community": "",
    }
    data.update(changes)
    return data


def _in_state(world: MovementWorld, status: str) -> MovementModel:
    model = register_model(world)
    if status == "registered":
        return model
    if status == "under_review":
        return registrations.registration_review(actor=world.reviewer, registration=model)
    if status == "not_recognized":
        model = registrations.registration_review(actor=world.reviewer, registration=model)
        return registrations.registration_reject(
            actor=world.reviewer, registration=model, reason="Chưa lan tỏa."
        )
    model = recognize(world, model, on=DAY)
    if status == "screened_out":
        return registrations.registration_screen_out(
            actor=world.reviewer, registration=model, reason="Không còn hoạt động."
        )
    return model


def test_unit_staff_change_the_file_and_the_audit_names_only_the_fields(
    world: MovementWorld,
) -> None:
    model = register_model(world)
    theme = Theme.objects.get(code="nong-thon-moi")
    client = login(world.my_tho_staff)
    page = client.get(_edit_url(model))
    assert page.status_code == 200
    assert page.context["form"].initial["name"] == model.name
    assert set(page.context["form"].fields) >= {"name", "people_involved", "themes", "community"}
    assert "organization" not in page.context["form"].fields
    page = client.post(
        _edit_url(model),
        _edit_data(
            model,
            name="Hội quán nông dân ấp Mỹ Tây",
            people_involved="Ông Nguyễn Văn Bảy và 40 hộ",
            field="culture_society",
            themes=[theme.pk],
            address="Ấp Mỹ Tây",
        ),
    )
    assert page.status_code == 302
    assert page["Location"] == _page_url(model)
    model.refresh_from_db()
    assert (model.name, model.field, model.address) == (
        "Hội quán nông dân ấp Mỹ Tây",
        "culture_society",
        "Ấp Mỹ Tây",
    )
    assert model.name_folded == "hoi quan nong dan ap my tay"
    assert list(model.themes.all()) == [theme]
    event = AuditEvent.objects.get(action="movement.model.update")
    assert event.data == {"fields": ["address", "field", "name", "people_involved", "themes"]}
    assert "Bảy" not in str(event.data)
    # Saving the form unchanged writes nothing.
    client.post(_edit_url(model), _edit_data(model, themes=[theme.pk]))
    assert AuditEvent.objects.filter(action="movement.model.update").count() == 1


def test_edit_errors_are_shown_beside_the_fields_and_nothing_is_stored(
    world: MovementWorld,
) -> None:
    model = register_model(world)
    client = login(world.reviewer)
    page = client.post(
        _edit_url(model), _edit_data(model, name=" ", started_on="2030-01-01", description="")
    )
    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"name", "description"}
    assert 'data-field="description"' in page.text
    page = client.post(_edit_url(model), _edit_data(model, started_on="2030-01-01"))
    assert set(page.context["form"].errors) == {"started_on"}
    # A commune of another province is not offered.
    page = client.post(_edit_url(model), _edit_data(model, commune=world.an_giang.commune_id))
    assert set(page.context["form"].errors) == {"commune"}
    model.refresh_from_db()
    assert model.started_on == datetime.date(2024, 3, 1)
    assert not AuditEvent.objects.filter(action="movement.model.update").exists()


def test_the_place_cannot_move_to_another_province(world: MovementWorld) -> None:
    model = registrations.model_register(
        actor=world.central_staff,
        organization=world.central,
        name="Mô hình của Trung ương",
        field="economy",
        started_on=datetime.date(2024, 1, 1),
        description="…",
        commune=world.my_tho.commune,
    )
    assert model.province_id == world.my_tho.province_id
    with pytest.raises(ValidationError) as caught:
        registrations.model_update(
            actor=world.central_staff,
            registration=model,
            name=model.name,
            field=model.field,
            started_on=model.started_on,
            description=model.description,
            commune=world.an_giang.commune,
        )
    assert list(caught.value.message_dict) == ["commune"]


@pytest.mark.parametrize(
    ("status", "open_"),
    [
        ("registered", True),
        ("under_review", True),
        ("recognized", True),
        ("not_recognized", False),
        ("screened_out", False),
    ],
)
def test_the_file_is_open_to_changes_until_it_is_closed(
    world: MovementWorld, status: str, open_: bool
) -> None:
    model = _in_state(world, status)
    assert model.status == status
    client = login(world.my_tho_staff)
    detail = client.get(_page_url(model))
    assert ('data-testid="edit"' in detail.text) is open_
    assert ('data-testid="edit-results"' in detail.text) is open_
    assert ("evidence" in detail.context["forms"]) is open_
    page = client.post(_edit_url(model), _edit_data(model, name="Tên mới"))
    assert page.status_code == 302
    model.refresh_from_db()
    assert (model.name == "Tên mới") is open_
    page = client.post(
        _results_url(model),
        {
            "results-TOTAL_FORMS": "1",
            "results-INITIAL_FORMS": "0",
            "results-0-label": "Hộ tham gia",
            "results-0-value": "40",
            "results-0-unit": "hộ",
        },
    )
    assert page.status_code == 302
    assert model.results.exists() is open_
    if not open_:
        assert client.get(_edit_url(model)).status_code == 302
        with pytest.raises(ValidationError) as caught:
            registrations.results_add(
                actor=world.my_tho_staff,
                registration=model,
                results=[ResultInput(label="Hộ", value=1, unit="hộ")],
            )
        assert list(caught.value.message_dict) == ["status"]


def test_only_the_unit_s_staff_or_its_commission_change_the_file(world: MovementWorld) -> None:
    model = recognize(world, register_model(world), on=DAY)  # readable by every member
    for outsider in (world.dao_thanh_staff, world.an_giang_reviewer, world.editor):
        client = login(outsider)
        assert 'data-testid="edit"' not in client.get(_page_url(model)).text
        page = client.get(_edit_url(model))
        assert page.status_code == 302
        assert page["Location"] == _page_url(model)
        client.post(_edit_url(model), _edit_data(model, name="Không được"))
        client.post(
            _results_url(model),
            {
                "results-TOTAL_FORMS": "1",
                "results-INITIAL_FORMS": "0",
                "results-0-label": "Hộ",
                "results-0-value": "1",
                "results-0-unit": "hộ",
            },
        )
        with pytest.raises(PermissionDenied):
            registrations.model_update(
                actor=outsider,
                registration=model,
                name="Không được",
                field=model.field,
                started_on=model.started_on,
                description=model.description,
            )
    model.refresh_from_db()
    assert model.name == "Hội quán nông dân ấp Mỹ Tho"
    assert not model.results.exists()
    # The commission of the province may.
    page = login(world.reviewer).post(_edit_url(model), _edit_data(model, name="Hội quán Mỹ Tho"))
    assert page.status_code == 302
    model.refresh_from_db()
    assert model.name == "Hội quán Mỹ Tho"


def test_exemplar_file_changes_its_kind_and_title(world: MovementWorld) -> None:
    exemplar = registrations.exemplar_register(
        actor=world.my_tho_staff,
        organization=world.my_tho,
        name="Bà Lê Thị Sáu",
        kind="individual",
        commune=world.my_tho.commune,
        field="economy",
        started_on=datetime.date(2020, 1, 1),
        description="Vận động bà con hiến đất làm đường.",
    )
    client = login(world.my_tho_staff)
    assert client.get(_edit_url(exemplar)).context["form"].initial["kind"] == "individual"
    data = _edit_data(exemplar, kind="collective", title="Tổ trưởng tổ tự quản")
    del data["community"]
    page = client.post(_edit_url(exemplar), data)
    assert page.status_code == 302
    exemplar = Exemplar.objects.get(pk=exemplar.pk)
    assert (exemplar.kind, exemplar.title) == ("collective", "Tổ trưởng tổ tự quản")
    event = AuditEvent.objects.get(action="movement.exemplar.update")
    assert event.data == {"fields": ["kind", "title"]}
    page = client.post(_edit_url(exemplar), {**data, "kind": "family"})
    assert "kind" in page.context["form"].errors


def _lines(*rows: tuple[str, str, str], measured_on: str = "") -> dict[str, str]:
    data = {"results-TOTAL_FORMS": "3", "results-INITIAL_FORMS": "0"}
    for index, (label, value, unit) in enumerate(rows):
        data[f"results-{index}-label"] = label
        data[f"results-{index}-value"] = value
        data[f"results-{index}-unit"] = unit
        data[f"results-{index}-measured_on"] = measured_on
    return data


def test_results_are_added_with_their_units_and_bad_figures_refused(
    world: MovementWorld,
) -> None:
    model = register_model(world)
    client = login(world.my_tho_staff)
    assert client.get(_results_url(model)).status_code == 200
    # Not a number, no unit: the form refuses beside the field.
    page = client.post(_results_url(model), _lines(("Hộ tham gia", "nhiều", "hộ")))
    assert page.status_code == 200
    assert list(page.context["formset"].forms[0].errors) == ["value"]
    page = client.post(_results_url(model), _lines(("Hộ tham gia", "40", "")))
    assert list(page.context["formset"].forms[0].errors) == ["unit"]
    # A negative figure: the service refuses, beside the value of that line.
    page = client.post(
        _results_url(model), _lines(("Hộ tham gia", "40", "hộ"), ("Vụ việc", "-3", "vụ"))
    )
    assert page.status_code == 200
    forms = page.context["formset"].forms
    assert (dict(forms[0].errors), list(forms[1].errors)) == ({}, ["value"])
    # A day in the future.
    page = client.post(
        _results_url(model), _lines(("Hộ tham gia", "40", "hộ"), measured_on="2027-01-01")
    )
    assert list(page.context["formset"].forms[0].errors) == ["measured_on"]
    assert not model.results.exists()
    assert not AuditEvent.objects.filter(action="movement.results.add").exists()
    page = client.post(
        _results_url(model),
        _lines(
            ("Hộ tham gia", "40", "hộ"),
            ("Vốn xoay vòng", "1.5", "tỷ đồng"),
            measured_on="2026-06-30",
        ),
    )
    assert page.status_code == 302
    assert [(r.label, r.value, r.unit, r.measured_on) for r in model.results.all()] == [
        ("Hộ tham gia", Decimal("40.00"), "hộ", datetime.date(2026, 6, 30)),
        ("Vốn xoay vòng", Decimal("1.50"), "tỷ đồng", datetime.date(2026, 6, 30)),
    ]
    assert AuditEvent.objects.get(action="movement.results.add").data == {"count": 2}
    # Nothing filled in: nothing added, said above the lines.
    page = client.post(_results_url(model), _lines())
    assert page.status_code == 200
    assert page.context["formset"].non_form_errors()
    assert model.results.count() == 2


def test_a_result_line_is_corrected_and_audited(world: MovementWorld) -> None:
    model = registrations.model_register(
        actor=world.my_tho_staff,
        organization=world.my_tho,
        name="Tổ tự quản khóm 3",
        field="culture_society",
        started_on=datetime.date(2022, 1, 1),
        description="Giữ vệ sinh, an ninh khóm.",
        results=[ResultInput(label="Hộ tham gia", value=40, unit="hộ")],
    )
    result = model.results.get()
    url = reverse("movements_staff:result_correct", args=[model.pk, result.pk])
    client = login(world.my_tho_staff)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["unit"] == "hộ"
    for value, unit, field in (
        ("-1", "hộ", "value"),
        ("bốn mươi", "hộ", "value"),
        ("42", "", "unit"),
    ):
        page = client.post(url, {"label": "Hộ tham gia", "value": value, "unit": unit})
        assert page.status_code == 200
        assert list(page.context["form"].errors) == [field]
    page = client.post(url, {"label": "Hộ tham gia", "value": "42", "unit": "hộ"})
    assert page.status_code == 302
    result.refresh_from_db()
    assert result.value == Decimal("42.00")
    event = AuditEvent.objects.get(action="movement.results.correct")
    assert event.data == {"result": result.pk, "fields": ["value"]}
    # A line of another file is not found through this one.
    other = registrations.model_register(
        actor=world.reviewer,
        organization=world.dao_thanh,
        name="Tổ khác",
        field="economy",
        started_on=datetime.date(2022, 1, 1),
        description="…",
        results=[ResultInput(label="Hộ", value=1, unit="hộ")],
    )
    wrong = reverse("movements_staff:result_correct", args=[model.pk, other.results.get().pk])
    assert client.get(wrong).status_code == 404


def test_a_replication_s_result_is_not_corrected_through_the_file(world: MovementWorld) -> None:
    model = recognize(world, register_model(world), on=DAY)
    replication = replications.replication_record(
        actor=world.dao_thanh_staff,
        model=model,
        organization=world.dao_thanh,
        started_on=DAY,
        results=[ResultInput(label="Hộ", value=5, unit="hộ")],
    )
    result = ResultFigure.objects.get(replication=replication)
    with pytest.raises(ValidationError):
        registrations.result_correct(
            actor=world.reviewer, result=result, label="Hộ", value=6, unit="hộ"
        )
    assert model.status == RegistrationStatus.RECOGNIZED


def test_a_result_line_typed_by_mistake_is_removed_and_audited(world: MovementWorld) -> None:
    model = registrations.model_register(
        actor=world.my_tho_staff,
        organization=world.my_tho,
        name="Tổ tự quản khóm 3",
        field="culture_society",
        started_on=datetime.date(2022, 1, 1),
        description="Giữ vệ sinh, an ninh khóm.",
        results=[
            ResultInput(label="Hộ tham gia", value=40, unit="hộ"),
            ResultInput(label="Hộ tham gia", value=400, unit="hộ"),
        ],
    )
    kept, wrong = model.results.order_by("value")
    correct_url = reverse("movements_staff:result_correct", args=[model.pk, wrong.pk])
    remove_url = reverse("movements_staff:result_remove", args=[model.pk, wrong.pk])
    # Outsiders may not remove it (a file not yet recognized is not even theirs to read).
    for outsider in (world.dao_thanh_staff, world.an_giang_reviewer):
        assert login(outsider).post(remove_url).status_code in (302, 404)
        with pytest.raises(PermissionDenied):
            registrations.result_remove(actor=outsider, result=wrong)
    assert model.results.count() == 2
    client = login(world.my_tho_staff)
    assert f'action="{remove_url}"' in client.get(correct_url).text
    assert client.get(remove_url)["Location"] == correct_url  # a GET removes nothing
    page = client.post(remove_url)
    assert page["Location"] == _results_url(model)
    assert list(model.results.all()) == [kept]
    event = AuditEvent.objects.get(action="movement.results.remove")
    assert event.data == {
        "result": wrong.pk,
        "label": "Hộ tham gia",
        "value": "400.00",
        "unit": "hộ",
        "measured_on": None,
    }
    # Sent twice: nothing more happens.
    assert client.post(remove_url)["Location"] == _results_url(model)
    assert not registrations.result_remove(actor=world.my_tho_staff, result=wrong)
    assert AuditEvent.objects.filter(action="movement.results.remove").count() == 1


def test_a_closed_file_keeps_its_results(world: MovementWorld) -> None:
    model = _in_state(world, "not_recognized")
    result = ResultFigure.objects.create(
        registration=model, label="Hộ tham gia", value=Decimal(40), unit="hộ"
    )
    remove_url = reverse("movements_staff:result_remove", args=[model.pk, result.pk])
    assert login(world.my_tho_staff).post(remove_url)["Location"] == _page_url(model)
    with pytest.raises(ValidationError):
        registrations.result_remove(actor=world.my_tho_staff, result=result)
    assert ResultFigure.objects.filter(pk=result.pk).exists()
