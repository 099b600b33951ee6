"""Registering models and exemplars, changing their file and their results,
their evidence, their evaluation against the province's criteria and pass
mark, and the steps of their recognition (`workflow.py`).

Writes are keyword-only functions in a transaction, raising
`ValidationError` (field to messages, in the active language) or
`PermissionDenied` (who may do what: `permissions.py`). Every state change
locks the registration's row (`select_for_update`) and writes one audit
event (`movement.<step>`) with codes, dates, levels and scores, never the
names of the people involved.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from danvan.core.audit import Actor, audit_record
from danvan.geo.models import Commune
from danvan.movements import permissions, workflow
from danvan.movements.criteria import criteria_for, pass_percent_for
from danvan.movements.models import (
    LONG_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Campaign,
    Community,
    Evaluation,
    EvaluationScore,
    Evidence,
    Exemplar,
    ExemplarKind,
    MovementField,
    MovementModel,
    Recognition,
    RecognitionLevel,
    Registration,
    RegistrationStatus,
    ResultFigure,
    Theme,
)
from danvan.movements.workflow import Step
from danvan.orgs.models import Organization
from danvan.petitions.actions import user_or_none

Errors = dict[str, list[str]]

#: The most result figures one registration or replication takes at once.
MAX_RESULTS: Final = 20


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultInput:
    """A result as a figure with its unit, e.g. 120 "hộ tham gia"."""

    label: str
    value: Decimal | int | str
    unit: str
    measured_on: datetime.date | None = None


def add_error(errors: Errors, field: str, message: str) -> None:
    """Record `message` beside `field`."""
    errors.setdefault(field, []).append(message)


def check_text(
    errors: Errors, field: str, value: object, max_length: int, *, required: bool = False
) -> str:
    """Return `value` stripped; record an error if it is missing or too long."""
    if not isinstance(value, str):
        add_error(errors, field, gettext("Enter text."))
        return ""
    value = value.strip()
    if required and not value:
        add_error(errors, field, gettext("This field is required."))
    elif len(value) > max_length:
        add_error(
            errors,
            field,
            gettext("Too long: at most %(max)d characters (%(length)d given).")
            % {"max": max_length, "length": len(value)},
        )
    return value


def check_date(
    errors: Errors, field: str, value: object, *, today: datetime.date, required: bool = True
) -> datetime.date | None:
    """Return `value` if it is a date not after `today`; record an error otherwise."""
    if value is None and not required:
        return None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        add_error(errors, field, gettext("Enter a valid date."))
        return None
    if value > today:
        add_error(errors, field, gettext("The date cannot be in the future."))
        return None
    return value


def check_result(
    errors: Errors, result: ResultInput, *, today: datetime.date, prefix: str = ""
) -> ResultFigure:
    """Return an unsaved `ResultFigure`; errors are named `<prefix><field>`.

    The figure is a number of zero or more (a fall is said in the
    indicator's name, "vụ việc giảm"), with its unit.
    """
    label = check_text(errors, f"{prefix}label", result.label, TEXT_MAX_LENGTH, required=True)
    unit = check_text(errors, f"{prefix}unit", result.unit, 64, required=True)
    try:
        value = Decimal(str(result.value).strip().replace(",", "."))
        if not value.is_finite() or abs(value) >= Decimal("1e14"):
            raise InvalidOperation
    except InvalidOperation:
        add_error(errors, f"{prefix}value", gettext("Enter a number, e.g. 120 or 3.5."))
        value = Decimal(0)
    if value < 0:
        add_error(
            errors,
            f"{prefix}value",
            gettext("Enter zero or more; say a fall in the indicator, e.g. “Vụ việc giảm”."),
        )
    measured_on = check_date(
        errors, f"{prefix}measured_on", result.measured_on, today=today, required=False
    )
    return ResultFigure(label=label, value=value, unit=unit, measured_on=measured_on)


def check_results(
    errors: Errors, results: Sequence[ResultInput], *, today: datetime.date
) -> list[ResultFigure]:
    """Return unsaved `ResultFigure` rows; errors are named `results[i].field`."""
    if len(results) > MAX_RESULTS:
        add_error(
            errors,
            "results",
            gettext("At most %(max)d results at once.") % {"max": MAX_RESULTS},
        )
        return []
    return [
        check_result(errors, result, today=today, prefix=f"results[{index}].")
        for index, result in enumerate(results)
    ]


def _place(errors: Errors, organization: Organization, commune: Commune | None) -> int | None:
    """Return the province of the registration: the commune's, else the unit's."""
    if commune is not None:
        if organization.province_id and commune.province_id != organization.province_id:
            add_error(
                errors,
                "commune",
                gettext("Choose a commune of the province of %(organization)s.")
                % {"organization": organization.name},
            )
        return int(commune.province_id)
    if organization.province_id is None:
        add_error(
            errors,
            "commune",
            gettext("Choose the commune where it is carried out: the unit serves no province."),
        )
        return None
    return int(organization.province_id)


def _require_actor_for(actor: Actor, organization: Organization) -> None:
    if not permissions.may_act_for(actor, organization):
        raise PermissionDenied(
            gettext(
                "Only the staff of %(organization)s or the commission of its province may do this."
            )
            % {"organization": organization.name}
        )


def _common(
    errors: Errors,
    *,
    organization: Organization,
    name: str,
    field: str,
    started_on: object,
    description: str,
    commune: Commune | None,
    address: str,
    people_involved: str,
    campaign: Campaign | None,
    today: datetime.date,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": check_text(errors, "name", name, TEXT_MAX_LENGTH, required=True),
        "description": check_text(
            errors, "description", description, LONG_TEXT_MAX_LENGTH, required=True
        ),
        "address": check_text(errors, "address", address, TEXT_MAX_LENGTH),
        "people_involved": check_text(
            errors, "people_involved", people_involved, LONG_TEXT_MAX_LENGTH
        ),
        "started_on": check_date(errors, "started_on", started_on, today=today),
    }
    if field not in MovementField.values:
        add_error(errors, "field", gettext("Choose one of the four fields."))
    values["field"] = field
    values["province_id"] = _place(errors, organization, commune)
    values["commune"] = commune
    if campaign is not None and campaign.province_id not in (None, values["province_id"]):
        add_error(errors, "campaign", gettext("This campaign is for another province."))
    values["campaign"] = campaign
    return values


def _save_registration(
    row: Registration,
    *,
    actor: Actor,
    themes: Sequence[Theme],
    results: list[ResultFigure],
    action: str,
) -> None:
    row.save(force_insert=True)
    if themes:
        row.themes.set(themes)
    for result in results:
        result.registration = row
    ResultFigure.objects.bulk_create(results)
    audit_record(
        actor=actor,
        action=action,
        target=row,
        data={
            "organization": row.organization.code,
            "field": row.field,
            "province": row.province_id,
            "commune": row.commune_id,
            "results": len(results),
        },
    )


@transaction.atomic
def model_register(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    field: str,
    started_on: object,
    description: str,
    commune: Commune | None = None,
    address: str = "",
    people_involved: str = "",
    campaign: Campaign | None = None,
    themes: Sequence[Theme] = (),
    community: Community | None = None,
    results: Sequence[ResultInput] = (),
    registered_on: datetime.date | None = None,
) -> MovementModel:
    """Register a model of `organization` (by its staff or its province's commission)."""
    _require_actor_for(actor, organization)
    today = timezone.localdate()
    errors: Errors = {}
    values = _common(
        errors,
        organization=organization,
        name=name,
        field=field,
        started_on=started_on,
        description=description,
        commune=commune,
        address=address,
        people_involved=people_involved,
        campaign=campaign,
        today=today,
    )
    if community is not None and community.commune.province_id != values["province_id"]:
        add_error(errors, "community", gettext("This community is in another province."))
    rows = check_results(errors, results, today=today)
    if errors:
        raise ValidationError(errors)
    model = MovementModel(
        organization=organization,
        community=community,
        registered_on=registered_on or today,
        created_by=user_or_none(actor),
        **values,
    )
    _save_registration(
        model, actor=actor, themes=themes, results=rows, action="movement.model.register"
    )
    return model


@transaction.atomic
def exemplar_register(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    kind: str,
    field: str,
    started_on: object,
    description: str,
    title: str = "",
    commune: Commune | None = None,
    address: str = "",
    people_involved: str = "",
    campaign: Campaign | None = None,
    themes: Sequence[Theme] = (),
    results: Sequence[ResultInput] = (),
    registered_on: datetime.date | None = None,
) -> Exemplar:
    """Register an exemplar (a person or a collective) proposed by `organization`."""
    _require_actor_for(actor, organization)
    today = timezone.localdate()
    errors: Errors = {}
    values = _common(
        errors,
        organization=organization,
        name=name,
        field=field,
        started_on=started_on,
        description=description,
        commune=commune,
        address=address,
        people_involved=people_involved,
        campaign=campaign,
        today=today,
    )
    if kind not in ExemplarKind.values:
        add_error(errors, "kind", gettext("Choose an individual or a collective."))
    title = check_text(errors, "title", title, TEXT_MAX_LENGTH)
    rows = check_results(errors, results, today=today)
    if errors:
        raise ValidationError(errors)
    exemplar = Exemplar(
        organization=organization,
        kind=kind,
        title=title,
        registered_on=registered_on or today,
        created_by=user_or_none(actor),
        **values,
    )
    _save_registration(
        exemplar, actor=actor, themes=themes, results=rows, action="movement.exemplar.register"
    )
    return exemplar


# --- changing the file ---------------------------------------------------------


def _lock_editable(actor: Actor, registration: Registration) -> Registration:
    """Lock the registration's row; refuse unless `actor` may act for its
    unit and the file is still open to changes (`workflow.EDITABLE`)."""
    row = _lock(registration)
    _require_actor_for(actor, row.organization)
    if row.status not in workflow.EDITABLE:
        raise ValidationError(
            {
                "status": gettext(
                    "It is “%(status)s”: its file and results can no longer be changed."
                )
                % {"status": RegistrationStatus(row.status).label}
            }
        )
    return row


def _update(
    row: Registration,
    *,
    actor: Actor,
    values: dict[str, Any],
    themes: Sequence[Theme],
    action: str,
) -> list[str]:
    """Store the `values` that changed and the themes; audit the names of
    the fields changed (never their content: people's names may be in it)."""
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    themes_changed = {theme.pk for theme in themes} != set(row.themes.values_list("pk", flat=True))
    if changed or themes_changed:
        extra = ["name_folded"] if "name" in changed else []
        row.save(update_fields=[*changed, *extra, "updated_at"])
    if themes_changed:
        row.themes.set(themes)
        changed.append("themes")
    changed = sorted(name.removesuffix("_id") for name in changed)
    if changed:
        audit_record(actor=actor, action=action, target=row, data={"fields": changed})
    return changed


def _update_values(
    errors: Errors,
    row: Registration,
    *,
    name: str,
    field: str,
    started_on: object,
    description: str,
    commune: Commune | None,
    address: str,
    people_involved: str,
    campaign: Campaign | None,
) -> dict[str, Any]:
    values = _common(
        errors,
        organization=row.organization,
        name=name,
        field=field,
        started_on=started_on,
        description=description,
        commune=commune,
        address=address,
        people_involved=people_involved,
        campaign=campaign,
        today=timezone.localdate(),
    )
    province_id = values.pop("province_id")
    if province_id is not None and province_id != row.province_id and "commune" not in errors:
        add_error(
            errors,
            "commune",
            gettext("Choose a commune of %(province)s: the place cannot move to another province.")
            % {"province": row.province.name},
        )
    values["commune_id"] = values.pop("commune").pk if values["commune"] is not None else None
    values["campaign_id"] = values.pop("campaign").pk if values["campaign"] is not None else None
    return values


@transaction.atomic
def model_update(
    *,
    actor: Actor,
    registration: MovementModel,
    name: str,
    field: str,
    started_on: object,
    description: str,
    commune: Commune | None = None,
    address: str = "",
    people_involved: str = "",
    campaign: Campaign | None = None,
    themes: Sequence[Theme] = (),
    community: Community | None = None,
) -> list[str]:
    """Change the file of a model (by its unit's staff or its province's
    commission) while it is open to changes; return the fields changed.

    The registering unit, the province, the dates of registration and of
    the decisions stay as they are.
    """
    _lock_editable(actor, registration)
    row = MovementModel.objects.select_related("organization", "province").get(pk=registration.pk)
    errors: Errors = {}
    values = _update_values(
        errors,
        row,
        name=name,
        field=field,
        started_on=started_on,
        description=description,
        commune=commune,
        address=address,
        people_involved=people_involved,
        campaign=campaign,
    )
    if community is not None and community.commune.province_id != row.province_id:
        add_error(errors, "community", gettext("This community is in another province."))
    if errors:
        raise ValidationError(errors)
    values["community_id"] = community.pk if community is not None else None
    return _update(row, actor=actor, values=values, themes=themes, action="movement.model.update")


@transaction.atomic
def exemplar_update(
    *,
    actor: Actor,
    registration: Exemplar,
    name: str,
    kind: str,
    field: str,
    started_on: object,
    description: str,
    title: str = "",
    commune: Commune | None = None,
    address: str = "",
    people_involved: str = "",
    campaign: Campaign | None = None,
    themes: Sequence[Theme] = (),
) -> list[str]:
    """Change the file of an exemplar while it is open to changes; return
    the fields changed (as `model_update`)."""
    _lock_editable(actor, registration)
    row = Exemplar.objects.select_related("organization", "province").get(pk=registration.pk)
    errors: Errors = {}
    values = _update_values(
        errors,
        row,
        name=name,
        field=field,
        started_on=started_on,
        description=description,
        commune=commune,
        address=address,
        people_involved=people_involved,
        campaign=campaign,
    )
    if kind not in ExemplarKind.values:
        add_error(errors, "kind", gettext("Choose an individual or a collective."))
    values["kind"] = kind
    values["title"] = check_text(errors, "title", title, TEXT_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    return _update(
        row, actor=actor, values=values, themes=themes, action="movement.exemplar.update"
    )


@transaction.atomic
def results_add(
    *, actor: Actor, registration: Registration, results: Sequence[ResultInput]
) -> list[ResultFigure]:
    """Add result figures to a model or an exemplar open to changes."""
    row = _lock_editable(actor, registration)
    errors: Errors = {}
    rows = check_results(errors, results, today=timezone.localdate())
    if not rows and not errors:
        add_error(errors, "results", gettext("Enter at least one result."))
    if errors:
        raise ValidationError(errors)
    for figure in rows:
        figure.registration_id = row.pk
    ResultFigure.objects.bulk_create(rows)
    audit_record(actor=actor, action="movement.results.add", target=row, data={"count": len(rows)})
    return rows


def _lock_result_file(actor: Actor, result: ResultFigure) -> Registration:
    """Lock the file of `result` for a change (`_lock_editable`); a result
    of an adoption is changed through its replication, never here."""
    if result.registration_id is None:
        raise ValidationError(
            {"result": gettext("This result belongs to an adoption, not to this file.")}
        )
    return _lock_editable(actor, Registration(pk=result.registration_id))


@transaction.atomic
def result_correct(
    *,
    actor: Actor,
    result: ResultFigure,
    label: str,
    value: Decimal | int | str,
    unit: str,
    measured_on: datetime.date | None = None,
) -> ResultFigure:
    """Correct one result figure of a model or an exemplar open to changes;
    errors are named `label`, `value`, `unit` and `measured_on`."""
    row = _lock_result_file(actor, result)
    figure = ResultFigure.objects.select_for_update().get(pk=result.pk, registration_id=row.pk)
    errors: Errors = {}
    checked = check_result(
        errors,
        ResultInput(label=label, value=value, unit=unit, measured_on=measured_on),
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    changed = [
        name
        for name in ("label", "value", "unit", "measured_on")
        if getattr(figure, name) != getattr(checked, name)
    ]
    for name in changed:
        setattr(figure, name, getattr(checked, name))
    if changed:
        figure.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="movement.results.correct",
            target=row,
            data={"result": figure.pk, "fields": changed},
        )
    return figure


@transaction.atomic
def result_remove(*, actor: Actor, result: ResultFigure) -> bool:
    """Remove one result figure of a model or an exemplar open to changes
    (`workflow.EDITABLE`): a line typed by mistake. The audit event keeps
    what the line said. Return False when it was already removed (a
    request sent twice)."""
    row = _lock_result_file(actor, result)
    figure = (
        ResultFigure.objects.select_for_update()
        .filter(pk=result.pk, registration_id=row.pk)
        .first()
    )
    if figure is None:
        return False
    data = {
        "result": figure.pk,
        "label": figure.label,
        "value": str(figure.value),
        "unit": figure.unit,
        "measured_on": figure.measured_on.isoformat() if figure.measured_on else None,
    }
    figure.delete()
    audit_record(actor=actor, action="movement.results.remove", target=row, data=data)
    return True


@transaction.atomic
def evidence_add(
    *,
    actor: Actor,
    registration: Registration,
    caption: str,
    photo: UploadedFile | None = None,
    document: UploadedFile | None = None,
    is_public: bool = True,
) -> Evidence:
    """Attach a photo (a Wagtail image, shown on the portal when public and
    recognized) or a document (a Wagtail document, back-office only), while
    the file is open to changes (`workflow.EDITABLE`)."""
    _lock_editable(actor, registration)
    errors: Errors = {}
    caption = check_text(errors, "caption", caption, TEXT_MAX_LENGTH, required=True)
    if (photo is None) == (document is None):
        add_error(errors, "photo", gettext("Attach either a photo or a document."))
    if errors:
        raise ValidationError(errors)
    user = user_or_none(actor)
    evidence = Evidence(registration_id=registration.pk, caption=caption)
    if photo is not None:
        evidence.image = get_image_model().objects.create(
            title=caption, file=photo, uploaded_by_user=user, description=caption
        )
        evidence.is_public = is_public
    else:
        evidence.document = get_document_model().objects.create(
            title=caption, file=document, uploaded_by_user=user
        )
        evidence.is_public = False
    evidence.save(force_insert=True)
    audit_record(
        actor=actor,
        action="movement.evidence.add",
        target=registration,
        data={"kind": "photo" if photo is not None else "document", "public": evidence.is_public},
    )
    return evidence


# --- recognition --------------------------------------------------------------


def _lock(registration: Registration) -> Registration:
    return (
        Registration.objects.select_for_update()
        .select_related("organization")
        .get(pk=registration.pk)
    )


def _reload[RegT: Registration](registration: RegT) -> RegT:
    return type(registration).objects.select_related("organization").get(pk=registration.pk)


def _require_step(row: Registration, step: Step) -> None:
    sources, _target = workflow.TRANSITIONS[step]
    if row.status not in sources:
        raise ValidationError(
            {
                "status": gettext("This cannot be done while it is “%(status)s”.")
                % {"status": RegistrationStatus(row.status).label}
            }
        )


def _require_reviewer(actor: Actor, row: Registration) -> None:
    if not permissions.may_review(actor, row.province_id):
        raise PermissionDenied(
            gettext("Only the mobilization commission of the province may review this.")
        )


def _kind(row: Registration) -> str:
    return "exemplar" if Exemplar.objects.filter(pk=row.pk).exists() else "model"


@transaction.atomic
def registration_review(*, actor: Actor, registration: Registration) -> Registration:
    """Open a registered (or earlier refused) model or exemplar for review."""
    row = _lock(registration)
    _require_reviewer(actor, row)
    _require_step(row, Step.REVIEW)
    row.status = RegistrationStatus.UNDER_REVIEW
    row.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="movement.review", target=row, data={})
    return _reload(registration)


@transaction.atomic
def evaluation_record(
    *,
    actor: Actor,
    registration: Registration,
    scores: Mapping[int, object],
    comments: Mapping[int, str] | None = None,
    note: str = "",
    evaluated_on: datetime.date | None = None,
) -> Evaluation:
    """Score a model or an exemplar against every criterion of its province.

    `scores` maps each criterion's id to its score, from 0 to its maximum;
    errors are named `score_<id>`. The evaluation passes when the total
    reaches the province's pass mark (`criteria.pass_percent_for`), which
    it keeps: a later change of the mark does not change its outcome.
    """
    row = _lock(registration)
    _require_reviewer(actor, row)
    if row.status not in workflow.EVALUABLE:
        raise ValidationError(
            {
                "status": gettext(
                    "Only a model or exemplar under review or recognized is evaluated."
                )
            }
        )
    today = timezone.localdate()
    evaluated_on = evaluated_on or today
    errors: Errors = {}
    check_date(errors, "evaluated_on", evaluated_on, today=today)
    note = check_text(errors, "note", note, LONG_TEXT_MAX_LENGTH)
    criteria = list(criteria_for(row.province_id, target=_kind(row)))
    if not criteria:
        add_error(errors, "scores", gettext("The province has no criteria in use."))
    comments = comments or {}
    rows: list[EvaluationScore] = []
    for criterion in criteria:
        raw = scores.get(criterion.pk)
        try:
            score = int(str(raw).strip()) if raw is not None and str(raw).strip() != "" else None
        except ValueError:
            score = None
        if score is None:
            add_error(errors, f"score_{criterion.pk}", gettext("Give a score."))
            continue
        if not 0 <= score <= criterion.max_score:
            add_error(
                errors,
                f"score_{criterion.pk}",
                gettext("The score must be between 0 and %(max)d.") % {"max": criterion.max_score},
            )
            continue
        comment = check_text(
            errors, f"comment_{criterion.pk}", comments.get(criterion.pk, ""), TEXT_MAX_LENGTH
        )
        rows.append(EvaluationScore(criterion=criterion, score=score, comment=comment))
    if errors:
        raise ValidationError(errors)
    total = sum(item.score for item in rows)
    maximum = sum(criterion.max_score for criterion in criteria)
    pass_percent = pass_percent_for(row.province_id)
    evaluation = Evaluation.objects.create(
        registration_id=row.pk,
        year=evaluated_on.year,
        evaluated_on=evaluated_on,
        evaluator=user_or_none(actor),
        total=total,
        maximum=maximum,
        pass_percent=pass_percent,
        passed=workflow.passes(total, maximum, pass_percent=pass_percent),
        note=note,
    )
    for item in rows:
        item.evaluation = evaluation
    EvaluationScore.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="movement.evaluate",
        target=row,
        data={
            "year": evaluation.year,
            "total": total,
            "maximum": maximum,
            "pass_percent": pass_percent,
            "passed": evaluation.passed,
        },
    )
    return evaluation


def _passing_evaluation(row: Registration, year: int) -> Evaluation:
    evaluation = (
        Evaluation.objects.filter(registration_id=row.pk, year=year)
        .order_by("-evaluated_on", "-pk")
        .first()
    )
    if evaluation is None:
        raise ValidationError(
            {
                "evaluation": gettext(
                    "Evaluate it against the province's criteria for %(year)d first."
                )
                % {"year": year}
            }
        )
    if not evaluation.passed:
        raise ValidationError(
            {
                "evaluation": gettext(
                    "The latest evaluation of %(year)d scored %(total)d of %(maximum)d, "
                    "below %(percent)d%%."
                )
                % {
                    "year": year,
                    "total": evaluation.total,
                    "maximum": evaluation.maximum,
                    "percent": evaluation.pass_percent or pass_percent_for(row.province_id),
                }
            }
        )
    return evaluation


def _check_level(actor: Actor, row: Registration, level: str) -> None:
    if level not in RecognitionLevel.values:
        raise ValidationError({"level": gettext("Choose the level of recognition.")})
    if not permissions.may_recognize(
        actor, level=level, province_id=row.province_id, commune_id=row.commune_id
    ):
        raise PermissionDenied(
            gettext("You may not recognize at the level “%(level)s”.")
            % {"level": RecognitionLevel(level).label}
        )


def _decision(
    *,
    actor: Actor,
    row: Registration,
    level: str,
    decided_on: datetime.date,
    decision_number: str,
    decided_by: Organization | None,
    evaluation: Evaluation,
) -> Recognition:
    if Recognition.objects.filter(registration_id=row.pk, year=decided_on.year).exists():
        raise ValidationError(
            {
                "decided_on": gettext("It has already been recognized for %(year)d.")
                % {"year": decided_on.year}
            }
        )
    return Recognition.objects.create(
        registration_id=row.pk,
        year=decided_on.year,
        level=level,
        decided_on=decided_on,
        decided_by=decided_by,
        decision_number=decision_number,
        evaluation=evaluation,
        recorded_by=user_or_none(actor),
    )


def _check_decision(
    row: Registration, decided_on: object, decision_number: str
) -> tuple[datetime.date, str]:
    errors: Errors = {}
    day = check_date(errors, "decided_on", decided_on, today=timezone.localdate())
    if day is not None and day < row.registered_on:
        add_error(
            errors,
            "decided_on",
            gettext("The decision cannot come before the registration (%(day)s).")
            % {"day": f"{row.registered_on:%d/%m/%Y}"},
        )
    number = check_text(errors, "decision_number", decision_number, 64)
    if errors:
        raise ValidationError(errors)
    assert day is not None  # noqa: S101 (checked above)
    return day, number


@transaction.atomic
def registration_recognize(
    *,
    actor: Actor,
    registration: Registration,
    level: str,
    decided_on: datetime.date | None = None,
    decision_number: str = "",
    decided_by: Organization | None = None,
) -> Registration:
    """Recognize a model or an exemplar under review at `level`, on a
    passing evaluation of the decision's year."""
    row = _lock(registration)
    _check_level(actor, row, level)
    _require_step(row, Step.RECOGNIZE)
    day, number = _check_decision(row, decided_on or timezone.localdate(), decision_number)
    evaluation = _passing_evaluation(row, day.year)
    _decision(
        actor=actor,
        row=row,
        level=level,
        decided_on=day,
        decision_number=number,
        decided_by=decided_by,
        evaluation=evaluation,
    )
    row.status = RegistrationStatus.RECOGNIZED
    row.level = level
    row.recognized_on = row.recognized_on or day
    row.last_reviewed_year = day.year
    row.closing_reason = ""
    row.closed_on = None
    row.save(
        update_fields=[
            "status",
            "level",
            "recognized_on",
            "last_reviewed_year",
            "closing_reason",
            "closed_on",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="movement.recognize",
        target=row,
        data={"level": level, "year": day.year, "evaluation": evaluation.pk},
    )
    return _reload(registration)


@transaction.atomic
def registration_renew(
    *,
    actor: Actor,
    registration: Registration,
    level: str | None = None,
    decided_on: datetime.date | None = None,
    decision_number: str = "",
    decided_by: Organization | None = None,
) -> Registration:
    """Keep a recognized model or exemplar for another year (the yearly
    re-review), on a passing evaluation of that year; the level may change."""
    row = _lock(registration)
    _require_step(row, Step.RENEW)
    level = level or row.level
    _check_level(actor, row, level)
    day, number = _check_decision(row, decided_on or timezone.localdate(), decision_number)
    evaluation = _passing_evaluation(row, day.year)
    _decision(
        actor=actor,
        row=row,
        level=level,
        decided_on=day,
        decision_number=number,
        decided_by=decided_by,
        evaluation=evaluation,
    )
    row.level = level
    row.last_reviewed_year = day.year
    row.save(update_fields=["level", "last_reviewed_year", "updated_at"])
    audit_record(
        actor=actor,
        action="movement.renew",
        target=row,
        data={"level": level, "year": day.year, "evaluation": evaluation.pk},
    )
    return _reload(registration)


def _close(
    *, actor: Actor, registration: Registration, step: Step, reason: str, action: str
) -> Registration:
    row = _lock(registration)
    _require_reviewer(actor, row)
    _require_step(row, step)
    errors: Errors = {}
    reason = check_text(errors, "reason", reason, LONG_TEXT_MAX_LENGTH, required=True)
    if errors:
        raise ValidationError(errors)
    row.status = workflow.TRANSITIONS[step][1]
    row.closing_reason = reason
    row.closed_on = timezone.localdate()
    row.save(update_fields=["status", "closing_reason", "closed_on", "updated_at"])
    audit_record(actor=actor, action=action, target=row, data={"level": row.level})
    return _reload(registration)


@transaction.atomic
def registration_reject(*, actor: Actor, registration: Registration, reason: str) -> Registration:
    """Refuse recognition to a model or an exemplar under review, with the reason."""
    return _close(
        actor=actor,
        registration=registration,
        step=Step.REJECT,
        reason=reason,
        action="movement.reject",
    )


@transaction.atomic
def registration_screen_out(
    *, actor: Actor, registration: Registration, reason: str
) -> Registration:
    """Screen out a recognized model or exemplar that is no longer effective, with the reason."""
    return _close(
        actor=actor,
        registration=registration,
        step=Step.SCREEN_OUT,
        reason=reason,
        action="movement.screen_out",
    )


def due_for_review(year: int, *, province_id: int | None = None) -> Any:
    """Return the recognized models and exemplars not yet re-reviewed for `year`."""
    rows = Registration.objects.filter(status=RegistrationStatus.RECOGNIZED).exclude(
        last_reviewed_year__gte=year
    )
    if province_id is not None:
        rows = rows.filter(province_id=province_id)
    return rows.select_related("organization").order_by("province_id", "name")
