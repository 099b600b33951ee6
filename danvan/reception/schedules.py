"""Leaders' duty days (lịch tiếp công dân): writes, reads and compliance.

A duty day moves DRAFT → PUBLISHED → HELD, or to CANCELLED from DRAFT or
PUBLISHED. Every write is keyword-only, runs in one transaction, locks the
row whose state it changes and writes one audit event (`schedule.<verb>`,
no personal data: ids, dates and flags only). Who may write: a reception
officer, head or administrator of the schedule's organization on the day of
the change (`WRITER_ROLES`), a reception officer of a citizen reception
office directly below it (the Ban Tiếp công dân keeps the provincial
chairman's days, Luật TCD Art. 12), or a superuser
(`organizations_keeping_schedules`); otherwise `PermissionDenied`.

The law (figures and dates in `rules.py`, minimums in `DutyRule` rows):

- the leader is a head (`Role.HEAD`) of the organization on the day;
- publication at least 5 working days before the day (Luật TCD Art. 24(4)):
  `publish_by` is set at creation; publishing later is allowed but flagged
  (`published_late`, and the audit event says so);
- online only from 2026-07-01 (Luật 136/2025/QH15, Luật TCD Art. 3a), with
  its link, and its connection tested at least 1 working day before (NĐ
  154/2026 Art. 23): a later test is recorded and flagged;
- from 2026-07-01 a deputy may not hold the day (Luật 136/2025/QH15).

Local choices, not law (documented here because they are policy):

- a duty day may be entered at most `MAX_DAYS_IN_PAST` days after its date
  (enough to record, early in a month, the days of the month before; older
  days would rewrite compliance already reported), and at most
  `MAX_DAYS_AHEAD` days before it (a typo guard);
- a change of the date, hours, place, mode, link or leader of a published
  day publishes it again: the public learns of the new day only then, so
  `published_at` is reset (and the late flag judged again); a change of the
  date, mode or link also forgets an earlier connection test;
- a day cannot be published once it has passed (record it as held, or
  cancel it), nor recorded as held before it comes;
- an unscheduled reception (Luật TCD Art. 18(3)) is by nature not planned:
  its `publish_by` is its own date, it is never "late", and it does not
  count towards the minimum (which is about the regular duty days of Art.
  12(5), 15(2)(d), 18(2)), but it is listed in the month's calendar.

Compliance (`leader_compliance`), for one month:

- the leaders: every head of each organization whose membership overlaps
  the month (with no duty day their shortfall shows), plus anyone with a
  duty day there that month (whose membership was since changed);
- the rule: `rules.duty_rule_for(category, first day of the month)`: a new
  dated row applies from the first month that starts on or after its
  `valid_from`;
- days required: for a rule per week, the number of Monday-start weeks
  whose Monday falls in the month (a week that spans two months counts for
  the month of its Monday), times `rule.days`; for a rule per month,
  `rule.days`. For a head who was not head (or whose organization did not
  exist) for the whole month, only the Mondays of the month on which they
  were count, and a monthly rule applies if they were for any day;
- days scheduled: distinct dates published or held; days held: distinct
  dates held, a day held by a deputy counting only before 2026-07-01;
  days held by a deputy: distinct dates held by one (shown whatever the
  date); shortfall: days required minus days held, never below 0.
"""

import calendar as month_calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from danvan.core.audit import Actor, audit_record
from danvan.geo.models import Province
from danvan.orgs.models import Membership, Organization, OrganizationKind, Role
from danvan.orgs.selectors import valid_on_q
from danvan.petitions.actions import user_or_none
from danvan.reception import rules
from danvan.reception.models import (
    LONG_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    DutyPeriod,
    DutyRule,
    LeaderCategory,
    ReceptionMode,
    ReceptionSchedule,
    ScheduleStatus,
)

D = datetime.date
Errors = dict[str, list[str]]

#: The roles of the organization whose holders keep its schedule.
WRITER_ROLES: Final = (Role.RECEPTION_OFFICER, Role.HEAD, Role.ADMINISTRATOR)

#: How many days after its date a duty day may still be entered (local choice).
MAX_DAYS_IN_PAST: Final = 31
#: How many days ahead a duty day may be planned (local choice, a typo guard).
MAX_DAYS_AHEAD: Final = 366

