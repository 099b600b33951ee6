"""Petitions, their petitioners (stored apart), case events and intake records.

A petitioner's identity lives only in `Petitioner`, never on `Petition`, so
that a denouncer's identity (Luật Tố cáo 2018 Art. 47(1)(a)) can be shown
to the few who may see it and redacted everywhere else. `CaseEvent` is
append-only, like `core.AuditEvent`.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.core.models import AppendOnlyModel, AppendOnlyQuerySet
from danvan.geo.models import Commune, Province
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel
from danvan.petitions.workflow import TERMINAL, Action, PetitionKind, Status

TITLE_MAX_LENGTH = 255
CONTENT_MAX_LENGTH = 20_000


class Channel(models.TextChoices):
    """How a petition reached the system."""

    PORTAL = "portal", _("Portal")
    IN_PERSON = "in_person", _("In person")
    PAPER = "paper", _("Paper")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    HOTLINE = "hotline", _("Hotline")
    API = "api", _("API")


class Eligibility(models.TextChoices):
    """Whether a petition may be handled, once classified (TT 05/2021 Art. 6–11)."""

    PENDING = "pending", pgettext_lazy("eligibility", "Not yet classified")
    ELIGIBLE = "eligible", pgettext_lazy("eligibility", "Eligible")
    INELIGIBLE = "ineligible", pgettext_lazy("eligibility", "Not eligible")


class IneligibilityReason(models.TextChoices):
    """Why a petition is not handled, each with its legal basis in `classification.py`."""

    ANONYMOUS_DENUNCIATION = "anonymous_denunciation", _("Anonymous denunciation")
    UNSIGNED_COMPLAINT = "unsigned_complaint", _("Complaint not signed or finger-printed")
    COMPLAINT_TIME_LIMIT = "complaint_time_limit", _("Complaint past its time limit")
    ALREADY_DECIDED_SECOND = (
        "already_decided_second",
        _("Already decided at the second instance"),
    )
    DUPLICATE_HANDLED = "duplicate_handled", _("Duplicate of a petition already handled")
    NOT_COMPETENT = "not_competent", _("Not within the competence of any body here")
    OTHER = "other", _("Other reason")


class PetitionGroup(models.Model):
    """Petitions about the same matter from many people, handled together."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="petition_groups",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("petition group")
        verbose_name_plural = _("petition groups")

    def __str__(self) -> str:
        return self.title


