"""Writes of clusters of provinces (cụm thi đua, cụm giao ban).

A cluster groups either current provinces (in force since 2025-07-01) or
legacy ones (abolished that day), never both: a legacy code may name
another unit today (82 was Tiền Giang, is now Đồng Tháp). Its dates must
fit the generation it groups.
"""

import datetime
from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.core.audit import Actor, audit_record, model_changes
from danvan.geo.models import LEGACY_LAST_DAY, REFORM_DATE, Cluster, LegacyProvince, Province

_FIELDS = ["code", "name", "description", "valid_from", "valid_to"]


def cluster_scope_errors(
    *,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    has_current: bool,
    has_legacy: bool,
) -> dict[str, list[str]]:
    """Return `{field: [message]}` for a cluster's choice of provinces and dates.

    Empty when the dates are in order and fit the one generation of
    provinces chosen. Pure: used by the services and by the back-office form.
    """
    errors: dict[str, list[str]] = {}
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = [_("The end date cannot be before the start date.")]
    if has_current and has_legacy:
        message = _("A cluster groups either current provinces or legacy provinces, not both.")
        errors["legacy_provinces"] = [message]
    elif not (has_current or has_legacy):
        errors["provinces"] = [_("Choose at least one province.")]
    elif has_current and valid_from and valid_from < REFORM_DATE:
        errors.setdefault("valid_from", []).append(
            _(
                "A cluster of current provinces cannot start before 1 July 2025, "
                "when they came into force."
            )
        )
    elif has_legacy and (valid_to is None or valid_to > LEGACY_LAST_DAY):
        errors.setdefault("valid_to", []).append(
            _("A cluster of legacy provinces must end by 30 June 2025, when they were abolished.")
        )
    return errors


def _provinces(
    province_codes: Collection[int], legacy_province_codes: Collection[int]
) -> tuple[list[Province], list[LegacyProvince], dict[str, list[str]]]:
    """Fetch the provinces named by their codes; report unknown codes."""
    errors: dict[str, list[str]] = {}
    provinces = list(Province.objects.filter(code__in=set(province_codes)))
    unknown = sorted(set(province_codes) - {p.code for p in provinces})
    if unknown:
        errors["provinces"] = [
            _("Unknown province codes: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
        ]
    legacy = list(LegacyProvince.objects.filter(code__in=set(legacy_province_codes)))
    unknown = sorted(set(legacy_province_codes) - {p.code for p in legacy})
    if unknown:
        errors["legacy_provinces"] = [
            _("Unknown legacy province codes: %(codes)s.")
            % {"codes": ", ".join(map(str, unknown))}
        ]
    return provinces, legacy, errors


def _validate_and_save(
    cluster: Cluster,
    province_codes: Collection[int],
    legacy_province_codes: Collection[int],
    *,
    update_fields: list[str] | None = None,
) -> tuple[list[Province], list[LegacyProvince]]:
    """Validate `cluster` with its provinces, save it and set its provinces."""
    provinces, legacy, errors = _provinces(province_codes, legacy_province_codes)
    for name, messages in cluster_scope_errors(
        valid_from=cluster.valid_from,
        valid_to=cluster.valid_to,
        has_current=bool(province_codes),
        has_legacy=bool(legacy_province_codes),
    ).items():
        errors.setdefault(name, []).extend(messages)
    try:
        cluster.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    cluster.save(update_fields=update_fields)
    cluster.provinces.set(provinces)
    cluster.legacy_provinces.set(legacy)
    return provinces, legacy


def _codes(units: list[Province] | list[LegacyProvince]) -> list[int]:
    return sorted(unit.code for unit in units)


@transaction.atomic
def cluster_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    province_codes: Collection[int] = (),
    legacy_province_codes: Collection[int] = (),
    description: str = "",
) -> Cluster:
    """Create a cluster of current or of legacy provinces and audit it.

    Raises `ValidationError` keyed by field (`provinces`, `legacy_provinces`,
    `valid_from`, `valid_to`, `code`, `name`) when the data do not hold.
    """
    cluster = Cluster(
        code=code, name=name, description=description, valid_from=valid_from, valid_to=valid_to
    )
    provinces, legacy = _validate_and_save(cluster, province_codes, legacy_province_codes)
    audit_record(
        actor=actor,
        action="cluster.create",
        target=cluster,
        data={
            **model_changes(cluster, _FIELDS),
            "provinces": _codes(provinces),
            "legacy_provinces": _codes(legacy),
        },
    )
    return cluster


@transaction.atomic
def cluster_update(
    *,
    actor: Actor,
    cluster: Cluster,
    code: str,
    name: str,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    province_codes: Collection[int] = (),
    legacy_province_codes: Collection[int] = (),
    description: str = "",
) -> Cluster:
    """Replace a cluster's fields and provinces, validated as on creation, and audit it.

    The audit event holds the changed fields as `[before, after]`. Returns
    the cluster as saved (a fresh instance, locked for the transaction).
    """
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    before: dict[str, Any] = {
        **model_changes(cluster, _FIELDS),
        "provinces": sorted(cluster.provinces.values_list("code", flat=True)),
        "legacy_provinces": sorted(cluster.legacy_provinces.values_list("code", flat=True)),
    }
    cluster.code = code
    cluster.name = name
    cluster.description = description
    cluster.valid_from = valid_from
    cluster.valid_to = valid_to
    provinces, legacy = _validate_and_save(
        cluster, province_codes, legacy_province_codes, update_fields=_FIELDS
    )
    after: dict[str, Any] = {
        **model_changes(cluster, _FIELDS),
        "provinces": _codes(provinces),
        "legacy_provinces": _codes(legacy),
    }
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    audit_record(actor=actor, action="cluster.update", target=cluster, data=changed)
    return cluster


@transaction.atomic
def cluster_delete(*, actor: Actor, cluster: Cluster) -> None:
    """Delete a cluster and audit what it was."""
    data = {
        **model_changes(cluster, _FIELDS),
        "provinces": sorted(cluster.provinces.values_list("code", flat=True)),
        "legacy_provinces": sorted(cluster.legacy_provinces.values_list("code", flat=True)),
    }
    audit_record(actor=actor, action="cluster.delete", target=cluster, data=data)
    cluster.delete()
