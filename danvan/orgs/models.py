"""Organizations, their hierarchy and validity, and who works for them in
which role.

Bodies are renamed and merged (the provincial mobilization commissions
became "Ban Tuyên giáo và Dân vận" in 2025, the district level ended on
2025-07-01): a renamed or merged body is a new organization whose
predecessor gets `valid_to` and a `successor`, so that older records keep
the name they were made under.
"""

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.geo.models import Commune, Province


class OrganizationKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("People's committee")
    DEPARTMENT = "department", _("Department")
    PARTY_COMMISSION = "party_commission", _("Party commission")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
    MASS_ORGANIZATION = "mass_organization", _("Mass organization")
    RECEPTION_OFFICE = "reception_office", _("Citizen reception office")
    OTHER = "other", _("Other")


class OrganizationLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune")


class Role(models.TextChoices):
    RECEPTION_OFFICER = "reception_officer", _("Reception officer")
    HANDLER = "handler", _("Handling officer")
    HEAD = "head", _("Head")
    COMMISSION_STAFF = "commission_staff", _("Commission staff")
    EDITOR = "editor", _("Editor")
    ADMINISTRATOR = "administrator", _("Administrator")


class Organization(models.Model):
    """A body that receives, handles or reports: a people's committee, a
    department, a Party commission, the Fatherland Front…"""

    code = models.SlugField(
        _("code"),
        max_length=64,
        unique=True,
        help_text=_("Short stable code used in URLs, commands and the API, e.g. ubnd-dong-thap."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    name_folded = models.CharField(
        _("folded name"), max_length=255, db_index=True, editable=False, default=""
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=OrganizationLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province served"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune served"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        help_text=_("The body this one was renamed or merged into."),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        ordering: ClassVar = ["level", "name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganizationKind.values),
                name="organization_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=OrganizationLevel.values),
                name="organization_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="organization_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: datetime.date | None = None) -> bool:
        """Tell whether the body exists on `day` (today in Vietnam by default)."""
        day = day or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class Membership(models.Model):
    """A user works for an organization in a role; a user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    #: A deputy head (cấp phó) holds the HEAD role but is not the leader
    #: whom Luật Tiếp công dân 2013 Art. 12, 15 and 18 oblige to receive
    #: citizens: reception compliance counts only the chief.
    is_deputy = models.BooleanField(
        _("deputy"),
        default=False,
        help_text=_("A deputy head (cấp phó), not the head who must receive citizens."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["organization__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"