class Petition(models.Model):
    """A feedback, recommendation, complaint or denunciation, under one code."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    lookup_key_hash = models.CharField(_("lookup key hash"), max_length=128, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=PetitionKind.choices)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.RECEIVED
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    field = models.CharField(_("field"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    content = models.TextField(_("content"), max_length=CONTENT_MAX_LENGTH)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    people_count = models.PositiveIntegerField(
        _("number of people"), default=1, validators=[MinValueValidator(1)]
    )
    is_signed = models.BooleanField(_("signed or finger-printed"), default=False)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    expected_response_by = models.DateField(_("expected response by"), null=True, blank=True)
    # The clock that sets `expected_response_by` once the petition is
    # accepted (rules.STATUTORY_RULES code and start day); suspensions are
    # read from the case events (decision 0006).
    clock_rule_code = models.CharField(_("time limit rule"), max_length=64, blank=True)
    clock_started_on = models.DateField(_("time limit started on"), null=True, blank=True)
    is_complex = models.BooleanField(_("complex case"), default=False)
    # Luật Tố cáo 2018 Art. 30(1): an especially complex denunciation may be
    # extended twice; a complex one once.
    is_especially_complex = models.BooleanField(_("especially complex case"), default=False)
    is_remote = models.BooleanField(_("remote area"), default=False)
    extensions = models.PositiveSmallIntegerField(_("number of extensions"), default=0)
    previous_status = models.CharField(
        _("status before suspension"), max_length=24, choices=Status.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("split from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="split_parts",
    )
    instance = models.PositiveSmallIntegerField(
        _("instance"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_petitions",
    )
    eligibility = models.CharField(
        _("eligibility"), max_length=12, choices=Eligibility.choices, default=Eligibility.PENDING
    )
    ineligibility_reason = models.CharField(
        _("reason not eligible"), max_length=32, choices=IneligibilityReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    group = models.ForeignKey(
        PetitionGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
    )
    transfer_count = models.PositiveSmallIntegerField(_("number of transfers"), default=0)
    # For a complaint: the day the complainant learned of the decision or act
    # (Luật Khiếu nại 2011 Art. 9: 90 days), and a reason for lateness.
    decision_known_on = models.DateField(_("decision or act known on"), null=True, blank=True)
    late_reason = models.CharField(_("reason for lateness"), max_length=255, blank=True)
    # Set by the workflow service: the day the decision or answer was made
    # (on time when not after `expected_response_by`) and when it was closed.
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Public answers (docs/decisions/0013): the sender's consent, asked on the
    # form, and the text a handler approved for the portal, without personal
    # data; published when `published_at` is set (`petitions.publication`).
    # Defaults in the database too, so that a bulk load (COPY) may leave them out.
    publish_consent = models.BooleanField(
        _("agreed to publication"), default=False, db_default=False
    )
    public_title = models.CharField(
        _("public title"), max_length=TITLE_MAX_LENGTH, blank=True, default="", db_default=""
    )
    public_question = models.TextField(_("public question"), blank=True, default="", db_default="")
    public_answer = models.TextField(_("public answer"), blank=True, default="", db_default="")
    public_search_text = models.TextField(
        _("public search text"), blank=True, editable=False, default="", db_default=""
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Code, title and content folded by `core.text.fold`, for search that
    # ignores diacritics and case; kept by the services that write them.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering: ClassVar = ["-received_at", "-id"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes: ClassVar = [
            models.Index(
                fields=["organization", "status", "expected_response_by"],
                name="petition_inbox_idx",
            ),
            # The inbox filtered by a commune, by due date: that commune's
            # petitions only, in order (it walked every petition's due date
            # before: 249,009 rows for one page at 1M, migration 0012).
            models.Index(
                fields=["commune", "expected_response_by", "id"],
                name="petition_commune_due_idx",
            ),
            models.Index(fields=["received_at"], name="petition_received_idx"),
            # The public answers, newest first: a small part of the table.
            models.Index(
                fields=["-published_at", "-id"],
                name="petition_published_idx",
                condition=models.Q(published_at__isnull=False),
            ),
            # On PostgreSQL this index also holds every other column the
            # dashboard's figures read (`INCLUDE`, migration 0010), so that a
            # period is read from the index alone; SQLite has no such indexes.
            models.Index(fields=["organization", "received_at"], name="petition_org_received_idx"),
            # The inbox filtered by a category, newest first (migration 0010).
            models.Index(
                fields=["category", "received_at"], name="petition_category_received_idx"
            ),
            models.Index(
                fields=["assigned_to", "status", "expected_response_by"],
                name="petition_assignee_idx",
            ),
            # The inbox's default sort (due date, then id): read in order and
            # stopped after one page, whatever the organizations (0005).
            models.Index(fields=["expected_response_by", "id"], name="petition_due_idx"),
            # Every petition of an organization by due date: the inbox of a
            # user who reads one body ("all statuses", a search), read in
            # order from that body's rows only (0012).
            models.Index(
                fields=["organization", "expected_response_by", "id"],
                name="petition_org_due_idx",
            ),
            # The open petitions of an organization by due date: a small part
            # of the table (docs/benchmarks.md, issue 3).
            models.Index(
                fields=["organization", "expected_response_by", "id"],
                name="petition_open_due_idx",
                condition=models.Q(status__in=[s.value for s in Status if s not in TERMINAL]),
            ),
            # The "open", "due soon" and "overdue" filters and the digests in
            # due-date order: read in order, only the rows that qualify,
            # whatever the organizations (0008).
            models.Index(
                fields=["expected_response_by", "id"],
                name="petition_open_by_due_idx",
                condition=models.Q(status__in=[s.value for s in Status if s not in TERMINAL]),
            ),
            models.Index(
                fields=["expected_response_by", "id"],
                name="petition_pending_due_idx",
                condition=models.Q(
                    status__in=[s.value for s in Status if s not in TERMINAL],
                    resolved_on__isnull=True,
                ),
            ),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="petition_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=PetitionKind.values), name="petition_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="petition_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(people_count__gte=1), name="petition_people_count_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(instance__in=[1, 2]), name="petition_instance_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(eligibility__in=Eligibility.values),
                name="petition_eligibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Petitioner(models.Model):
    """One person who filed a petition: the identity, stored apart."""

    petition = models.ForeignKey(
        Petition,
        verbose_name=_("petition"),
        on_delete=models.CASCADE,
        related_name="petitioners",
    )
    name = models.CharField(_("name"), max_length=255)
    # The name folded for search; searched only where the name may be seen.
    name_folded = models.CharField(_("folded name"), max_length=255, blank=True, editable=False)
    identity_number = models.CharField(_("identity number"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_representative = models.BooleanField(_("representative"), default=False)
    protection_waived = models.BooleanField(
        _("protection waived"),
        default=False,
        help_text=_("A denouncer who waives the protection of their identity."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering: ClassVar = ["id"]
        verbose_name = _("petitioner")
        verbose_name_plural = _("petitioners")

    def __str__(self) -> str:
        # Never the name: a petitioner may be a protected denouncer.
        return f"{self._meta.verbose_name} #{self.pk}"


class CaseEvent(AppendOnlyModel):
    """One append-only step in the history of a petition."""

    append_only_change_message = _("Case events cannot be changed.")
    append_only_delete_message = _("Case events cannot be deleted.")

    petition = models.ForeignKey(
        Petition,
        verbose_name=_("petition"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    from_status = models.CharField(
        _("from status"), max_length=24, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=24, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("shown to the citizen"), default=False)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["occurred_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes: ClassVar = [
            models.Index(fields=["petition", "occurred_at"], name="caseevent_petition_idx"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(action__in=Action.values), name="caseevent_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action}"


class IdempotencyRecord(models.Model):
    """The first answer to a request sent with an `Idempotency-Key` header."""

    key = models.CharField(_("key"), max_length=100)
    scope = models.CharField(_("scope"), max_length=50)
    request_hash = models.CharField(_("request hash"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("response status"))
    response_body = models.JSONField(_("response body"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class PetitionCodeSequence(models.Model):
    """The last petition number issued in a year (locked while issuing)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("petition code sequence")
        verbose_name_plural = _("petition code sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


def _protected_storage() -> Any:
    return storages["protected"]


def attachment_path(instance: "Attachment", filename: str) -> str:
    """Store under the year and a random name: the citizen's file name is kept apart."""
    return f"petitions/{timezone.now():%Y}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    """A document attached to a petition, kept in protected storage.

    Served only through a view that checks permission. The documents a
    denouncer sends may show their handwriting or identity (Luật Tố cáo
    2018 Art. 47(1)(a)): `reveals_identity` is on by default and such a
    document is shown only to those who may see the denouncer.
    """

    petition = models.ForeignKey(
        Petition,
        verbose_name=_("petition"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"), storage=_protected_storage, upload_to=attachment_path, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    reveals_identity = models.BooleanField(_("may reveal the petitioner's identity"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class RoutingRule(models.Model):
    """Which kind of body, at which level, is competent for a kind and category.

    Routing suggests `target_organization` when the rule names one, else
    the organization of `target_kind` and `target_level` serving the
    petition's commune (or its province); the handler confirms or changes
    it. A rule may be limited to one province. The most specific active
    rule wins (a province beats none, a category beats any category, a
    kind beats any kind, then the lowest `priority`).
    """

    kind = models.CharField(
        _("petition kind"), max_length=20, choices=PetitionKind.choices, blank=True
    )
    category = models.CharField(_("category"), max_length=100, blank=True)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    target_organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    target_kind = models.CharField(
        _("organization kind"), max_length=32, choices=OrganizationKind.choices, blank=True
    )
    target_level = models.CharField(
        _("organization level"), max_length=16, choices=OrganizationLevel.choices, blank=True
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["priority", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        target = self.target_organization or f"{self.target_kind} ({self.target_level})"
        return f"{self.kind or '*'} / {self.category or '*'} → {target}"


class LocalTimeLimit(models.Model):
    """An organization's own answer limit for feedback and recommendations.

    NĐ 20/2008 leaves the limit to each body: its administrator sets it per
    category (blank: every category). It replaces the local default
    `feedback.local_limit` of `rules.py`; statutory limits cannot be set here.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="local_time_limits",
    )
    category = models.CharField(_("category"), max_length=100, blank=True)
    days = models.PositiveSmallIntegerField(
        _("days"), validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    working_days = models.BooleanField(_("working days"), default=True)
    legal_basis = models.CharField(
        _("legal basis"), max_length=255, help_text=_("The decision that sets this limit.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["organization", "category", "-valid_from"]
        verbose_name = _("local time limit")
        verbose_name_plural = _("local time limits")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="local_time_limit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.category or '*'} · {self.days}"


class PetitionRating(models.Model):
    """The citizen's rating of the answer, after closing; it may ask to reopen."""

    petition = models.ForeignKey(
        Petition,
        verbose_name=_("petition"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    reopen_requested = models.BooleanField(_("reopen requested"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.score}"
