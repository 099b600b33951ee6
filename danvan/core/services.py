"""Services of the platform core (writes): the calendar override table.

Each year the Prime Minister decides the days off of Tết and of Quốc khánh
and approves swaps of working days (Bộ luật Lao động 2019 Art. 112(3)). The
`holidays` library knows the decisions made before its release; the others
are entered here by an administrator and layered on top by
`danvan.core.calendar`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.core import calendar
from danvan.core.audit import Actor, audit_record, model_changes
from danvan.core.models import CalendarOverride

_AUDITED_FIELDS = ["date", "kind", "reason", "legal_basis"]


def _short_date(day: datetime.date) -> str:
    """Return `day` as Vietnamese write it in running text: 2/1/2026."""
    return f"{day.day}/{day.month}/{day.year}"


@transaction.atomic
def calendar_override_set(
    *,
    actor: Actor,
    date: datetime.date,
    kind: str,
    reason: str,
    legal_basis: str = "",
) -> CalendarOverride:
    """Make `date` an extra day off or an extra working day, or change it.

    Creates the override of `date` or updates the existing one. An override
    must change something: a working day (Monday to Friday, or an official
    working Saturday) can only become a day off, and a day off (weekend,
    public holiday, official day off) only a working day, as the library
    says before any override. The reason, e.g. the decision that announced
    the swap (BLLĐ 2019 Art. 112(3)), is required. Every process's calendar
    is refreshed once the transaction commits.
    """
    reason = reason.strip()
    legal_basis = legal_basis.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for this day off or working day.")}, code="required"
        )
    try:
        base_working = calendar.get_calendar().base_is_working_day(date)
    except ValueError:
        raise ValidationError(
            {
                "date": _("Choose a date in the years %(first)s to %(last)s.")
                % {"first": calendar.MIN_YEAR, "last": calendar.MAX_YEAR}
            },
            code="out_of_range",
        ) from None
    if kind == CalendarOverride.Kind.WORKING_DAY and base_working:
        raise ValidationError(
            {
                "kind": _(
                    "%(date)s is already a working day; only a weekend day or a holiday "
                    "can be made a working day."
                )
                % {"date": _short_date(date)}
            },
            code="already_working_day",
        )
    if kind == CalendarOverride.Kind.DAY_OFF and not base_working:
        raise ValidationError(
            {
                "kind": _(
                    "%(date)s is already a day off; only a working day can be made a day off."
                )
                % {"date": _short_date(date)}
            },
            code="already_day_off",
        )

    override = CalendarOverride.objects.select_for_update().filter(date=date).first()
    created = override is None
    previous = None if override is None else model_changes(override, _AUDITED_FIELDS)
    if override is None:
        override = CalendarOverride(date=date)
    override.kind = kind
    override.reason = reason
    override.legal_basis = legal_basis
    override.full_clean()
    if created:
        override.save()
    else:
        override.save(update_fields=["kind", "reason", "legal_basis", "updated_at"])

    audit_record(
        actor=actor,
        action="calendaroverride.set",
        target=override,
        data={
            "created": created,
            **model_changes(override, _AUDITED_FIELDS),
            "previous": previous,
        },
    )
    transaction.on_commit(calendar.invalidate_calendar)
    return override


@transaction.atomic
def calendar_override_delete(*, actor: Actor, override: CalendarOverride) -> None:
    """Remove an override: the day is again what the library says it is.

    Every process's calendar is refreshed once the transaction commits.
    """
    override = CalendarOverride.objects.select_for_update().get(pk=override.pk)
    audit_record(
        actor=actor,
        action="calendaroverride.delete",
        target=override,
        data=model_changes(override, _AUDITED_FIELDS),
    )
    override.delete()
    transaction.on_commit(calendar.invalidate_calendar)
