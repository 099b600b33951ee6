"""Administrative units: the current two-level ones (since 2025-07-01), the
legacy three-level ones (before that day), the mapping from old to new, and
clusters of provinces.

Codes are the national codes of the General Statistics Office, used as
primary keys: they are stable and every other system speaks them. A legacy
code and a current code may be equal and mean different units (82 was Tiền
Giang and is now Đồng Tháp), so the two generations live in separate tables.
Sources: Nghị quyết 202/2025/QH15 (34 provinces) and the Standing
Committee's resolutions on communes; loaded from `vietnam-provinces`.
"""

import datetime
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

REFORM_DATE = datetime.date(2025, 7, 1)
LEGACY_LAST_DAY = datetime.date(2025, 6, 30)


class ProvinceKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    MUNICIPALITY = "municipality", _("Centrally-run city")


class CommuneKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    TOWNSHIP = "township", _("Township")


class DistrictKind(models.TextChoices):
    URBAN_DISTRICT = "urban_district", _("Urban district")
    RURAL_DISTRICT = "rural_district", _("Rural district")
    TOWN = "town", _("Town")
    CITY = "city", _("Provincial city")


class UnitBase(models.Model):
    """Fields shared by every administrative unit."""

    name = models.CharField(_("name"), max_length=100)
    codename = models.CharField(_("code name"), max_length=100, blank=True)
    name_folded = models.CharField(_("folded name"), max_length=100, db_index=True, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return self.name


class Province(UnitBase):
    """A province or centrally-run city in force since 2025-07-01 (34)."""

    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ProvinceKind.choices)

    class Meta(UnitBase.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class Commune(UnitBase):
    """A commune, ward or special zone in force since 2025-07-01 (3,321)."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CommuneKind.choices)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="communes"
    )

    class Meta(UnitBase.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")


class LegacyProvince(UnitBase):
    """A province of before 2025-07-01 (63)."""

    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ProvinceKind.choices)
    current_provinces = models.ManyToManyField(
        Province,
        verbose_name=_("current provinces"),
        through="LegacyProvinceMapping",
        related_name="legacy_provinces",
    )

    class Meta(UnitBase.Meta):
        verbose_name = _("legacy province")
        verbose_name_plural = _("legacy provinces")


class LegacyDistrict(UnitBase):
    """A district of before 2025-07-01 (696); the level was abolished that day."""

    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DistrictKind.choices)
    province = models.ForeignKey(
        LegacyProvince,
        verbose_name=_("legacy province"),
        on_delete=models.PROTECT,
        related_name="districts",
    )

    class Meta(UnitBase.Meta):
        verbose_name = _("legacy district")
        verbose_name_plural = _("legacy districts")


class LegacyCommune(UnitBase):
    """A commune, ward or township of before 2025-07-01 (10,051)."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CommuneKind.choices)
    district = models.ForeignKey(
        LegacyDistrict,
        verbose_name=_("legacy district"),
        on_delete=models.PROTECT,
        related_name="communes",
    )
    province = models.ForeignKey(
        LegacyProvince,
        verbose_name=_("legacy province"),
        on_delete=models.PROTECT,
        related_name="communes",
    )
    current_communes = models.ManyToManyField(
        Commune,
        verbose_name=_("current communes"),
        through="LegacyCommuneMapping",
        related_name="legacy_communes",
    )

    class Meta(UnitBase.Meta):
        verbose_name = _("legacy commune")
        verbose_name_plural = _("legacy communes")


class LegacyProvinceMapping(models.Model):
    """A legacy province became (part of) a current province."""

    legacy_province = models.ForeignKey(LegacyProvince, on_delete=models.CASCADE)
    province = models.ForeignKey(Province, on_delete=models.CASCADE)
    valid_from = models.DateField(_("valid from"), default=REFORM_DATE)

    class Meta:
        verbose_name = _("legacy province mapping")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["legacy_province", "province"], name="legacyprovincemapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.legacy_province_id} → {self.province_id}"


class LegacyCommuneMapping(models.Model):
    """A legacy commune became (part of) a current commune.

    A legacy commune split between several current communes has one row
    per current commune, each with `is_partial` set.
    """

    legacy_commune = models.ForeignKey(LegacyCommune, on_delete=models.CASCADE)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE)
    is_partial = models.BooleanField(_("partly merged"), default=False)
    valid_from = models.DateField(_("valid from"), default=REFORM_DATE)

    class Meta:
        verbose_name = _("legacy commune mapping")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["legacy_commune", "commune"], name="legacycommunemapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.legacy_commune_id} → {self.commune_id}"


class Cluster(models.Model):
    """A named, dated set of provinces that report and meet together (cụm).

    A cluster of before 2025-07-01 is defined on legacy provinces, a later
    one on current provinces.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    provinces = models.ManyToManyField(
        Province, verbose_name=_("provinces"), blank=True, related_name="clusters"
    )
    legacy_provinces = models.ManyToManyField(
        LegacyProvince, verbose_name=_("legacy provinces"), blank=True, related_name="clusters"
    )

    class Meta:
        ordering: ClassVar = ["code"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="cluster_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name
