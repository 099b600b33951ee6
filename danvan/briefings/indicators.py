"""The indicator table of a member report: which figures, where they come
from, how they add up.

Each domain app gives its figures through `selectors.indicators(org,
period)` (docs/architecture.md: a domain app reads another only through its
selectors): petitions, reception and movements. `collect` calls the three
and keeps the keys of `INDICATORS`, in that order. A provider that is not
installed or not written yet gives no figures (its keys stay None), so a
report can still be made.

Counts add up across members and across legacy provinces; a percentage
never adds up: `derive` computes it again from the counts it is made of.
"""

import importlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from danvan.core.periods import Period

logger = logging.getLogger(__name__)

#: The apps whose `selectors.indicators(org, period)` fill the table.
PROVIDERS: tuple[str, ...] = (
    "danvan.petitions.selectors",
    "danvan.reception.selectors",
    "danvan.movements.selectors",
)


@dataclass(frozen=True)
class Indicator:
    """One line of the indicator table."""

    key: str
    label: str | Promise
    group: str | Promise
    #: 1: the higher the better, -1: the lower, 0: no ranking.
    rank: int = 0
    #: For a percentage: the keys of its numerator and denominator.
    ratio_of: tuple[str, str] | None = None

    @property
    def is_percent(self) -> bool:
        return self.ratio_of is not None


_PETITIONS = _("Petitions")
_RECEPTION = _("Citizen reception and dialogue")
_MOVEMENT = _("“Skilful mobilization” movement")

INDICATORS: tuple[Indicator, ...] = (
    Indicator("petitions_received", _("Petitions received"), _PETITIONS),
    Indicator("petitions_resolved", _("Petitions resolved"), _PETITIONS),
    Indicator("petitions_resolved_on_time", _("Resolved on time"), _PETITIONS),
    Indicator(
        "petitions_on_time_percent",
        _("Resolved on time (%)"),
        _PETITIONS,
        rank=1,
        ratio_of=("petitions_resolved_on_time", "petitions_resolved"),
    ),
    Indicator("petitions_overdue", _("Overdue petitions"), _PETITIONS, rank=-1),
    Indicator("visits", _("Reception visits"), _RECEPTION),
    Indicator("people_received", _("People received"), _RECEPTION),
    Indicator("leader_days_held", _("Leaders' reception days held"), _RECEPTION),
    Indicator("leader_days_required", _("Leaders' reception days required"), _RECEPTION),
    Indicator(
        "leader_days_percent",
        _("Leaders' reception days held (%)"),
        _RECEPTION,
        rank=1,
        ratio_of=("leader_days_held", "leader_days_required"),
    ),
    Indicator("dialogues_held", _("Dialogues held"), _RECEPTION, rank=1),
    Indicator("commitments_due", _("Commitments due"), _RECEPTION),
    Indicator("commitments_done", _("Commitments done"), _RECEPTION),
    Indicator("campaigns_active", _("Campaigns under way"), _MOVEMENT),
    Indicator("models_registered", _("Models registered"), _MOVEMENT, rank=1),
    Indicator("models_recognized", _("Models recognized"), _MOVEMENT, rank=1),
    Indicator("models_replicated", _("Models replicated"), _MOVEMENT, rank=1),
    Indicator("exemplars_recognized", _("Exemplars recognized"), _MOVEMENT, rank=1),
    Indicator("communities_active", _("Active communities"), _MOVEMENT, rank=1),
)

BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}
KEYS: tuple[str, ...] = tuple(BY_KEY)


def _provider(module_name: str) -> Any:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, "indicators", None)


def derive(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return `values` on every key, with each percentage computed from its counts."""
    result: dict[str, Any] = {key: values.get(key) for key in KEYS}
    for indicator in INDICATORS:
        if indicator.ratio_of is None:
            continue
        top, bottom = (result.get(key) for key in indicator.ratio_of)
        if top is None or bottom is None:
            continue
        result[indicator.key] = round(100 * top / bottom, 1) if bottom else None
    return result


def collect(org: Any, period: Period, *, providers: Iterable[str] = PROVIDERS) -> dict[str, Any]:
    """Return the indicator table of the member `org` for `period`, one key per indicator.

    Keys a provider does not give stay None; a provider's keys outside the
    table are left out. Percentages are derived from the counts.
    """
    values: dict[str, Any] = {}
    for module_name in providers:
        provide = _provider(module_name)
        if provide is None:
            logger.info("No indicators from %s", module_name)
            continue
        values.update(provide(org, period))
    return derive(values)


def add_up(tables: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Return the sum of indicator tables: counts added, percentages derived.

    A count that is None in every table stays None.
    """
    totals: dict[str, Any] = {}
    for table in tables:
        for indicator in INDICATORS:
            value = table.get(indicator.key)
            if indicator.is_percent or value is None:
                continue
            totals[indicator.key] = (totals.get(indicator.key) or 0) + value
    return derive(totals)


def number_text(value: Any) -> str:
    """Write a figure the Vietnamese way: 1.234 and 85,5; “–” for none."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")