#: Changes of a published day that publish it again.
_REPUBLISHING_FIELDS: Final = (
    "leader",
    "date",
    "starts_at",
    "ends_at",
    "place",
    "mode",
    "online_link",
)
#: Changes that make an earlier connection test worthless.
_RETEST_FIELDS: Final = ("date", "mode", "online_link")
#: The statuses a duty day can still be changed, published, held or cancelled in.
_OPEN_STATUSES: Final = (ScheduleStatus.DRAFT, ScheduleStatus.PUBLISHED)
#: The statuses shown on the portal and counted as scheduled.
_PUBLIC_STATUSES: Final = (ScheduleStatus.PUBLISHED, ScheduleStatus.HELD)
_ONLINE_LINK_MAX_LENGTH: Final = 200  # URLField's default
_NOTICE_NUMBER_MAX_LENGTH: Final = 50


class _Unchanged:
    """The default of `schedule_update`'s arguments: keep the stored value."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final = _Unchanged()


# --- helpers ------------------------------------------------------------------------


def _short_date(day: D) -> str:
    """Return `day` as Vietnamese write it in running text: 2/1/2026."""
    return f"{day.day}/{day.month}/{day.year}"


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _today() -> D:
    return timezone.localdate()


def organizations_keeping_schedules(actor: Actor) -> QuerySet[Organization]:
    """Return the organizations whose duty days `actor` may enter today.

    Those where the actor is a reception officer, head or administrator,
    and the body directly above a citizen reception office where the actor
    is a reception officer (a Ban Tiếp công dân enters its committee
    chairman's days); every organization for a superuser.
    """
    if actor is None or not getattr(actor, "is_active", False) or actor.pk is None:
        return Organization.objects.none()
    if getattr(actor, "is_superuser", False):
        return Organization.objects.all()
    today = timezone.localdate()
    memberships = Membership.objects.filter(valid_on_q(today), user_id=int(actor.pk)).order_by()
    own = memberships.filter(role__in=[str(role) for role in WRITER_ROLES]).values(
        "organization_id"
    )
    offices = memberships.filter(
        role=Role.RECEPTION_OFFICER,
        organization__kind=OrganizationKind.RECEPTION_OFFICE,
        organization__parent__isnull=False,
    ).values("organization__parent_id")
    return Organization.objects.filter(Q(pk__in=own) | Q(pk__in=offices))


def _require_writer(actor: Actor, organization: Organization) -> None:
    """Raise `PermissionDenied` unless `actor` keeps `organization`'s schedule today."""
    if not organizations_keeping_schedules(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied(
            gettext(
                "Only a reception officer, a head or an administrator of %(organization)s "
                "may change its reception schedule."
            )
            % {"organization": organization.name}
        )


def _lock(schedule: ReceptionSchedule) -> ReceptionSchedule:
    """Return the stored row of `schedule`, locked, with its organization."""
    return (
        ReceptionSchedule.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=schedule.pk)
    )


def _require_status(
    schedule: ReceptionSchedule, allowed: tuple[ScheduleStatus, ...], message: str
) -> None:
    if schedule.status not in allowed:
        raise ValidationError(
            {
                "status": message
                % {
                    "status": ScheduleStatus(schedule.status).label,
                    "date": _short_date(schedule.date),
                }
            }
        )


def _clean_text(
    errors: Errors,
    field: str,
    value: object,
    *,
    max_length: int,
    required_message: str | None = None,
) -> str:
    """Return `value` stripped, adding an error when it is missing, not text or too long."""
    if not isinstance(value, str):
        _add(errors, field, gettext("Enter a text."))
        return ""
    text = value.strip()
    if required_message and not text:
        _add(errors, field, required_message)
    elif len(text) > max_length:
        _add(
            errors,
            field,
            gettext("Enter at most %(max)d characters (%(length)d given).")
            % {"max": max_length, "length": len(text)},
        )
    return text


def _is_date(value: object) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _schedule_data(schedule: ReceptionSchedule, **extra: object) -> dict[str, Any]:
    """The audit data of a duty day: ids, dates and flags, no personal data."""
    return {
        "organization": schedule.organization.code,
        "leader_id": schedule.leader_id,
        "category": schedule.category,
        "date": schedule.date.isoformat(),
        "starts_at": schedule.starts_at.strftime("%H:%M"),
        "ends_at": schedule.ends_at.strftime("%H:%M"),
        "mode": schedule.mode,
        "is_unscheduled": schedule.is_unscheduled,
        "status": schedule.status,
        "publish_by": schedule.publish_by.isoformat(),
        **extra,
    }


@dataclass(frozen=True, slots=True)
class _Fields:
    """The validated values of a duty day."""

    leader: Any
    leader_title: str
    date: D
    starts_at: datetime.time
    ends_at: datetime.time
    place: str
    mode: str
    online_link: str
    expected_content: str
    attendees: str
    is_unscheduled: bool


def _validate(
    *,
    organization: Organization,
    values: dict[str, Any],
    current: ReceptionSchedule | None,
) -> _Fields:
    """Check every field of a new or changed duty day; raise one `ValidationError`.

    `current` is the stored row on an update (the date window is checked
    only when the date changes; the duplicate check skips the row itself).
    The leader's head membership on the date is locked, so that two
    concurrent entries for the same leader cannot both pass the duplicate
    check.
    """
    errors: Errors = {}
    today = _today()

    leader = values["leader"]
    if leader is None or not isinstance(leader, get_user_model()):
        _add(errors, "leader", gettext("Choose the leader."))
        leader = None
    leader_title = _clean_text(
        errors,
        "leader_title",
        values["leader_title"],
        max_length=TEXT_MAX_LENGTH,
        required_message=gettext("Enter the leader's title, e.g. Chairman of the commune."),
    )
    place = _clean_text(
        errors,
        "place",
        values["place"],
        max_length=TEXT_MAX_LENGTH,
        required_message=gettext("Enter where citizens are received."),
    )
    expected_content = _clean_text(
        errors, "expected_content", values["expected_content"], max_length=LONG_TEXT_MAX_LENGTH
    )
    attendees = _clean_text(
        errors, "attendees", values["attendees"], max_length=LONG_TEXT_MAX_LENGTH
    )
    online_link = _clean_text(
        errors, "online_link", values["online_link"], max_length=_ONLINE_LINK_MAX_LENGTH
    )
    is_unscheduled = values["is_unscheduled"]
    if not isinstance(is_unscheduled, bool):
        _add(errors, "is_unscheduled", gettext("Enter a valid value."))
        is_unscheduled = False

    date = values["date"]
    date_ok = _is_date(date)
    if not date_ok:
        _add(errors, "date", gettext("Enter a valid date."))
    else:
        date_changed = current is None or current.date != date
        if date_changed and date < today - datetime.timedelta(days=MAX_DAYS_IN_PAST):
            date_ok = False
            _add(
                errors,
                "date",
                gettext(
                    "A duty day can be entered at most %(days)d days after it: "
                    "%(date)s is too far in the past."
                )
                % {"days": MAX_DAYS_IN_PAST, "date": _short_date(date)},
            )
        elif date_changed and date > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
            date_ok = False
            _add(
                errors,
                "date",
                gettext("A duty day can be planned at most %(days)d days ahead.")
                % {"days": MAX_DAYS_AHEAD},
            )
        elif not organization.is_valid_on(date):
            date_ok = False
            _add(
                errors,
                "date",
                gettext("%(organization)s does not exist on %(date)s.")
                % {"organization": organization.name, "date": _short_date(date)},
            )

    starts_at, ends_at = values["starts_at"], values["ends_at"]
    times_ok = True
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, datetime.time):
            times_ok = False
            _add(errors, field, gettext("Enter a valid time."))
    if times_ok and ends_at <= starts_at:
        times_ok = False
        _add(errors, "ends_at", gettext("The reception must end after it starts."))

    mode = values["mode"]
    if mode not in ReceptionMode.values:
        _add(
            errors,
            "mode",
            gettext("Choose one of: %(choices)s.")
            % {"choices": ", ".join(str(label) for label in ReceptionMode.labels)},
        )
    elif mode == ReceptionMode.ONLINE:
        if date_ok and date < rules.ONLINE_RECEPTION_FROM:
            _add(
                errors,
                "mode",
                gettext(
                    "Citizens can be received online only from %(date)s "
                    "(Luật 136/2025/QH15, Luật Tiếp công dân Art. 3a)."
                )
                % {"date": _short_date(rules.ONLINE_RECEPTION_FROM)},
            )
        if not online_link and "online_link" not in errors:
            _add(errors, "online_link", gettext("Enter the link of the online reception."))
        elif online_link:
            try:
                URLValidator(schemes=["http", "https"])(online_link)
            except ValidationError:
                _add(
                    errors,
                    "online_link",
                    gettext("Enter a full web address, starting with https://."),
                )
    elif online_link:
        _add(errors, "online_link", gettext("Only an online reception has a link."))

    if leader is not None and date_ok:
        head = list(
            Membership.objects.select_for_update()
            .filter(
                valid_on_q(date),
                user_id=leader.pk,
                organization_id=organization.pk,
                role=Role.HEAD,
                is_deputy=False,
            )
            .values_list("pk", flat=True)[:1]
        )
        if not head:
            _add(
                errors,
                "leader",
                gettext("%(name)s is not a head of %(organization)s on %(date)s.")
                % {
                    "name": leader.get_full_name() or leader.get_username(),
                    "organization": organization.name,
                    "date": _short_date(date),
                },
            )
        elif times_ok:
            others = ReceptionSchedule.objects.filter(
                leader_id=leader.pk, date=date, starts_at__lt=ends_at, ends_at__gt=starts_at
            ).exclude(status=ScheduleStatus.CANCELLED)
            if current is not None:
                others = others.exclude(pk=current.pk)
            clash = others.order_by("starts_at").first()
            if clash is not None:
                _add(
                    errors,
                    "starts_at",
                    gettext(
                        "%(name)s already has a duty day on %(date)s from %(start)s to %(end)s."
                    )
                    % {
                        "name": leader.get_full_name() or leader.get_username(),
                        "date": _short_date(date),
                        "start": clash.starts_at.strftime("%H:%M"),
                        "end": clash.ends_at.strftime("%H:%M"),
                    },
                )

    if errors:
        raise ValidationError(errors)
    return _Fields(
        leader=leader,
        leader_title=leader_title,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        mode=mode,
        online_link=online_link,
        expected_content=expected_content,
        attendees=attendees,
        is_unscheduled=is_unscheduled,
    )


