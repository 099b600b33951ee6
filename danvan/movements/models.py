"""The "Dân vận khéo" emulation movement: campaigns, models and exemplars,
their evaluation, recognition and replication, and the communities
(self-managed groups, clubhouses) of the people.

Definitions (legal-rules.md §8, Ban Dân vận Tỉnh ủy Bình Phước, 2020):
a *model* (mô hình) is a way of doing mobilization work that is effective
and replicable; an *exemplar* (điển hình) is a collective or an individual
held up as an example. Both are a `Registration` (multi-table inheritance):
they share the registering unit, the field, the place, the results, the
evidence, the evaluations and the recognitions; `MovementModel` and
`Exemplar` add what is their own.

The four fields are fixed (`MovementField`); the themes that localities add
("xây dựng nông thôn mới"…) are data (`Theme`). Recognition criteria are
local (legal-rules.md §8: no national rubric is known), so they are data
per province (`RecognitionCriterion`, `province` empty for the default
set), and so is the pass mark of an evaluation (`RecognitionRule`).
States and who may move them are in `workflow.py`; every change goes
through a service (`registrations.py`, `replications.py`,
`communities.py`, `campaigns.py`) that locks the row and writes an audit
event.

Evidence photos and documents are Wagtail images and documents: photos are
shown on the public showcase, and Wagtail gives them renditions (the
thumbnails of the lists) and alt text; documents are served by Wagtail's
document view, which honours the privacy of their collection.
"""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.core.text import fold
from danvan.geo.models import Commune, Province
from danvan.orgs.models import Organization

TEXT_MAX_LENGTH = 255
LONG_TEXT_MAX_LENGTH = 10_000


class MovementField(models.TextChoices):
    """The four fields of the movement (legal-rules.md §8)."""

    ECONOMY = "economy", _("Economy")
    CULTURE_SOCIETY = "culture_society", _("Culture and society")
    DEFENCE_SECURITY = "defence_security", _("Defence and security")
    POLITICAL_SYSTEM = "political_system", _("Building the political system")


class RecognitionLevel(models.TextChoices):
    """The level of the body that recognizes a model or an exemplar."""

    COMMUNE = "commune", _("Commune level")
    PROVINCE = "province", _("Province level")
    CENTRAL = "central", _("Central level")


class RegistrationStatus(models.TextChoices):
    """Where a model or an exemplar stands (transitions in `workflow.py`)."""

    REGISTERED = "registered", _("Registered")
    UNDER_REVIEW = "under_review", _("Under review")
    RECOGNIZED = "recognized", _("Recognized")
    NOT_RECOGNIZED = "not_recognized", _("Not recognized")
    SCREENED_OUT = "screened_out", _("Screened out")


class ExemplarKind(models.TextChoices):
    """An exemplar is a person or a collective (legal-rules.md §8)."""

    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")


class CriterionTarget(models.TextChoices):
    """What a recognition criterion is applied to."""

    BOTH = "both", _("Models and exemplars")
    MODEL = "model", _("Models")
    EXEMPLAR = "exemplar", _("Exemplars")


class CommunityKind(models.TextChoices):
    """The communities of the registry."""

    CLUBHOUSE = "clubhouse", _("Community clubhouse")
    SELF_MANAGED = "self_managed", _("Self-managed group")


class CommunityEventKind(models.TextChoices):
    """What a community held."""

    MEETING = "meeting", pgettext_lazy("community event", "Meeting")
    ACTIVITY = "activity", _("Activity")


