"""Petitions, their petitioners (stored apart), case events and intake records.

A petitioner's identity lives only in `Petitioner`, never on `Petition`, so
that a denouncer's identity (Luật Tố cáo 2018 Art. 47(1)(a)) can be shown
to the few who may see it and redacted everywhere else. `CaseEvent` is
append-only, like `core.AuditEvent`.
"""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.models import AppendOnlyModel, AppendOnlyQuerySet
from danvan.geo.models import Commune
from danvan.orgs.models import Organization
from danvan.petitions.workflow import Action, PetitionKind, Status

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
            models.Index(fields=["commune"], name="petition_commune_idx"),
            models.Index(fields=["received_at"], name="petition_received_idx"),
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