def _publish_by(day: D, *, is_unscheduled: bool) -> D:
    """Return the last day to publish a duty day (its own date when unscheduled)."""
    if is_unscheduled:
        return day
    try:
        return rules.schedule_publish_by(day)
    except (LookupError, ValueError):
        # Outside the rule's validity or the calendar's years: the date
        # window of `_validate` keeps real entries far from both.
        raise ValidationError(
            {"date": gettext("No publication rule covers %(date)s.") % {"date": _short_date(day)}}
        ) from None


# --- writes ---------------------------------------------------------------------------


@transaction.atomic
def schedule_create(
    *,
    actor: Actor,
    organization: Organization,
    leader: Any,
    leader_title: str,
    date: D,
    starts_at: datetime.time,
    ends_at: datetime.time,
    place: str,
    mode: str = ReceptionMode.IN_PERSON,
    online_link: str = "",
    expected_content: str = "",
    attendees: str = "",
    is_unscheduled: bool = False,
) -> ReceptionSchedule:
    """Enter a leader's duty day as a draft, and return it.

    The leader must be a head of `organization` on `date` (Luật TCD Art.
    12(5), 15(2)(d), 18(2)); `category` follows the organization
    (`rules.leader_category_of`) and `publish_by` the publication rule
    (Luật TCD Art. 24(4), 5 working days before). An online reception is
    possible from 2026-07-01 and needs its link. The same leader cannot
    have two duty days at overlapping hours of one date.
    """
    if not isinstance(organization, Organization):
        raise ValidationError({"organization": gettext("Choose the organization.")})
    _require_writer(actor, organization)
    fields = _validate(
        organization=organization,
        values={
            "leader": leader,
            "leader_title": leader_title,
            "date": date,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": place,
            "mode": mode,
            "online_link": online_link,
            "expected_content": expected_content,
            "attendees": attendees,
            "is_unscheduled": is_unscheduled,
        },
        current=None,
    )
    schedule = ReceptionSchedule(
        organization=organization,
        leader=fields.leader,
        leader_title=fields.leader_title,
        category=rules.leader_category_of(organization),
        date=fields.date,
        starts_at=fields.starts_at,
        ends_at=fields.ends_at,
        place=fields.place,
        mode=fields.mode,
        online_link=fields.online_link,
        expected_content=fields.expected_content,
        attendees=fields.attendees,
        is_unscheduled=fields.is_unscheduled,
        status=ScheduleStatus.DRAFT,
        publish_by=_publish_by(fields.date, is_unscheduled=fields.is_unscheduled),
        created_by=user_or_none(actor),
    )
    schedule.full_clean()
    schedule.save()
    audit_record(
        actor=actor, action="schedule.create", target=schedule, data=_schedule_data(schedule)
    )
    return schedule