class Theme(models.Model):
    """A theme localities add to the four fields, e.g. "Xây dựng nông thôn mới"."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=TEXT_MAX_LENGTH)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("movement theme")
        verbose_name_plural = _("movement themes")

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """The movement in a year and its theme, launched by a body for a
    province (or, with no province, for the whole country)."""

    name = models.CharField(_("name"), max_length=TEXT_MAX_LENGTH)
    theme = models.CharField(_("theme of the year"), max_length=TEXT_MAX_LENGTH, blank=True)
    #: The name and the theme folded (`core.text.fold`), for the list's search.
    search_folded = models.CharField(
        max_length=2 * TEXT_MAX_LENGTH + 1, editable=False, default=""
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("launched by"),
        on_delete=models.PROTECT,
        related_name="movement_campaigns",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movement_campaigns",
        help_text=_("Empty for a campaign of the whole country."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-starts_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_dates_valid",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["starts_on", "ends_on"], name="campaign_dates_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_folded = fold(f"{self.name} {self.theme}".strip())
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Community(models.Model):
    """A self-managed residents' group or a community clubhouse (hội quán)."""

    name = models.CharField(_("name"), max_length=TEXT_MAX_LENGTH)
    name_folded = models.CharField(max_length=TEXT_MAX_LENGTH, editable=False, default="")
    kind = models.CharField(_("kind"), max_length=16, choices=CommunityKind.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("managing unit"),
        on_delete=models.PROTECT,
        related_name="movement_communities",
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="movement_communities",
    )
    hamlet = models.CharField(_("hamlet or neighbourhood"), max_length=TEXT_MAX_LENGTH, blank=True)
    founded_on = models.DateField(_("founded on"))
    leader_name = models.CharField(_("leader"), max_length=TEXT_MAX_LENGTH, blank=True)
    description = models.TextField(_("what it does"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CommunityKind.values), name="community_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class CommunityMember(models.Model):
    """A member of a community (a name and a role in it; no contact data)."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=TEXT_MAX_LENGTH)
    role = models.CharField(_("role in the community"), max_length=TEXT_MAX_LENGTH, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["name", "pk"]
        verbose_name = _("community member")
        verbose_name_plural = _("community members")

    def __str__(self) -> str:
        return self.name


class CommunityEvent(models.Model):
    """A meeting or an activity of a community."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CommunityEventKind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("subject"), max_length=TEXT_MAX_LENGTH)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    notes = models.TextField(_("notes"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering: ClassVar = ["-date", "-pk"]
        verbose_name = _("community meeting or activity")
        verbose_name_plural = _("community meetings and activities")
        indexes: ClassVar = [
            models.Index(fields=["community", "date"], name="community_event_date_idx"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CommunityEventKind.values),
                name="community_event_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.title}"


class Registration(models.Model):
    """What models and exemplars share: who registered it, its field, its
    place, its status and recognition level."""

    name = models.CharField(_("name"), max_length=TEXT_MAX_LENGTH)
    name_folded = models.CharField(max_length=TEXT_MAX_LENGTH, editable=False, default="")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("registering unit"),
        on_delete=models.PROTECT,
        related_name="movement_registrations",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    field = models.CharField(_("field"), max_length=32, choices=MovementField.choices)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="registrations"
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="movement_registrations",
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movement_registrations",
    )
    address = models.CharField(_("address"), max_length=TEXT_MAX_LENGTH, blank=True)
    started_on = models.DateField(_("started on"))
    description = models.TextField(_("what it does"), max_length=LONG_TEXT_MAX_LENGTH)
    people_involved = models.TextField(
        _("people involved"), max_length=LONG_TEXT_MAX_LENGTH, blank=True
    )
    registered_on = models.DateField(_("registered on"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    level = models.CharField(
        _("recognition level"), max_length=16, choices=RecognitionLevel.choices, blank=True
    )
    recognized_on = models.DateField(_("first recognized on"), null=True, blank=True)
    last_reviewed_year = models.PositiveSmallIntegerField(
        _("last reviewed in"), null=True, blank=True
    )
    closing_reason = models.TextField(
        _("reason"),
        max_length=LONG_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("Why it was not recognized or was screened out."),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
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
        ordering: ClassVar = ["-registered_on", "-pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes: ClassVar = [
            models.Index(
                fields=["organization", "registered_on"], name="registration_org_date_idx"
            ),
            models.Index(fields=["province", "status"], name="registration_prov_status_idx"),
            models.Index(fields=["name_folded"], name="registration_name_idx"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(field__in=MovementField.values),
                name="registration_field_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RegistrationStatus.values),
                name="registration_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(level="") | models.Q(level__in=RecognitionLevel.values),
                name="registration_level_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=RegistrationStatus.RECOGNIZED) | ~models.Q(level=""),
                name="registration_recognized_has_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class MovementModel(Registration):
    """A model (mô hình): a replicable way of doing mobilization work."""

    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="models",
        help_text=_("The clubhouse or group this model is, if any."),
    )

    class Meta:
        verbose_name = _("movement model")
        verbose_name_plural = _("movement models")


class Exemplar(Registration):
    """An exemplar (điển hình): a person or a collective held up as an example."""

    kind = models.CharField(_("kind"), max_length=16, choices=ExemplarKind.choices)
    title = models.CharField(_("title or position"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("exemplar")
        verbose_name_plural = _("exemplars")


class Replication(models.Model):
    """Another unit adopts a recognized model (nhân rộng), with its own results."""

    model = models.ForeignKey(
        MovementModel,
        verbose_name=_("model"),
        on_delete=models.CASCADE,
        related_name="replications",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("adopting unit"),
        on_delete=models.PROTECT,
        related_name="movement_replications",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="movement_replications",
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movement_replications",
    )
    started_on = models.DateField(_("started on"))
    note = models.TextField(_("how it was adapted"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["started_on", "pk"]
        verbose_name = _("replication")
        verbose_name_plural = _("replications")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["model", "organization"], name="replication_once_per_unit"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["organization", "started_on"], name="replication_org_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.model} — {self.organization}"


class ResultFigure(models.Model):
    """A result as a figure with its unit, of a model or exemplar, or of one replication."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("model or exemplar"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="results",
    )
    replication = models.ForeignKey(
        Replication,
        verbose_name=_("replication"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="results",
    )
    label = models.CharField(_("indicator"), max_length=TEXT_MAX_LENGTH)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=64)
    measured_on = models.DateField(_("measured on"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["pk"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(
                    models.Q(registration__isnull=False, replication__isnull=True)
                    | models.Q(registration__isnull=True, replication__isnull=False)
                ),
                name="result_belongs_to_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}"


class Evidence(models.Model):
    """A photo or a document that shows the work (Wagtail image or document)."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("model or exemplar"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    caption = models.CharField(_("caption"), max_length=TEXT_MAX_LENGTH)
    is_public = models.BooleanField(
        _("shown on the portal"),
        default=True,
        help_text=_("Photos only; documents stay in the back-office."),
    )

    class Meta:
        ordering: ClassVar = ["pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(
                    models.Q(image__isnull=False, document__isnull=True)
                    | models.Q(image__isnull=True, document__isnull=False)
                ),
                name="evidence_image_or_document",
            ),
        ]

    def __str__(self) -> str:
        return self.caption


class RecognitionCriterion(models.Model):
    """A criterion a province evaluates models or exemplars against.

    Rows with no province are the default set (legal-rules.md §8, the
    common criteria); a province that has its own active rows uses those
    instead (`criteria.criteria_for`).
    """

    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="movement_criteria",
        help_text=_("Empty for the default set used by provinces without their own."),
    )
    target = models.CharField(
        _("applies to"),
        max_length=16,
        choices=CriterionTarget.choices,
        default=CriterionTarget.BOTH,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("criterion"), max_length=TEXT_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering: ClassVar = ["province", "order", "pk"]
        verbose_name = _("recognition criterion")
        verbose_name_plural = _("recognition criteria")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(target__in=CriterionTarget.values),
                name="criterion_target_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(max_score__gte=1), name="criterion_max_score_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RecognitionRule(models.Model):
    """The pass mark of the evaluations of a province.

    legal-rules.md §8 knows no national scoring rubric or evaluation cycle
    (UNCONFIRMED) and finds the recognition criteria local ("encode them as
    configurable criteria per province"); the share of the maximum score an
    evaluation must reach belongs to that local rubric, so it is data here.
    The row with no province is the default (70 %, seeded by the migration
    `0005_default_pass_mark`, a local choice marked UNCONFIRMED); a
    province with a row of its own uses that one (`criteria.pass_percent_for`).
    Administrators edit them beside the criteria (`viewsets.py`).
    """

    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="movement_recognition_rules",
        help_text=_("Empty for the default used by provinces without their own."),
    )
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "The share of the maximum score an evaluation must reach to pass, from 1 to 100."
        ),
    )
    basis = models.CharField(
        _("basis"),
        max_length=TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("The decision or guidance that sets it, with its number and date."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering: ClassVar = [models.F("province").asc(nulls_first=True)]
        verbose_name = _("pass mark")
        verbose_name_plural = _("pass marks")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(pass_percent__gte=1, pass_percent__lte=100),
                name="recognition_rule_percent_valid",
            ),
            # One row per province, and one default (NULL is not unique by itself).
            models.UniqueConstraint(
                Coalesce("province", models.Value(0)),
                name="recognition_rule_once_per_province",
                violation_error_message=_(
                    "There is already a pass mark for this province: change that one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.scope_label())

    def scope_label(self) -> str:
        """Return the province's name, or say that this is the default."""
        if self.province is None:
            return str(_("Default (provinces without their own)"))
        return str(self.province.name)

    scope_label.short_description = _("province")  # type: ignore[attr-defined]


class Evaluation(models.Model):
    """The scores a body gave a model or an exemplar in a year, criterion by criterion."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("model or exemplar"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    evaluated_on = models.DateField(_("evaluated on"))
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    total = models.PositiveIntegerField(_("total score"))
    maximum = models.PositiveIntegerField(_("maximum score"))
    passed = models.BooleanField(_("passed"))
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        null=True,
        blank=True,
        help_text=_("The province's pass mark when it was evaluated."),
    )
    note = models.TextField(_("remarks"), max_length=LONG_TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-year", "-evaluated_on", "-pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.registration} {self.year}: {self.total}/{self.maximum}"

    @property
    def percent(self) -> float:
        """The total as a share of the maximum, in percent."""
        return round(100 * self.total / self.maximum, 1) if self.maximum else 0.0


class EvaluationScore(models.Model):
    """The score of one criterion in an evaluation."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        RecognitionCriterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.CharField(_("comment"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering: ClassVar = ["criterion__order", "pk"]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="evaluation_score_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Recognition(models.Model):
    """A decision recognizing a model or an exemplar for a year, at a level.

    The first recognition and each yearly re-review that keeps it are one
    row each, so the figures of a period count the decisions taken in it.
    """

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("model or exemplar"),
        on_delete=models.CASCADE,
        related_name="recognitions",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=16, choices=RecognitionLevel.choices)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        Organization,
        verbose_name=_("recognizing body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movement_recognitions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-year", "-decided_on", "-pk"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["registration", "year"], name="recognition_once_a_year"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=RecognitionLevel.values),
                name="recognition_level_valid",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["decided_on"], name="recognition_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.registration} {self.year} ({self.get_level_display()})"
