"""Replication (nhân rộng): another unit adopts a recognized model, with its
own results, so that the model's reach is visible.

`replication_record` is the adopting unit's (its own staff, or the
commission of its province: `permissions.may_act_for`); a unit adopts a
model once, and a model is adopted only while recognized. `model_reach`
counts the units, communes and provinces where a model runs: its own place
and every adoption.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext

from danvan.core.audit import Actor, audit_record
from danvan.geo.models import Commune
from danvan.movements import permissions
from danvan.movements.models import (
    LONG_TEXT_MAX_LENGTH,
    MovementModel,
    Registration,
    RegistrationStatus,
    Replication,
    ResultFigure,
)
from danvan.movements.registrations import (
    Errors,
    ResultInput,
    add_error,
    check_date,
    check_results,
    check_text,
)
from danvan.orgs.models import Organization
from danvan.petitions.actions import user_or_none


@transaction.atomic
def replication_record(
    *,
    actor: Actor,
    model: MovementModel,
    organization: Organization,
    started_on: object,
    commune: Commune | None = None,
    note: str = "",
    results: Sequence[ResultInput] = (),
) -> Replication:
    """Record that `organization` adopted the recognized `model`."""
    if not permissions.may_act_for(actor, organization):
        raise PermissionDenied(
            gettext(
                "Only the staff of %(organization)s or the commission of its province "
                "may record its adoption."
            )
            % {"organization": organization.name}
        )
    locked = Registration.objects.select_for_update().get(pk=model.pk)
    if locked.status != RegistrationStatus.RECOGNIZED:
        raise ValidationError({"model": gettext("Only a recognized model may be replicated.")})
    today = timezone.localdate()
    errors: Errors = {}
    day = check_date(errors, "started_on", started_on, today=today)
    note = check_text(errors, "note", note, LONG_TEXT_MAX_LENGTH)
    if organization.pk == locked.organization_id:
        add_error(errors, "organization", gettext("A unit cannot replicate its own model."))
    elif Replication.objects.filter(model_id=model.pk, organization_id=organization.pk).exists():
        add_error(errors, "organization", gettext("This unit has already adopted the model."))
    commune = commune if commune is not None else organization.commune
    if commune is not None and organization.province_id not in (None, commune.province_id):
        add_error(
            errors,
            "commune",
            gettext("Choose a commune of the province of %(organization)s.")
            % {"organization": organization.name},
        )
    province_id = commune.province_id if commune is not None else organization.province_id
    if province_id is None:
        add_error(errors, "commune", gettext("Choose the commune where the model is applied."))
    rows = check_results(errors, results, today=today)
    if errors:
        raise ValidationError(errors)
    assert day is not None  # noqa: S101 (checked above)
    assert province_id is not None  # noqa: S101 (checked above)
    replication = Replication.objects.create(
        model_id=model.pk,
        organization=organization,
        province_id=province_id,
        commune=commune,
        started_on=day,
        note=note,
        created_by=user_or_none(actor),
    )
    for row in rows:
        row.replication = replication
    ResultFigure.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="movement.replicate",
        target=locked,
        data={
            "organization": organization.code,
            "province": province_id,
            "commune": commune.pk if commune is not None else None,
            "started_on": day.isoformat(),
            "results": len(rows),
        },
    )
    return replication


@dataclass(frozen=True, slots=True)
class Reach:
    """Where a model runs: its own unit and place, and every adoption."""

    adoptions: int
    units: int
    communes: int
    provinces: int


def model_reach(model: MovementModel) -> Reach:
    """Return the reach of `model` (one query)."""
    rows = list(
        Replication.objects.filter(model_id=model.pk).values_list(
            "organization_id", "commune_id", "province_id"
        )
    )
    units = {model.organization_id, *(row[0] for row in rows)}
    communes = {model.commune_id, *(row[1] for row in rows)} - {None}
    provinces = {model.province_id, *(row[2] for row in rows)}
    return Reach(
        adoptions=len(rows), units=len(units), communes=len(communes), provinces=len(provinces)
    )


def adoption_counts(model_ids: Sequence[int]) -> dict[int, int]:
    """Return how many units adopted each model (one query), for lists."""
    rows = (
        Replication.objects.filter(model_id__in=model_ids)
        .values("model_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["model_id"]: row["count"] for row in rows}