@transaction.atomic
def schedule_update(
    *,
    actor: Actor,
    schedule: ReceptionSchedule,
    leader: Any = UNCHANGED,
    leader_title: Any = UNCHANGED,
    date: Any = UNCHANGED,
    starts_at: Any = UNCHANGED,
    ends_at: Any = UNCHANGED,
    place: Any = UNCHANGED,
    mode: Any = UNCHANGED,
    online_link: Any = UNCHANGED,
    expected_content: Any = UNCHANGED,
    attendees: Any = UNCHANGED,
    is_unscheduled: Any = UNCHANGED,
) -> ReceptionSchedule:
    """Change a draft or published duty day; return it.

    Every argument left out keeps its stored value; the result is checked
    as a whole, as in `schedule_create`. A published day whose date, hours,
    place, mode, link or leader changes is published again now (the public
    learns of it only now), and may thus become late; a new date, mode or
    link forgets the connection test.
    """
    locked = _lock(schedule)
    _require_writer(actor, locked.organization)
    _require_status(
        locked,
        _OPEN_STATUSES,
        gettext("The duty day of %(date)s is %(status)s: it can no longer be changed."),
    )
    given = {
        "leader": leader,
        "leader_title": leader_title,
        "date": date,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place,
        "mode": mode,
        "online_link": online_link,
        "expected_content": expected_content,
        "attendees": attendees,
        "is_unscheduled": is_unscheduled,
    }
    stored = {name: getattr(locked, name) for name in given}
    values = {name: stored[name] if value is UNCHANGED else value for name, value in given.items()}
    if mode is not UNCHANGED and mode == ReceptionMode.IN_PERSON and online_link is UNCHANGED:
        values["online_link"] = ""  # a session moved back to in person drops its link
    fields = _validate(organization=locked.organization, values=values, current=locked)

    changed = sorted(
        name
        for name in given
        if (name == "leader" and getattr(fields, name).pk != locked.leader_id)
        or (name != "leader" and getattr(fields, name) != stored[name])
    )
    if not changed:
        return locked
    if locked.status == ScheduleStatus.PUBLISHED and "date" in changed and fields.date < _today():
        raise ValidationError(
            {
                "date": gettext(
                    "The duty day of %(date)s has passed: record it as held or cancel it."
                )
                % {"date": _short_date(fields.date)}
            }
        )
    for name in changed:
        setattr(locked, name, getattr(fields, name))
    update_fields = [*changed, "publish_by", "updated_at"]
    locked.publish_by = _publish_by(fields.date, is_unscheduled=fields.is_unscheduled)
    if set(changed) & set(_RETEST_FIELDS) and locked.connection_tested_on is not None:
        locked.connection_tested_on = None
        update_fields.append("connection_tested_on")
    republished = locked.status == ScheduleStatus.PUBLISHED and bool(
        set(changed) & set(_REPUBLISHING_FIELDS)
    )
    if republished:
        locked.published_at = timezone.now()
        update_fields.append("published_at")
    locked.full_clean()
    locked.save(update_fields=update_fields)
    audit_record(
        actor=actor,
        action="schedule.update",
        target=locked,
        data=_schedule_data(
            locked,
            changed=changed,
            republished=republished,
            published_late=locked.published_late,
        ),
    )
    return locked


