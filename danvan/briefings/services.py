"""Every change to briefings: creating one, member reports (figures,
corrections, narrative, submission, acceptance), the meeting, the
conclusion and its tasks.

Writes are keyword-only functions in a transaction: they lock the row they
change (`select_for_update`), check the state, record an audit event
(`core.audit`) and raise `ValidationError` with a message per field on bad
input. Who may call them is checked by the views (`permissions`).
"""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.briefings import indicators
from danvan.briefings.models import (
    LONG_TEXT_MAX_LENGTH,
    Briefing,
    BriefingKind,
    BriefingStatus,
    ConclusionItem,
    ConclusionTask,
    IndicatorCorrection,
    Meeting,
    MemberReport,
    ReportStatus,
    TaskStatus,
    TaskUpdate,
)
from danvan.briefings.selectors import member_organization
from danvan.briefings.signals import briefing_concluded
from danvan.core.audit import Actor, audit_record
from danvan.core.periods import Period
from danvan.geo.models import Cluster, LegacyProvince, Province
from danvan.geo.selectors import cluster_province_codes
from danvan.orgs.models import Organization

NARRATIVE_FIELDS: tuple[str, ...] = ("results", "limitations", "lessons", "proposals")


def _user_of(actor: Actor) -> Any:
    """The user to record as who did it (None for the system or an anonymous user)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _kind_of(period: Period) -> str:
    if period.code.endswith(("-H1", "-H2")):
        return BriefingKind.HALF_YEAR
    if len(period.code) == 4:
        return BriefingKind.YEAR
    return BriefingKind.CUSTOM


def _member_codes(cluster: Cluster, period: Period) -> tuple[frozenset[int], bool]:
    """Return the members' codes on the period's last day and whether they are legacy ones."""
    codes = cluster_province_codes(cluster, period.end)
    is_legacy = bool(codes) and cluster.legacy_provinces.filter(code__in=codes).exists()
    return codes, is_legacy


def host_suggest(cluster: Cluster, period: Period) -> Province | None:
    """Suggest the host of the briefing: the member after the last host, by code.

    Hosting rotates; with no earlier briefing the first member by code hosts.
    A legacy cluster has no current host.
    """
    codes, is_legacy = _member_codes(cluster, period)
    if not codes or is_legacy:
        return None
    order = sorted(codes)
    last = (
        Briefing.objects.filter(cluster=cluster, period_start__lt=period.start)
        .exclude(host_province=None)
        .order_by("-period_start")
        .values_list("host_province_id", flat=True)
        .first()
    )
    following = order[0] if last not in order else order[(order.index(last) + 1) % len(order)]
    return Province.objects.get(code=following)


@transaction.atomic
def briefing_create(
    *,
    actor: Actor,
    cluster: Cluster,
    period: Period,
    host_province: Province | None = None,
    host_organization: Organization | None = None,
    today: datetime.date | None = None,
) -> Briefing:
    """Create the briefing of `cluster` for `period` with one draft report per member.

    The members are the cluster's provinces on the period's last day
    (legacy provinces for a period before 2025-07-01). Current members'
    figures are read from the system at once; legacy members' are entered.
    """
    codes, is_legacy = _member_codes(cluster, period)
    if not codes:
        raise ValidationError(
            {"period": _("The cluster has no members in this period.")}, code="no_members"
        )
    if Briefing.objects.filter(cluster=cluster, period_code=period.code).exists():
        raise ValidationError(
            {"period": _("This cluster already has a briefing for this period.")},
            code="duplicate",
        )
    if host_province is None and not is_legacy:
        host_province = host_suggest(cluster, period)
    if host_province is not None and not is_legacy and host_province.code not in codes:
        raise ValidationError(
            {"host_province": _("The host must be a member of the cluster.")}, code="host"
        )
    if host_organization is None and host_province is not None:
        host_organization = member_organization(host_province, period.end)
    briefing = Briefing.objects.create(
        cluster=cluster,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        kind=_kind_of(period),
        host_province=host_province,
        host_organization=host_organization,
    )
    for code in sorted(codes):
        if is_legacy:
            MemberReport.objects.create(
                briefing=briefing, legacy_province=LegacyProvince.objects.get(code=code)
            )
            continue
        report = MemberReport.objects.create(
            briefing=briefing,
            province_id=code,
            organization=member_organization(code, period.end),
        )
        _read_figures(report, period, today=today)
        report.save()
    audit_record(
        actor=actor,
        action="briefing.create",
        target=briefing,
        data={"cluster": cluster.code, "period": period.code, "members": sorted(codes)},
    )
    return briefing


def _period_of(briefing: Briefing) -> Period:
    return Period(briefing.period_start, briefing.period_end, briefing.period_code)


def _read_figures(report: MemberReport, period: Period, *, today: datetime.date | None) -> None:
    """Fill `system_figures` from the apps and `figures` with the corrections on top."""
    if report.organization is None:
        report.system_figures = indicators.derive({})
    else:
        report.system_figures = indicators.collect(report.organization, period)
    values = dict(report.system_figures)
    if report.pk is not None:
        for correction in report.corrections.order_by("corrected_at", "pk"):
            values[correction.key] = correction.value
    report.figures = indicators.derive(values)
    report.figures_read_at = timezone.now()


def _lock(report: MemberReport) -> MemberReport:
    return (
        MemberReport.objects.select_for_update(of=("self",))
        .select_related("briefing")
        .get(pk=report.pk)
    )


def _require_editable(report: MemberReport) -> None:
    if not report.is_editable:
        raise ValidationError(
            _("Only a draft or returned report can be changed."), code="not_editable"
        )


@transaction.atomic
def report_refresh(
    *, actor: Actor, report: MemberReport, today: datetime.date | None = None
) -> MemberReport:
    """Read the figures again from the system; corrections stay on top."""
    report = _lock(report)
    _require_editable(report)
    _read_figures(report, _period_of(report.briefing), today=today)
    report.save(update_fields=["system_figures", "figures", "figures_read_at"])
    audit_record(actor=actor, action="briefing_report.refresh", target=report)
    return report


def _number(value: Any) -> float:
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError) as error:
        raise ValidationError({"value": _("Enter a number.")}, code="invalid") from error
    if number < 0:
        raise ValidationError({"value": _("A figure cannot be negative.")}, code="negative")
    return number


@transaction.atomic
def report_correct(
    *, actor: Actor, report: MemberReport, key: str, value: Any, reason: str
) -> IndicatorCorrection:
    """Correct one figure of a report with a reason; the system's value is kept.

    A percentage cannot be corrected: correct the counts it is made of.
    """
    report = _lock(report)
    _require_editable(report)
    indicator = indicators.BY_KEY.get(key)
    if indicator is None:
        raise ValidationError({"key": _("Unknown indicator.")}, code="unknown")
    if indicator.is_percent:
        raise ValidationError(
            {"key": _("A percentage is computed: correct the figures it is made of.")},
            code="percent",
        )
    number = _number(value)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the figure is corrected.")}, code="required")
    correction = IndicatorCorrection(
        report=report,
        key=key,
        original_value=report.system_figures.get(key),
        previous_value=report.figures.get(key),
        value=number,
        reason=reason,
        corrected_by=_user_of(actor),
    )
    correction.save(force_insert=True)
    values = dict(report.figures)
    values[key] = number
    report.figures = indicators.derive(values)
    report.save(update_fields=["figures"])
    audit_record(
        actor=actor,
        action="briefing_report.correct",
        target=report,
        data={"key": key, "from": correction.previous_value, "to": number, "reason": reason},
    )
    return correction


@transaction.atomic
def report_write(*, actor: Actor, report: MemberReport, **sections: str) -> MemberReport:
    """Save the narrative sections given (results, limitations, lessons, proposals)."""
    report = _lock(report)
    _require_editable(report)
    errors: dict[str, str] = {}
    changed = []
    for name, text in sections.items():
        if name not in NARRATIVE_FIELDS:
            raise ValueError(name)
        text = (text or "").strip()
        if len(text) > LONG_TEXT_MAX_LENGTH:
            errors[name] = _("At most %(max)d characters.") % {"max": LONG_TEXT_MAX_LENGTH}
            continue
        setattr(report, name, text)
        changed.append(name)
    if errors:
        raise ValidationError(errors)
    report.save(update_fields=changed)
    audit_record(
        actor=actor, action="briefing_report.write", target=report, data={"fields": changed}
    )
    return report


@transaction.atomic
def report_submit(*, actor: Actor, report: MemberReport) -> MemberReport:
    """Send a draft or returned report to the host; it needs its results section."""
    report = _lock(report)
    _require_editable(report)
    if not report.results.strip():
        raise ValidationError(
            {"results": _("Write the results before submitting.")}, code="required"
        )
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = _user_of(actor)
    report.return_reason = ""
    report.save(update_fields=["status", "submitted_at", "submitted_by", "return_reason"])
    audit_record(actor=actor, action="briefing_report.submit", target=report)
    return report


def _require_submitted(report: MemberReport) -> None:
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report can be accepted or returned."), code="not_submitted"
        )


@transaction.atomic
def report_accept(*, actor: Actor, report: MemberReport) -> MemberReport:
    """The host accepts a submitted report."""
    report = _lock(report)
    _require_submitted(report)
    report.status = ReportStatus.ACCEPTED
    report.accepted_at = timezone.now()
    report.accepted_by = _user_of(actor)
    report.save(update_fields=["status", "accepted_at", "accepted_by"])
    audit_record(actor=actor, action="briefing_report.accept", target=report)
    return report


@transaction.atomic
def report_return(*, actor: Actor, report: MemberReport, reason: str) -> MemberReport:
    """The host returns a submitted report to its member, saying why."""
    report = _lock(report)
    _require_submitted(report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is returned.")}, code="required")
    report.status = ReportStatus.RETURNED
    report.return_reason = reason
    report.save(update_fields=["status", "return_reason"])
    audit_record(
        actor=actor, action="briefing_report.return", target=report, data={"reason": reason}
    )
    return report


MEETING_FIELDS: tuple[str, ...] = (
    "date",
    "place",
    "chair",
    "attending_organizations",
    "attending_people",
    "agenda",
    "speeches",
    "discussion_topics",
    "conclusion",
)


@transaction.atomic
def meeting_save(*, actor: Actor, briefing: Briefing, **fields: Any) -> Meeting:
    """Record or change the briefing's meeting."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown))
    errors = {}
    if not isinstance(fields.get("date"), datetime.date):
        errors["date"] = _("Enter the meeting's date.")
    for name in ("place", "chair"):
        if not str(fields.get(name) or "").strip():
            errors[name] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    meeting, created = Meeting.objects.update_or_create(briefing=briefing, defaults=fields)
    audit_record(
        actor=actor,
        action="briefing_meeting.create" if created else "briefing_meeting.change",
        target=meeting,
    )
    return meeting


