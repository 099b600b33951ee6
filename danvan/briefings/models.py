"""Cluster briefings (giao ban cụm thi đua công tác dân vận): a period, the
member reports with their indicator tables, the meeting, its conclusion
and the tasks that follow from it.

A briefing belongs to a cluster (`geo.Cluster`) and a period
(`core.periods`). Each member writes a report: the indicator values read
from the system (`indicators.collect`) and kept as `system_figures`, the
values after the member's corrections in `figures` (every correction is an
append-only `IndicatorCorrection` that keeps the original), and four
narrative sections. A member of a legacy cluster (before 2025-07-01) is a
`LegacyProvince`; its figures are entered by hand (the system holds no data
of that time) and add up on today's provinces in `summary`.

The conclusion notice's items become `ConclusionTask`s per member, followed
up with append-only `TaskUpdate`s; open tasks show in the member's report
of the next period. Every change goes through `services` under a row lock,
with an audit event.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.core.models import AppendOnlyModel, AppendOnlyQuerySet
from danvan.geo.models import Cluster, LegacyProvince, Province
from danvan.orgs.models import Organization

TEXT_MAX_LENGTH = 255
LONG_TEXT_MAX_LENGTH = 20_000


class BriefingKind(models.TextChoices):
    HALF_YEAR = "half_year", _("Six months")
    YEAR = "year", _("Year")
    CUSTOM = "custom", _("Custom period")


class BriefingStatus(models.TextChoices):
    #: Members are writing and submitting their reports.
    PREPARING = "preparing", _("Preparing")
    #: The conclusion notice was issued; its tasks are followed up.
    CONCLUDED = "concluded", _("Concluded")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class TaskStatus(models.TextChoices):
    #: Not started; its own context, as “Open” alone reads “in progress” in Vietnamese.
    OPEN = "open", pgettext_lazy("task status", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


#: Tasks that still show in the next period's reports.
OPEN_TASK_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class DocumentFormat(models.TextChoices):
    """The rules a document follows, chosen per issuing body."""

    #: NĐ 30/2020/NĐ-CP, Appendix I: national header and motto.
    STATE = "state", _("State body (Decree 30/2020)")
    #: Hướng dẫn 36-HD/VPTW (2018): "ĐẢNG CỘNG SẢN VIỆT NAM" header.
    PARTY = "party", _("Party body (Guidance 36-HD/VPTW)")


class IssuingBody(models.Model):
    """How an organization's documents look: its format and header lines.

    One row per organization that issues briefing documents; an
    administrator chooses the format and writes the lines the rules leave
    to the body (its parent, its symbol, its place, who signs).
    """

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="briefing_issuer",
    )
    document_format = models.CharField(
        _("document format"),
        max_length=16,
        choices=DocumentFormat.choices,
        default=DocumentFormat.PARTY,
    )
    parent_name = models.CharField(
        _("parent body line"),
        max_length=TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("Above the body's name, e.g. “TỈNH ỦY ĐỒNG THÁP”."),
    )
    body_name = models.CharField(
        _("body name line"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("In capitals, e.g. “BAN TUYÊN GIÁO VÀ DÂN VẬN”."),
    )
    symbol = models.CharField(
        _("symbol"),
        max_length=32,
        help_text=_("After the document type, e.g. BTGDVTU gives “12-BC/BTGDVTU”."),
    )
    place_name = models.CharField(
        _("place name"), max_length=100, help_text=_("As in the date line, e.g. “Đồng Tháp”.")
    )
    signer_authority = models.CharField(
        _("signing authority"),
        max_length=100,
        blank=True,
        help_text=_("E.g. “T/M BAN THƯỜNG VỤ” or “KT. TRƯỞNG BAN”."),
    )
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    #: State format only: the national name and the issuing body's lines,
    #: 12–13 pt (NĐ 30/2020 Appendix I); 12 keeps the national name on one
    #: line. The Party format uses the sizes of 36-HD/VPTW Appendix 3.
    header_size = models.DecimalField(
        _("header size (pt)"), max_digits=3, decimal_places=1, default=12
    )
    body_size = models.DecimalField(
        _("body size (pt)"), max_digits=3, decimal_places=1, default=14
    )

    class Meta:
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")

    def __str__(self) -> str:
        return str(self.organization)


class Briefing(models.Model):
    """The briefing of one cluster for one period."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="briefings"
    )
    period_code = models.CharField(_("period"), max_length=32)
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    kind = models.CharField(_("kind"), max_length=16, choices=BriefingKind.choices)
    host_province = models.ForeignKey(
        Province,
        verbose_name=_("host province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    host_organization = models.ForeignKey(
        Organization,
        verbose_name=_("host organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The body that issues the cluster report and the conclusion notice."),
    )
    report_number = models.CharField(_("report number"), max_length=16, blank=True)
    notice_number = models.CharField(_("notice number"), max_length=16, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=BriefingStatus.choices,
        default=BriefingStatus.PREPARING,
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-period_start", "cluster__code"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["cluster", "period_code"], name="briefing_unique"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="briefing_period_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster.name} · {self.period_code}"


class MemberReport(models.Model):
    """A member's report for a briefing: indicator table and narrative."""

    briefing = models.ForeignKey(
        Briefing, verbose_name=_("briefing"), on_delete=models.CASCADE, related_name="reports"
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legacy_province = models.ForeignKey(
        LegacyProvince,
        verbose_name=_("legacy province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("reporting organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="briefing_reports",
    )
    #: The values read from the system, never changed by a correction.
    system_figures = models.JSONField(_("figures from the system"), default=dict, blank=True)
    #: The values the report shows: the system's, or the last correction.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    figures_read_at = models.DateTimeField(_("figures read at"), null=True, blank=True)
    results = models.TextField(_("results"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    limitations = models.TextField(
        _("limitations and their causes"), max_length=LONG_TEXT_MAX_LENGTH, blank=True
    )
    lessons = models.TextField(_("lessons"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    proposals = models.TextField(_("proposals"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["briefing", "province_id", "legacy_province_id"]
        verbose_name = _("member report")
        verbose_name_plural = _("member reports")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["briefing", "province"],
                condition=models.Q(province__isnull=False),
                name="member_report_unique_province",
            ),
            models.UniqueConstraint(
                fields=["briefing", "legacy_province"],
                condition=models.Q(legacy_province__isnull=False),
                name="member_report_unique_legacy",
            ),
            models.CheckConstraint(
                condition=models.Q(province__isnull=True, legacy_province__isnull=False)
                | models.Q(province__isnull=False, legacy_province__isnull=True),
                name="member_report_one_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values),
                name="member_report_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_name} · {self.briefing.period_code}"

    @property
    def member_name(self) -> str:
        unit = self.province or self.legacy_province
        return unit.name if unit is not None else ""

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class IndicatorCorrection(AppendOnlyModel):
    """A member corrects one figure of its report, with a reason."""

    report = models.ForeignKey(
        MemberReport,
        verbose_name=_("member report"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    key = models.CharField(_("indicator"), max_length=64)
    original_value = models.FloatField(_("value from the system"), null=True, blank=True)
    previous_value = models.FloatField(_("value before"), null=True, blank=True)
    value = models.FloatField(_("corrected value"))
    reason = models.TextField(_("reason"), max_length=2000)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["report", "corrected_at", "pk"]
        verbose_name = _("indicator correction")
        verbose_name_plural = _("indicator corrections")

    def __str__(self) -> str:
        return f"{self.key}: {self.original_value} → {self.value}"


class Meeting(models.Model):
    """The briefing's meeting: who came, what was said, what was concluded."""

    briefing = models.OneToOneField(
        Briefing, verbose_name=_("briefing"), on_delete=models.CASCADE, related_name="meeting"
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=TEXT_MAX_LENGTH)
    chair = models.CharField(_("chair"), max_length=TEXT_MAX_LENGTH)
    attending_organizations = models.TextField(
        _("attending organizations"), blank=True, help_text=_("One per line.")
    )
    attending_people = models.TextField(
        _("attending people"), blank=True, help_text=_("One per line: name, title.")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    speeches = models.TextField(_("speeches"), blank=True)
    discussion_topics = models.TextField(_("discussion topics"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.briefing} · {self.date}"


class ConclusionItem(models.Model):
    """One item of the conclusion notice."""

    briefing = models.ForeignKey(
        Briefing,
        verbose_name=_("briefing"),
        on_delete=models.CASCADE,
        related_name="conclusion_items",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"), max_length=5000)
    due_on = models.DateField(_("due date"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["briefing", "number"]
        verbose_name = _("conclusion item")
        verbose_name_plural = _("conclusion items")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["briefing", "number"], name="conclusion_item_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class ConclusionTask(models.Model):
    """What one member must do for a conclusion item, by when."""

    item = models.ForeignKey(
        ConclusionItem,
        verbose_name=_("conclusion item"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="briefing_tasks",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering: ClassVar = ["item", "province_id"]
        verbose_name = _("conclusion task")
        verbose_name_plural = _("conclusion tasks")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["item", "province"], name="conclusion_task_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=TaskStatus.values),
                name="conclusion_task_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.province_id}"


class TaskUpdate(AppendOnlyModel):
    """A follow-up note on a task, with the status it left the task in."""

    task = models.ForeignKey(
        ConclusionTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="updates"
    )
    note = models.TextField(_("note"), max_length=5000)
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["task", "created_at", "pk"]
        verbose_name = _("task update")
        verbose_name_plural = _("task updates")

    def __str__(self) -> str:
        return f"{self.task} · {self.status}"