@transaction.atomic
def schedule_publish(*, actor: Actor, schedule: ReceptionSchedule) -> ReceptionSchedule:
    """Publish a draft duty day on the portal now; return it.

    Luật TCD Art. 24(4): at least 5 working days before the day
    (`publish_by`). Later is allowed, and flagged: `published_late` is then
    true and the audit event says so. A day already passed is not
    published: record it as held or cancel it.
    """
    locked = _lock(schedule)
    _require_writer(actor, locked.organization)
    _require_status(
        locked,
        (ScheduleStatus.DRAFT,),
        gettext("The duty day of %(date)s is %(status)s: only a draft can be published."),
    )
    if locked.date < _today():
        raise ValidationError(
            {
                "date": gettext(
                    "The duty day of %(date)s has passed: record it as held or cancel it."
                )
                % {"date": _short_date(locked.date)}
            }
        )
    locked.status = ScheduleStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="schedule.publish",
        target=locked,
        data=_schedule_data(
            locked,
            published_on=timezone.localdate(locked.published_at).isoformat(),
            published_late=locked.published_late,
        ),
    )
    return locked


def connection_test_late(schedule: ReceptionSchedule) -> bool:
    """Tell whether an online day's connection was tested after the last day allowed.

    NĐ 154/2026 Art. 23: at least 1 working day before (`rules.connection_test_by`).
    False when no test is recorded yet.
    """
    if schedule.mode != ReceptionMode.ONLINE or schedule.connection_tested_on is None:
        return False
    return schedule.connection_tested_on > rules.connection_test_by(schedule.date)


