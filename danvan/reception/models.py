"""Citizen reception: leaders' duty days, the reception log, dialogues.

The law: Luật Tiếp công dân 2013 (42/2013/QH13) as amended by Luật
136/2025/QH15 from 2026-07-01, NĐ 154/2026 (forms Mẫu 01/TCD refusal notice,
02/TCD receipt, 03/TCD reception log), NĐ 124/2020 Art. 28 as amended
(dialogues in resolving complaints) and Luật Thực hiện dân chủ ở cơ sở 2022
Art. 32 (the commune's annual dialogue with the people). Figures and dates
are in `rules.py` and, where an administrator must be able to change them,
in `DutyRule` rows.

A visitor's identity lives only in `VisitPerson`, never on `Visit`, so that
a denouncer who came in person is protected like one who wrote (Luật Tố cáo
2018 Art. 47(1)(a)): lists and exports show `Visit.listed_name`, which is
blank for a visit that brought a denunciation.
"""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.models import AppendOnlyModel, AppendOnlyQuerySet
from danvan.orgs.models import Organization
from danvan.petitions.models import Petition
from danvan.petitions.workflow import PetitionKind

TEXT_MAX_LENGTH = 255
LONG_TEXT_MAX_LENGTH = 10_000


class LeaderCategory(models.TextChoices):
    """Whose duty days a minimum applies to (Luật TCD Art. 12, 15, 18)."""

    #: Chủ tịch UBND cấp xã: Art. 15(2)(d).
    COMMUNE_CHAIRMAN = "commune_chairman", _("Chairman of a commune people's committee")
    #: Chủ tịch UBND cấp tỉnh: Art. 12(5).
    PROVINCE_CHAIRMAN = "province_chairman", _("Chairman of a provincial people's committee")
    #: Thủ trưởng cơ quan hành chính nhà nước: Art. 18(2).
    AGENCY_HEAD = "agency_head", _("Head of an agency")
    #: Người đứng đầu đơn vị sự nghiệp công lập: NĐ 154/2026 Art. 10(2).
    PUBLIC_UNIT_HEAD = "public_unit_head", _("Head of a public service unit")


class DutyPeriod(models.TextChoices):
    """The period a minimum number of duty days is counted over."""

    WEEK = "week", _("per week")
    MONTH = "month", _("per month")


class RuleStatus(models.TextChoices):
    """How far a figure is established (as in `petitions.rules.RuleStatus`)."""

    CONFIRMED = "confirmed", _("Confirmed")
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    LOCAL_DEFAULT = "local_default", _("Local default")