@transaction.atomic
def conclusion_item_add(
    *,
    actor: Actor,
    briefing: Briefing,
    text: str,
    due_on: datetime.date | None = None,
    provinces: Sequence[Province] | None = None,
) -> ConclusionItem:
    """Add an item to the conclusion, with a task for every member (or those named)."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("This field is required.")}, code="required")
    members: dict[int, MemberReport] = {
        r.province_id: r
        for r in briefing.reports.exclude(province=None).select_related("province")
        if r.province_id is not None
    }
    chosen = [p.code for p in provinces] if provinces else sorted(members)
    outside = [code for code in chosen if code not in members]
    if outside:
        raise ValidationError(
            {"provinces": _("Tasks go to members of the briefing only.")}, code="not_member"
        )
    number = max(briefing.conclusion_items.values_list("number", flat=True), default=0) + 1
    item = ConclusionItem.objects.create(
        briefing=briefing, number=number, text=text, due_on=due_on
    )
    ConclusionTask.objects.bulk_create(
        ConclusionTask(
            item=item,
            province_id=code,
            organization=members[code].organization,
            due_on=due_on,
        )
        for code in chosen
    )
    audit_record(
        actor=actor,
        action="briefing_conclusion.add",
        target=briefing,
        data={"number": number, "provinces": chosen},
    )
    return item


@transaction.atomic
def task_follow_up(*, actor: Actor, task: ConclusionTask, note: str, status: str) -> TaskUpdate:
    """Append a follow-up note to a task and set its status."""
    task = ConclusionTask.objects.select_for_update().get(pk=task.pk)
    note = (note or "").strip()
    errors = {}
    if not note:
        errors["note"] = _("This field is required.")
    if status not in TaskStatus.values:
        errors["status"] = _("Choose a valid status.")
    if errors:
        raise ValidationError(errors)
    update = TaskUpdate(
        task=task,
        note=note,
        status=status,
        actor=_user_of(actor),
    )
    update.save(force_insert=True)
    previous = task.status
    task.status = status
    task.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="briefing_task.follow_up",
        target=task,
        data={"from": previous, "to": status},
    )
    return update


@transaction.atomic
def briefing_conclude(
    *, actor: Actor, briefing: Briefing, notice_number: str = "", report_number: str = ""
) -> Briefing:
    """Issue the conclusion notice: the briefing is concluded and the portal told.

    Needs the meeting with its conclusion text and at least one item.
    """
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.status == BriefingStatus.CONCLUDED:
        raise ValidationError(_("The conclusion was already issued."), code="concluded")
    meeting = Meeting.objects.filter(briefing=briefing).first()
    if meeting is None or not meeting.conclusion.strip():
        raise ValidationError(_("Record the meeting and its conclusion first."), code="no_meeting")
    if not briefing.conclusion_items.exists():
        raise ValidationError(_("Add at least one conclusion item."), code="no_items")
    briefing.status = BriefingStatus.CONCLUDED
    briefing.concluded_at = timezone.now()
    briefing.notice_number = notice_number.strip() or briefing.notice_number
    briefing.report_number = report_number.strip() or briefing.report_number
    briefing.save(update_fields=["status", "concluded_at", "notice_number", "report_number"])
    audit_record(actor=actor, action="briefing.conclude", target=briefing)
    transaction.on_commit(
        lambda: briefing_concluded.send(sender=Briefing, briefing=briefing, actor=actor)
    )
    return briefing


def reports_enter_legacy(
    *, actor: Actor, briefing: Briefing, figures: Iterable[tuple[int, dict[str, Any], str]]
) -> None:
    """Enter the figures of legacy members as corrections (code, values, source)."""
    for code, values, source in figures:
        report = briefing.reports.get(legacy_province_id=code)
        for key, value in values.items():
            report_correct(actor=actor, report=report, key=key, value=value, reason=source)