@transaction.atomic
def schedule_record_connection_test(
    *, actor: Actor, schedule: ReceptionSchedule, on: D
) -> ReceptionSchedule:
    """Record the day an online duty day's connection was tested; return the day.

    Only an online day, not cancelled; `on` cannot be in the future nor
    after the day itself. A test later than `rules.connection_test_by` (NĐ
    154/2026 Art. 23) is recorded and flagged (`connection_test_late`, and
    the audit event).
    """
    locked = _lock(schedule)
    _require_writer(actor, locked.organization)
    if locked.mode != ReceptionMode.ONLINE:
        raise ValidationError(
            {"mode": gettext("Only an online reception has a connection to test.")}
        )
    _require_status(
        locked,
        (*_OPEN_STATUSES, ScheduleStatus.HELD),
        gettext("The duty day of %(date)s is %(status)s: its connection test is not recorded."),
    )
    if not _is_date(on):
        raise ValidationError({"on": gettext("Enter a valid date.")})
    if on > _today():
        raise ValidationError({"on": gettext("The test cannot be dated in the future.")})
    if on > locked.date:
        raise ValidationError(
            {
                "on": gettext(
                    "The connection must be tested by the day of the reception, %(date)s."
                )
                % {"date": _short_date(locked.date)}
            }
        )
    locked.connection_tested_on = on
    locked.save(update_fields=["connection_tested_on", "updated_at"])
    audit_record(
        actor=actor,
        action="schedule.record_connection_test",
        target=locked,
        data=_schedule_data(
            locked,
            tested_on=on.isoformat(),
            test_by=rules.connection_test_by(locked.date).isoformat(),
            test_late=connection_test_late(locked),
        ),
    )
    return locked