class DutyRule(models.Model):
    """The minimum number of days a leader receives citizens in person.

    Data, not code: whether Luật 136/2025/QH15 changed the 2013 figures from
    2026-07-01 is UNCONFIRMED (legal-rules.md §3.1), so an administrator
    closes a row (`valid_to`) and adds the new figure when it is known.
    """

    category = models.CharField(_("leader"), max_length=32, choices=LeaderCategory.choices)
    days = models.PositiveSmallIntegerField(
        _("minimum days"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    period = models.CharField(_("period"), max_length=8, choices=DutyPeriod.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=TEXT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=16, choices=RuleStatus.choices, default=RuleStatus.CONFIRMED
    )
    note = models.TextField(_("note"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["category", "-valid_from"]
        verbose_name = _("reception duty rule")
        verbose_name_plural = _("reception duty rules")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="duty_rule_valid_range",
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=LeaderCategory.values),
                name="duty_rule_category_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(period__in=DutyPeriod.values), name="duty_rule_period_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.days} {self.get_period_display()}"


class ReceptionMode(models.TextChoices):
    """In person, or online from 2026-07-01 (Luật TCD Art. 3a, Luật 136/2025)."""

    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class ScheduleStatus(models.TextChoices):
    """Where a duty day stands."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ReceptionSchedule(models.Model):
    """One duty day of a leader (lịch tiếp công dân), published on the portal.

    Luật TCD Art. 24(4): a leader's schedule is posted at least 5 working
    days before the day; `publish_by` holds that date, so that a late
    publication is a plain comparison. From 2026-07-01 a leader may not
    send a deputy in their place (Luật 136/2025), and an online session
    needs its connection tested at least 1 working day before (NĐ 154/2026
    Art. 23).
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="reception_schedules",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="reception_duty_days",
    )
    leader_title = models.CharField(_("leader's title"), max_length=TEXT_MAX_LENGTH)
    category = models.CharField(
        _("leader category"), max_length=32, choices=LeaderCategory.choices
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))
    place = models.CharField(_("place"), max_length=TEXT_MAX_LENGTH)
    mode = models.CharField(
        _("mode"), max_length=16, choices=ReceptionMode.choices, default=ReceptionMode.IN_PERSON
    )
    online_link = models.URLField(_("online link"), blank=True)
    connection_tested_on = models.DateField(_("connection tested on"), null=True, blank=True)
    expected_content = models.TextField(
        _("expected content"), max_length=LONG_TEXT_MAX_LENGTH, blank=True
    )
    attendees = models.TextField(_("attendees"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    is_unscheduled = models.BooleanField(
        _("unscheduled reception"),
        default=False,
        help_text=_("Received outside the schedule in a case of Luật TCD Art. 18(3)."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ScheduleStatus.choices, default=ScheduleStatus.DRAFT
    )
    publish_by = models.DateField(_("publish by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    held_by_deputy = models.BooleanField(_("held by a deputy"), default=False)
    deputy_name = models.CharField(_("deputy"), max_length=TEXT_MAX_LENGTH, blank=True)
    conclusion_notice_number = models.CharField(
        _("conclusion notice number"), max_length=50, blank=True
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering: ClassVar = ["date", "starts_at", "id"]
        verbose_name = _("reception duty day")
        verbose_name_plural = _("reception schedule")
        indexes: ClassVar = [
            models.Index(fields=["organization", "date"], name="schedule_org_date_idx"),
            models.Index(fields=["leader", "date"], name="schedule_leader_date_idx"),
            models.Index(fields=["status", "date"], name="schedule_status_date_idx"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="schedule_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ScheduleStatus.values),
                name="schedule_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=ReceptionMode.values), name="schedule_mode_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader_title} · {self.date:%d/%m/%Y}"

    @property
    def published_late(self) -> bool:
        """Tell whether the day was published after `publish_by` (Art. 24(4))."""
        if self.published_at is None:
            return False
        return timezone.localdate(self.published_at) > self.publish_by


class VisitKind(models.TextChoices):
    """Column 6 of the log (Loại đơn): the petition kinds, or several."""

    FEEDBACK = PetitionKind.FEEDBACK.value, _("Feedback")
    RECOMMENDATION = PetitionKind.RECOMMENDATION.value, _("Recommendation")
    COMPLAINT = PetitionKind.COMPLAINT.value, _("Complaint")
    DENUNCIATION = PetitionKind.DENUNCIATION.value, _("Denunciation")
    MIXED = "mixed", _("Several kinds")


class VisitOutcome(models.TextChoices):
    """What the reception officer did with the visit (Luật TCD Art. 26–28)."""

    #: Within competence: the petition(s) were recorded and accepted here.
    RECORDED = "recorded", _("Recorded as petition")
    #: Outside competence: the citizen was guided to the competent body.
    GUIDED = "guided", _("Guided to the competent body")
    #: Outside competence: the written petition was transferred.
    TRANSFERRED = "transferred", _("Transferred")
    #: Reception refused on a ground of Art. 9 / NĐ 154/2026 Art. 4.
    REFUSED = "refused", _("Refused")
    #: Only information or an explanation was given.
    INFORMED = "informed", _("Information given")


class RefusalGround(models.TextChoices):
    """Grounds to refuse reception: Luật TCD Art. 9, NĐ 154/2026 Art. 4."""

    INCAPACITATED = (
        "incapacitated",
        _("Intoxicated or unable to control their behaviour (Art. 9(1))"),
    )
    DISORDERLY = "disorderly", _("Threats, insults or breach of the reception rules (Art. 9(2))")
    ALREADY_RESOLVED = (
        "already_resolved",
        _("Keeps raising a case already resolved correctly and explained (Art. 9(3))"),
    )
    WEAPONS = "weapons", _("Carries weapons or dangerous objects (NĐ 154/2026 Art. 4(a))")
    SECURITY_CHECK = "security_check", _("Refuses the security check (Art. 4(b))")
    RECORDING = "recording", _("Records or livestreams after being told not to (Art. 4(c))")
    AGITATION = "agitation", _("Incites or agitates others (Art. 4(d))")
    NO_REPRESENTATIVE = (
        "no_representative",
        _("Incapacitated and without a lawful representative (Art. 4(e))"),
    )
    NO_PROOF = "no_proof", _("Representative without proof of representation (Art. 4(g))")
    ANSWERED_NO_NEW_FACTS = (
        "answered_no_new_facts",
        _("Feedback or recommendation already answered, with no new facts (Art. 4(h))"),
    )
    COURT_JUDGMENT = "court_judgment", _("Settled by a court judgment in force (Art. 4(i))")
    HANDLED_ELSEWHERE = (
        "handled_elsewhere",
        _("Being handled by another competent body (Art. 4(k))"),
    )
    OTHER = "other", _("Another case provided by law (Art. 9(4))")


class Visit(models.Model):
    """One entry of the reception log (lượt tiếp), Mẫu 03/TCD of NĐ 154/2026.

    The 13 columns: 1 `number`, 2 `received_on`, 3 and 4 the people
    (`VisitPerson`), 5 `summary`, 6 `kind`, 7 `people_count`, 8
    `previously_handled_by`, 9 `within_competence`, 10 `guided_to` and
    `guidance_document_number`, 11 `accepted_by` and
    `transfer_document_number`, 12 `result_follow_up`, 13 `notes`.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    received_on = models.DateField(_("date received"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    schedule = models.ForeignKey(
        ReceptionSchedule,
        verbose_name=_("leader's duty day"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    mode = models.CharField(
        _("mode"), max_length=16, choices=ReceptionMode.choices, default=ReceptionMode.IN_PERSON
    )
    summary = models.TextField(_("summary"), max_length=LONG_TEXT_MAX_LENGTH)
    kind = models.CharField(_("kind"), max_length=20, choices=VisitKind.choices)
    people_count = models.PositiveIntegerField(
        _("number of people with the same content"), default=1
    )
    previously_handled_by = models.CharField(
        _("bodies that already handled it"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    within_competence = models.BooleanField(_("within competence"), default=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=VisitOutcome.choices)
    guided_to = models.CharField(_("guided to"), max_length=TEXT_MAX_LENGTH, blank=True)
    guidance_document_number = models.CharField(
        _("guidance document number"), max_length=50, blank=True
    )
    accepted_by = models.ForeignKey(
        Organization,
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits_accepted",
    )
    transfer_document_number = models.CharField(
        _("transfer document number"), max_length=50, blank=True
    )
    result_follow_up = models.TextField(
        _("follow-up of the result"), max_length=LONG_TEXT_MAX_LENGTH, blank=True
    )
    notes = models.TextField(_("notes"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    #: Luật TCD Art. 28(1): the citizen is told the outcome (accepted,
    #: transferred, refused…) within 10 working days of the visit.
    result_notice_due = models.DateField(_("result notice due"), null=True, blank=True)
    refusal_ground = models.CharField(
        _("refusal ground"), max_length=32, choices=RefusalGround.choices, blank=True
    )
    refusal_notice_due = models.DateField(_("refusal notice due"), null=True, blank=True)
    refusal_notice_number = models.CharField(_("refusal notice number"), max_length=50, blank=True)
    refusal_notice_sent_on = models.DateField(_("refusal notice sent on"), null=True, blank=True)
    petitions = models.ManyToManyField(
        Petition, verbose_name=_("petitions"), blank=True, related_name="visits"
    )
    #: The folded name, address and summary for search; empty of names for a
    #: visit that brought a denunciation (Luật Tố cáo Art. 47).
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    #: The visit brought a denunciation: its people are shown only to those
    #: who may see a denouncer (Luật Tố cáo 2018 Art. 47(1)(a)).
    identity_protected = models.BooleanField(
        _("identity protected"), default=False, editable=False
    )
    #: The name shown in lists: the first representative, or the first
    #: person; blank for a visit that brought a denunciation.
    listed_name = models.CharField(
        _("listed name"), max_length=TEXT_MAX_LENGTH, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering: ClassVar = ["-received_on", "-number", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("reception log")
        indexes: ClassVar = [
            # The log's order for one organization, id included, so that the
            # ids of a page deep in a year are read from the index alone.
            models.Index(
                fields=["organization", "received_on", "number", "id"], name="visit_org_log_idx"
            ),
            models.Index(fields=["received_on", "id"], name="visit_day_idx"),
            models.Index(fields=["schedule"], name="visit_schedule_idx"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organization", "year", "number"], name="visit_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=VisitKind.values), name="visit_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=VisitOutcome.values), name="visit_outcome_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(people_count__gte=1), name="visit_people_count_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"


class VisitPerson(models.Model):
    """A citizen who came: name, address, identity document (columns 3–4)."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="people"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=TEXT_MAX_LENGTH)
    address = models.CharField(_("address"), max_length=TEXT_MAX_LENGTH, blank=True)
    identity_document = models.CharField(
        _("identity document"),
        max_length=50,
        blank=True,
        help_text=_("Citizen identity card, passport or another identity paper, with its number."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_representative = models.BooleanField(_("representative"), default=False)

    class Meta:
        ordering: ClassVar = ["visit", "position", "id"]
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")

    def __str__(self) -> str:
        return self.name


class Receipt(models.Model):
    """A receipt for documents received (giấy biên nhận), Mẫu 02/TCD.

    NĐ 154/2026 Art. 14(4). `documents` is a list of `{"title": str,
    "pages": int, "copy": "original" | "copy" | "certified_copy"}`.
    """

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="receipts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    handed_over_by = models.CharField(_("handed over by"), max_length=TEXT_MAX_LENGTH)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    documents = models.JSONField(_("documents"), default=list)

    class Meta:
        ordering: ClassVar = ["-issued_at", "-id"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["visit", "year", "number"], name="receipt_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"


class ReceptionSequence(models.Model):
    """The last number issued per organization, year and register (locked)."""

    class Register(models.TextChoices):
        VISIT = "visit", _("Reception log")
        RECEIPT = "receipt", _("Receipts")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="+"
    )
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reception number sequence")
        verbose_name_plural = _("reception number sequences")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organization", "register", "year"], name="reception_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.register} {self.year}: {self.last_number}"


class DialogueKind(models.TextChoices):
    """Why a dialogue is held."""

    #: Part of resolving a complaint: NĐ 124/2020 Art. 28 (as amended), Luật
    #: Khiếu nại Art. 30 (first instance) and 39 (second instance, required).
    COMPLAINT = "complaint", _("Dialogue in resolving a complaint")
    #: The commune's yearly dialogue with the people, with the Fatherland
    #: Front: Luật Thực hiện dân chủ ở cơ sở 2022 Art. 32.
    ANNUAL = "annual", _("Annual dialogue with the people")


class DialogueStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Dialogue(models.Model):
    """A dialogue with citizens, its notice, minutes and commitments."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="dialogues",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DialogueKind.choices)
    petition = models.ForeignKey(
        Petition,
        verbose_name=_("complaint"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dialogues",
    )
    fatherland_front = models.ForeignKey(
        Organization,
        verbose_name=_("Fatherland Front committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dialogues_co_organized",
    )
    subject = models.CharField(_("subject"), max_length=TEXT_MAX_LENGTH)
    notice_number = models.CharField(_("notice number"), max_length=50, blank=True)
    notice_sent_on = models.DateField(_("notice sent on"), null=True, blank=True)
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=TEXT_MAX_LENGTH)
    chair_name = models.CharField(_("chair"), max_length=TEXT_MAX_LENGTH)
    chair_title = models.CharField(_("chair's title"), max_length=TEXT_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DialogueStatus.choices, default=DialogueStatus.PLANNED
    )
    minutes_summary = models.TextField(
        _("conclusion of the minutes"), max_length=LONG_TEXT_MAX_LENGTH, blank=True
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering: ClassVar = ["-date", "-id"]
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        indexes: ClassVar = [
            models.Index(fields=["organization", "date"], name="dialogue_org_date_idx"),
            models.Index(fields=["kind", "status", "date"], name="dialogue_kind_date_idx"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DialogueKind.values), name="dialogue_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DialogueStatus.values),
                name="dialogue_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=DialogueKind.COMPLAINT)
                | models.Q(petition__isnull=False),
                name="dialogue_complaint_has_petition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.date:%d/%m/%Y}"


class ParticipantSide(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    OFFICIAL = "official", _("Official")
    ORGANIZATION = "organization", _("Organization")


class SignatureStatus(models.TextChoices):
    """How a party acknowledged the minutes (NĐ 124/2020 Art. 28, as amended)."""

    PENDING = "pending", _("Not yet")
    SIGNED = "signed", _("Signed")
    FINGER_PRINTED = "finger_printed", _("Finger-printed")
    REFUSED = "refused", _("Refused to sign")
    ABSENT = "absent", _("Absent")


class DialogueParticipant(models.Model):
    """A party to a dialogue and how they acknowledged the minutes."""

    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    side = models.CharField(_("side"), max_length=16, choices=ParticipantSide.choices)
    name = models.CharField(_("name"), max_length=TEXT_MAX_LENGTH)
    title = models.CharField(_("title or organization"), max_length=TEXT_MAX_LENGTH, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signature = models.CharField(
        _("minutes"),
        max_length=16,
        choices=SignatureStatus.choices,
        default=SignatureStatus.PENDING,
    )
    refusal_reason = models.CharField(
        _("reason for refusing to sign"), max_length=TEXT_MAX_LENGTH, blank=True
    )

    class Meta:
        ordering: ClassVar = ["dialogue", "position", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name


class DialogueIssue(models.Model):
    """An issue raised in a dialogue and the answer given."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.CASCADE, related_name="issues"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    raised_by = models.CharField(_("raised by"), max_length=TEXT_MAX_LENGTH, blank=True)
    question = models.TextField(_("issue"), max_length=LONG_TEXT_MAX_LENGTH)
    answer = models.TextField(_("answer"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    answered_by = models.CharField(_("answered by"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering: ClassVar = ["dialogue", "position", "id"]
        verbose_name = _("issue raised")
        verbose_name_plural = _("issues raised")

    def __str__(self) -> str:
        return self.question[:60]


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Commitment(models.Model):
    """A commitment made in a dialogue: a task for an organization, followed up."""

    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("dialogue"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    issue = models.ForeignKey(
        DialogueIssue,
        verbose_name=_("issue raised"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
    )
    description = models.TextField(_("commitment"), max_length=LONG_TEXT_MAX_LENGTH)
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("owner organization"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("result"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering: ClassVar = ["due_on", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes: ClassVar = [
            models.Index(fields=["owner", "status", "due_on"], name="commitment_owner_due_idx"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(status__in=CommitmentStatus.values),
                name="commitment_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=CommitmentStatus.DONE)
                | models.Q(done_on__isnull=False),
                name="commitment_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class CommitmentUpdate(AppendOnlyModel):
    """One step of a commitment's follow-up: progress, done, cancelled."""

    append_only_change_message = _("A commitment's follow-up cannot be changed.")
    append_only_delete_message = _("A commitment's follow-up cannot be deleted.")

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="updates"
    )
    status = models.CharField(_("status"), max_length=16, choices=CommitmentStatus.choices)
    note = models.TextField(_("note"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["occurred_at", "id"]
        verbose_name = _("commitment follow-up")
        verbose_name_plural = _("commitment follow-ups")

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.status}"
