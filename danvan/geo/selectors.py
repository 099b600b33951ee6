"""Reads of administrative units, legacy units and clusters.

Search matches the folded name (`danvan.core.text.fold`), so "dong thap",
"Đồng Tháp" and "ĐỒNG THÁP" find the same units on SQLite and PostgreSQL.
"""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Literal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from danvan.core.text import fold
from danvan.geo.models import (
    LEGACY_LAST_DAY,
    REFORM_DATE,
    Cluster,
    Commune,
    LegacyCommune,
    LegacyCommuneMapping,
    LegacyProvince,
    Province,
)

SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 100
SEARCH_DEFAULT_LIMIT = 20
SEARCH_MAX_LIMIT = 50

# Folded type words that open unit names ("Xã Tân Hòa"): a query matching
# the rest of the name is an exact match.
_NAME_PREFIXES = ("tinh ", "thanh pho ", "xa ", "phuong ", "dac khu ")
# Codes are stored as 32-bit integers; larger numbers cannot exist.
_MAX_CODE = 2**31 - 1


@dataclass(frozen=True)
class UnitMatch:
    """A current province or commune found by `unit_search`."""

    code: int
    name: str
    kind: str
    level: Literal["province", "commune"]
    province_code: int
    province_name: str


@dataclass(frozen=True)
class LegacyProvinceWithCurrent:
    """A legacy province and the current province(s) it became part of."""

    unit: LegacyProvince
    current: list[Province]


@dataclass(frozen=True)
class CurrentCommuneShare:
    """A current commune that took in all or part of a legacy commune."""

    commune: Commune
    is_partial: bool


@dataclass(frozen=True)
class LegacyCommuneWithCurrent:
    """A legacy commune and the current commune(s) it became part of."""

    unit: LegacyCommune
    current: list[CurrentCommuneShare]


def _valid_code(code: int) -> bool:
    return 0 <= code <= _MAX_CODE


def province_list() -> QuerySet[Province]:
    """Return the 34 current provinces in the order of their codes."""
    return Province.objects.order_by("code")


def province_get(code: int) -> Province | None:
    """Return the current province with `code`, or None."""
    if not _valid_code(code):
        return None
    return Province.objects.filter(code=code).first()


def commune_list_for_province(code: int) -> QuerySet[Commune]:
    """Return the current communes of the province with `code`, by code.

    An unknown province gives an empty list; use `province_get` to tell it
    from a province without communes.
    """
    if not _valid_code(code):
        return Commune.objects.none()
    return Commune.objects.filter(province_id=code).order_by("code")


def _match_rank(folded: str) -> Case:
    """Rank a folded name against the folded query: exact, prefix, word, inside."""
    exact = Q(name_folded=folded) | Q(name_folded__in=[p + folded for p in _NAME_PREFIXES])
    prefix = reduce(
        or_,
        [Q(name_folded__startswith=p + folded) for p in ("", *_NAME_PREFIXES)],
    )
    return Case(
        When(exact, then=Value(0)),
        When(prefix, then=Value(1)),
        When(name_folded__contains=" " + folded, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def unit_search(query: str, limit: int = SEARCH_DEFAULT_LIMIT) -> list[UnitMatch]:
    """Return current provinces and communes whose folded name contains `query`.

    Provinces come first, then communes; within each, exact names ("dong
    thap" for "Tỉnh Đồng Tháp"), then names that start with the query, then
    names with a word that starts with it, then the rest. Ties go by name,
    then by province. A query shorter than `SEARCH_MIN_LENGTH` after
    folding finds nothing. Costs at most two queries.
    """
    folded = fold(query)[:SEARCH_MAX_LENGTH]
    limit = max(0, min(limit, SEARCH_MAX_LIMIT))
    if len(folded) < SEARCH_MIN_LENGTH or limit == 0:
        return []
    rank = _match_rank(folded)
    matches = [
        UnitMatch(
            code=p.code,
            name=p.name,
            kind=p.kind,
            level="province",
            province_code=p.code,
            province_name=p.name,
        )
        for p in Province.objects.filter(name_folded__contains=folded)
        .annotate(rank=rank)
        .order_by("rank", "name_folded", "code")[:limit]
    ]
    if len(matches) < limit:
        communes = (
            Commune.objects.filter(name_folded__contains=folded)
            .select_related("province")
            .annotate(rank=rank)
            .order_by("rank", "name_folded", "province_id", "code")
        )
        matches += [
            UnitMatch(
                code=c.code,
                name=c.name,
                kind=c.kind,
                level="commune",
                province_code=c.province.code,
                province_name=c.province.name,
            )
            for c in communes[: limit - len(matches)]
        ]
    return matches


def legacy_province_get(code: int) -> LegacyProvinceWithCurrent | None:
    """Return the legacy province with `code` and the current province(s) it
    became part of, or None. Costs two queries."""
    if not _valid_code(code):
        return None
    unit = LegacyProvince.objects.filter(code=code).first()
    if unit is None:
        return None
    current = list(Province.objects.filter(legacy_provinces=unit).order_by("code"))
    return LegacyProvinceWithCurrent(unit=unit, current=current)


def legacy_commune_get(code: int) -> LegacyCommuneWithCurrent | None:
    """Return the legacy commune with `code`, its district and province, and
    the current commune(s) it became part of, or None. Costs two queries.

    A commune split between several current communes lists each of them
    with `is_partial` set.
    """
    if not _valid_code(code):
        return None
    unit = LegacyCommune.objects.select_related("district", "province").filter(code=code).first()
    if unit is None:
        return None
    links = (
        LegacyCommuneMapping.objects.filter(legacy_commune=unit)
        .select_related("commune__province")
        .order_by("commune_id")
    )
    current = [CurrentCommuneShare(commune=m.commune, is_partial=m.is_partial) for m in links]
    return LegacyCommuneWithCurrent(unit=unit, current=current)


def cluster_list() -> QuerySet[Cluster]:
    """Return every cluster with its provinces, by code."""
    return Cluster.objects.prefetch_related("provinces", "legacy_provinces").order_by("code")


def cluster_get(code: str) -> Cluster | None:
    """Return the cluster with `code` and its provinces prefetched, or None."""
    return cluster_list().filter(code=code).first()


def cluster_is_legacy(cluster: Cluster) -> bool:
    """Return whether `cluster` groups legacy provinces (before 2025-07-01)."""
    return cluster.legacy_provinces.exists()


def cluster_province_codes(cluster: Cluster, on_date: datetime.date) -> frozenset[int]:
    """Return the codes of the provinces `cluster` groups on `on_date`.

    Before 2025-07-01 these are legacy province codes, from that day on
    current ones: a cluster groups one generation only, and a legacy
    province code may mean another unit today (82 was Tiền Giang, is now
    Đồng Tháp). A cluster not in force on `on_date` gives an empty set; a
    cluster of current provinces is never in force before the reform, nor
    one of legacy provinces after it.
    """
    start: datetime.date | None
    end: datetime.date | None
    legacy_codes = {p.code for p in cluster.legacy_provinces.all()}
    if legacy_codes:
        start, end = cluster.valid_from, min(cluster.valid_to or LEGACY_LAST_DAY, LEGACY_LAST_DAY)
        codes = legacy_codes
    else:
        start, end = max(cluster.valid_from or REFORM_DATE, REFORM_DATE), cluster.valid_to
        codes = {p.code for p in cluster.provinces.all()}
    if (start is not None and on_date < start) or (end is not None and on_date > end):
        return frozenset()
    return frozenset(codes)