@transaction.atomic
def schedule_record_held(
    *,
    actor: Actor,
    schedule: ReceptionSchedule,
    held_by_deputy: bool = False,
    deputy_name: str = "",
    conclusion_notice_number: str = "",
) -> ReceptionSchedule:
    """Record that a duty day took place; return it.

    From a draft (an unscheduled reception, or a day never published: it
    stays flagged late) or a published day, once the day has come. Before
    2026-07-01 a deputy may have held it (name required); from then the
    leader may not delegate (Luật 136/2025/QH15). The number of the
    conclusion notice (NĐ 154/2026 Art. 25(2)) may be given.
    """
    locked = _lock(schedule)
    _require_writer(actor, locked.organization)
    _require_status(
        locked,
        _OPEN_STATUSES,
        gettext("The duty day of %(date)s is %(status)s: it cannot be recorded as held."),
    )
    errors: Errors = {}
    if locked.date > _today():
        _add(
            errors,
            "date",
            gettext("The duty day of %(date)s has not come yet: it cannot be recorded as held.")
            % {"date": _short_date(locked.date)},
        )
    if not isinstance(held_by_deputy, bool):
        _add(errors, "held_by_deputy", gettext("Enter a valid value."))
        held_by_deputy = False
    deputy = _clean_text(errors, "deputy_name", deputy_name, max_length=TEXT_MAX_LENGTH)
    notice = _clean_text(
        errors,
        "conclusion_notice_number",
        conclusion_notice_number,
        max_length=_NOTICE_NUMBER_MAX_LENGTH,
    )
    if held_by_deputy and locked.date >= rules.DELEGATION_FORBIDDEN_FROM:
        _add(
            errors,
            "held_by_deputy",
            gettext(
                "From %(date)s the leader must receive citizens in person and may not "
                "send a deputy (Luật 136/2025/QH15)."
            )
            % {"date": _short_date(rules.DELEGATION_FORBIDDEN_FROM)},
        )
    elif held_by_deputy and not deputy and "deputy_name" not in errors:
        _add(errors, "deputy_name", gettext("Enter the name of the deputy who received citizens."))
    elif not held_by_deputy and deputy:
        _add(errors, "deputy_name", gettext("A deputy is named only when one held the day."))
    if errors:
        raise ValidationError(errors)
    locked.status = ScheduleStatus.HELD
    locked.held_by_deputy = held_by_deputy
    locked.deputy_name = deputy
    locked.conclusion_notice_number = notice
    locked.save(
        update_fields=[
            "status",
            "held_by_deputy",
            "deputy_name",
            "conclusion_notice_number",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="schedule.record_held",
        target=locked,
        data=_schedule_data(
            locked,
            held_by_deputy=held_by_deputy,
            has_conclusion_notice=bool(notice),
            published=locked.published_at is not None,
        ),
    )
    return locked


@transaction.atomic
def schedule_cancel(
    *, actor: Actor, schedule: ReceptionSchedule, reason: str
) -> ReceptionSchedule:
    """Cancel a draft or published duty day, with the reason; return it."""
    locked = _lock(schedule)
    _require_writer(actor, locked.organization)
    _require_status(
        locked,
        _OPEN_STATUSES,
        gettext("The duty day of %(date)s is %(status)s: it cannot be cancelled."),
    )
    errors: Errors = {}
    text = _clean_text(
        errors,
        "reason",
        reason,
        max_length=TEXT_MAX_LENGTH,
        required_message=gettext("Give the reason for cancelling the duty day."),
    )
    if errors:
        raise ValidationError(errors)
    previous = locked.status
    locked.status = ScheduleStatus.CANCELLED
    locked.cancel_reason = text
    locked.save(update_fields=["status", "cancel_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="schedule.cancel",
        target=locked,
        data=_schedule_data(locked, previous_status=previous),
    )
    return locked


# --- reads ----------------------------------------------------------------------------


def _month_bounds(year: int, month: int) -> tuple[D, D]:
    """Return the first and last days of a month; ValueError for a bad month."""
    last = month_calendar.monthrange(year, month)[1]
    return D(year, month, 1), D(year, month, last)


def _organization_filter(organizations: Iterable[Organization]) -> Q:
    if isinstance(organizations, QuerySet):
        return Q(organization__in=organizations.values("pk"))
    return Q(organization_id__in=[org.pk for org in organizations])


@dataclass(frozen=True, slots=True)
class PublishedSchedule:
    """A duty day as the portal shows it: no personal data beyond the leader's name."""

    organization_name: str
    leader_title: str
    leader_name: str
    date: D
    starts_at: datetime.time
    ends_at: datetime.time
    place: str
    mode: str
    online_link: str
    is_held: bool


def schedules_published(
    *,
    province: Province | int | None = None,
    commune_org: Organization | None = None,
    date_from: D,
    date_to: D,
) -> list[PublishedSchedule]:
    """Return the duty days the portal shows, from `date_from` to `date_to`.

    Only days published (Luật TCD Art. 24) and still planned or held; by
    date and hour. `province` keeps the province's organizations (its
    people's committee, agencies and communes); `commune_org` one
    organization. The expected content, attendees and deputy are left out:
    they may name people. One query.
    """
    if date_to < date_from:
        raise ValueError("date_to is before date_from")
    rows = ReceptionSchedule.objects.filter(
        status__in=_PUBLIC_STATUSES,
        published_at__isnull=False,
        date__gte=date_from,
        date__lte=date_to,
    )
    if province is not None:
        code = province.pk if isinstance(province, Province) else province
        rows = rows.filter(organization__province_id=code)
    if commune_org is not None:
        rows = rows.filter(organization_id=commune_org.pk)
    values = rows.order_by("date", "starts_at", "organization__name", "pk").values(
        "organization__name",
        "leader_title",
        "leader__last_name",
        "leader__first_name",
        "date",
        "starts_at",
        "ends_at",
        "place",
        "mode",
        "online_link",
        "status",
    )
    return [
        PublishedSchedule(
            organization_name=row["organization__name"],
            leader_title=row["leader_title"],
            leader_name=" ".join(
                part for part in (row["leader__last_name"], row["leader__first_name"]) if part
            ),
            date=row["date"],
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            place=row["place"],
            mode=row["mode"],
            online_link=row["online_link"],
            is_held=row["status"] == ScheduleStatus.HELD,
        )
        for row in values
    ]


def schedules_month(
    *, organizations: Iterable[Organization], year: int, month: int
) -> QuerySet[ReceptionSchedule]:
    """Return every duty day of `organizations` in a month, for the calendar view.

    Every status (drafts and cancelled days included, for the back-office),
    by date and hour, with the organization and leader loaded: one query.
    """
    first, last = _month_bounds(year, month)
    return (
        ReceptionSchedule.objects.filter(
            _organization_filter(organizations), date__gte=first, date__lte=last
        )
        .select_related("organization", "leader")
        .order_by("date", "starts_at", "organization__name", "pk")
    )


def schedules_late(
    *,
    organizations: Iterable[Organization],
    date_from: D | None = None,
    date_to: D | None = None,
    today: D | None = None,
) -> QuerySet[ReceptionSchedule]:
    """Return the duty days published late, or still unpublished past `publish_by`.

    Luật TCD Art. 24(4). Late: published on a day after `publish_by` (in
    Vietnam's time), or not published and `publish_by` is before `today`
    (a day held without ever being published stays late). Cancelled days
    and unscheduled receptions are left out. `date_from`/`date_to` bound
    the day of reception. One query.
    """
    today = today or _today()
    rows = (
        ReceptionSchedule.objects.filter(_organization_filter(organizations))
        .filter(
            Q(published_at__isnull=False, published_at__date__gt=F("publish_by"))
            | Q(published_at__isnull=True, publish_by__lt=today)
        )
        .exclude(status=ScheduleStatus.CANCELLED)
        .exclude(is_unscheduled=True)
    )
    if date_from is not None:
        rows = rows.filter(date__gte=date_from)
    if date_to is not None:
        rows = rows.filter(date__lte=date_to)
    return rows.select_related("organization", "leader").order_by(
        "date", "starts_at", "organization__name", "pk"
    )


@dataclass(frozen=True, slots=True)
class ComplianceRow:
    """One leader of one organization in one month, against the minimum."""

    organization: Organization
    leader: Any
    category: LeaderCategory
    #: The `DutyRule` applied (with its `legal_basis`), None when none is in force.
    rule: DutyRule | None
    days_required: int
    days_scheduled: int
    days_held: int
    days_held_by_deputy: int
    shortfall: int


def _mondays(first: D, last: D) -> list[D]:
    """Return the Mondays from `first` to `last`, both included."""
    day = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
    mondays = []
    while day <= last:
        mondays.append(day)
        day += datetime.timedelta(days=7)
    return mondays


def _overlap(first: D, last: D, valid_from: D | None, valid_to: D | None) -> tuple[D, D] | None:
    start = max(first, valid_from) if valid_from else first
    end = min(last, valid_to) if valid_to else last
    return (start, end) if start <= end else None


def _days_required(rule: DutyRule | None, window: tuple[D, D] | None, first: D, last: D) -> int:
    if rule is None or window is None:
        return 0
    if rule.period == DutyPeriod.WEEK:
        mondays = [day for day in _mondays(first, last) if window[0] <= day <= window[1]]
        return len(mondays) * rule.days
    return rule.days


def leader_compliance(
    *, organizations: Iterable[Organization], year: int, month: int
) -> list[ComplianceRow]:
    """Return each leader's duty days in a month against the minimum, by organization.

    See the module docstring for who is listed, which rule applies and how
    days are counted. A fixed number of queries whatever the number of
    organizations: the organizations (none when a list is given), the
    heads, one rule per leader category (`rules.duty_rule_for`), the duty
    days, and the users who held a day without being head that month (only
    when there are any).
    """
    first, last = _month_bounds(year, month)
    orgs = {org.pk: org for org in organizations}
    if not orgs:
        return []

    heads = (
        Membership.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=last),
            Q(valid_to__isnull=True) | Q(valid_to__gte=first),
            organization_id__in=list(orgs),
            role=Role.HEAD,
            is_deputy=False,
        )
        .select_related("user")
        .order_by()
    )
    windows: dict[tuple[int, int], tuple[D, D] | None] = {}
    leaders: dict[int, Any] = {}
    for membership in heads:
        org = orgs[membership.organization_id]
        window = _overlap(first, last, membership.valid_from, membership.valid_to)
        if window is not None:
            window = _overlap(window[0], window[1], org.valid_from, org.valid_to)
        leaders[membership.user_id] = membership.user
        windows[(org.pk, membership.user_id)] = window

    scheduled: dict[tuple[int, int], set[D]] = defaultdict(set)
    held: dict[tuple[int, int], set[D]] = defaultdict(set)
    by_deputy: dict[tuple[int, int], set[D]] = defaultdict(set)
    days = (
        ReceptionSchedule.objects.filter(
            organization_id__in=list(orgs),
            date__gte=first,
            date__lte=last,
            status__in=_PUBLIC_STATUSES,
            is_unscheduled=False,
        )
        .order_by()
        .values_list("organization_id", "leader_id", "date", "status", "held_by_deputy")
    )
    for org_id, leader_id, day, status, deputy in days:
        key = (org_id, leader_id)
        scheduled[key].add(day)
        if status == ScheduleStatus.HELD:
            if deputy:
                by_deputy[key].add(day)
            if not deputy or day < rules.DELEGATION_FORBIDDEN_FROM:
                held[key].add(day)
        windows.setdefault(key, None)  # held without being head that month
    missing = {leader_id for _org, leader_id in windows} - set(leaders)
    if missing:
        leaders.update(get_user_model().objects.in_bulk(missing))

    rule_cache: dict[LeaderCategory, DutyRule | None] = {}
    rows = []
    for (org_id, leader_id), window in windows.items():
        if window is None and (org_id, leader_id) not in scheduled:
            continue  # head only outside the organization's life this month
        org = orgs[org_id]
        category = rules.leader_category_of(org)
        if category not in rule_cache:
            rule_cache[category] = rules.duty_rule_for(category, first)
        rule = rule_cache[category]
        required = _days_required(rule, window, first, last)
        days_held = len(held[(org_id, leader_id)])
        rows.append(
            ComplianceRow(
                organization=org,
                leader=leaders[leader_id],
                category=category,
                rule=rule,
                days_required=required,
                days_scheduled=len(scheduled[(org_id, leader_id)]),
                days_held=days_held,
                days_held_by_deputy=len(by_deputy[(org_id, leader_id)]),
                shortfall=max(0, required - days_held),
            )
        )
    rows.sort(key=lambda row: (row.organization.name, row.leader.get_full_name(), row.leader.pk))
    return rows
