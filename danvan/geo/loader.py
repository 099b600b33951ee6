"""Load the administrative units from `vietnam-provinces` into the database.

The load is idempotent: each table is compared with the library's data and
only the rows that are missing or different are written, all in one
transaction. Running it twice writes nothing the second time.

Sources inside the library (2026.9.0):

- `Province.iter_all()` / `Ward.iter_all()`: the 34 provinces and 3,321
  communes in force since 2025-07-01 (Nghị quyết 202/2025/QH15 and the
  Standing Committee's resolutions on communes);
- `vietnam_provinces.legacy`: the 63 provinces, 696 districts and 10,051
  communes of before that day (dataset of 2025-01-04);
- `_ward_conversion_2025.OLD_TO_NEW`: legacy commune → current commune(s),
  with `is_partly_merged` when the legacy commune was split.

Two quirks of the library's data are handled here rather than copied:

- the library's province table (`_province_conversion_2025`) is generated
  from the commune table and inherits one wrong row (Phường 4 of Tân An,
  Long An, tagged as Tiền Giang), so it maps Tiền Giang (82) to Tây Ninh
  (80) as well as to Đồng Tháp (82). The province mapping is therefore
  derived from the commune mapping using each legacy commune's real
  province, which gives exactly the 63 → 34 table of the resolution;
- the commune table names ten legacy codes that the legacy dataset does
  not have, and 28 communes of that dataset have no row in it; they pair
  up by district (Mộc Châu, Bình Thạnh, Phú Nhuận, Quận 6, Quận 11), a
  mismatch between the library's two datasets around early-2025 mergers.
  Those ten rows are skipped and reported; the 28 communes map to nothing.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from vietnam_provinces import Province as LibProvince
from vietnam_provinces import Ward as LibWard
from vietnam_provinces import _province_conversion_2025 as lib_province_conversion
from vietnam_provinces import _ward_conversion_2025 as lib_ward_conversion
from vietnam_provinces import legacy as lib_legacy

from danvan.core.audit import audit_record
from danvan.core.text import fold
from danvan.geo import cache as units_cache
from danvan.geo.models import (
    LEGACY_LAST_DAY,
    REFORM_DATE,
    Commune,
    CommuneKind,
    DistrictKind,
    LegacyCommune,
    LegacyCommuneMapping,
    LegacyDistrict,
    LegacyProvince,
    LegacyProvinceMapping,
    Province,
    ProvinceKind,
)

PROVINCE_KINDS: dict[str, ProvinceKind] = {
    "tỉnh": ProvinceKind.PROVINCE,
    "thành phố trung ương": ProvinceKind.MUNICIPALITY,
}
COMMUNE_KINDS: dict[str, CommuneKind] = {
    "xã": CommuneKind.COMMUNE,
    "phường": CommuneKind.WARD,
    "đặc khu": CommuneKind.SPECIAL_ZONE,
    "thị trấn": CommuneKind.TOWNSHIP,
}
DISTRICT_KINDS: dict[str, DistrictKind] = {
    "quận": DistrictKind.URBAN_DISTRICT,
    "huyện": DistrictKind.RURAL_DISTRICT,
    "thị xã": DistrictKind.TOWN,
    # Provincial cities, and Thủ Đức, a city inside a centrally-run city.
    "thành phố": DistrictKind.CITY,
}

UNIT_FIELDS = ["name", "codename", "name_folded", "kind", "valid_from", "valid_to"]
_BATCH_SIZE = 1000


class UnknownDivisionTypeError(ValueError):
    """Raised when the library has a division type this project does not map."""


@dataclass
class TableCounts:
    """What one load did to one table."""

    source: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    not_in_source: int = 0

    @property
    def changed(self) -> bool:
        """Return whether any row was written or removed."""
        return bool(self.created or self.updated or self.deleted)


@dataclass
class LoadReport:
    """What `load_units` did, table by table."""

    tables: dict[str, TableCounts] = field(default_factory=dict)
    skipped_commune_mappings: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Return whether the load wrote anything."""
        return any(counts.changed for counts in self.tables.values())


def _kind(table: dict[str, Any], division_type: str, what: str) -> str:
    try:
        return str(table[str(division_type)])
    except KeyError:
        raise UnknownDivisionTypeError(
            f"Unknown {what} division type {division_type!r} in vietnam-provinces."
        ) from None


def _unit_row(
    name: str,
    codename: str,
    kind: str,
    *,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "name": name,
        "codename": codename,
        "name_folded": fold(name),
        "kind": kind,
        "valid_from": valid_from,
        "valid_to": valid_to,
        **extra,
    }


def current_province_rows() -> dict[int, dict[str, Any]]:
    """Return the 34 current provinces as `{code: field values}`."""
    return {
        int(p.code): _unit_row(
            p.name,
            p.codename,
            _kind(PROVINCE_KINDS, p.division_type, "province"),
            valid_from=REFORM_DATE,
            valid_to=None,
        )
        for p in LibProvince.iter_all()
    }


def current_commune_rows() -> dict[int, dict[str, Any]]:
    """Return the 3,321 current communes as `{code: field values}`."""
    return {
        int(w.code): _unit_row(
            w.name,
            w.codename,
            _kind(COMMUNE_KINDS, w.division_type, "commune"),
            valid_from=REFORM_DATE,
            valid_to=None,
            province_id=int(w.province_code),
        )
        for w in LibWard.iter_all()
    }


def legacy_province_rows() -> dict[int, dict[str, Any]]:
    """Return the 63 legacy provinces as `{code: field values}`."""
    return {
        int(p.code): _unit_row(
            p.name,
            p.codename,
            _kind(PROVINCE_KINDS, p.division_type, "legacy province"),
            valid_from=None,
            valid_to=LEGACY_LAST_DAY,
        )
        for p in lib_legacy.Province.iter_all()
    }


def legacy_district_rows() -> dict[int, dict[str, Any]]:
    """Return the 696 legacy districts as `{code: field values}`."""
    return {
        int(d.code): _unit_row(
            d.name,
            d.codename,
            _kind(DISTRICT_KINDS, d.division_type, "legacy district"),
            valid_from=None,
            valid_to=LEGACY_LAST_DAY,
            province_id=int(d.province_code),
        )
        for d in lib_legacy.District.iter_all()
    }


def legacy_commune_rows(districts: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Return the 10,051 legacy communes as `{code: field values}`.

    The province is taken from the commune's district, the library's
    authoritative link.
    """
    return {
        int(w.code): _unit_row(
            w.name,
            w.codename,
            _kind(COMMUNE_KINDS, w.division_type, "legacy commune"),
            valid_from=None,
            valid_to=LEGACY_LAST_DAY,
            district_id=int(w.district_code),
            province_id=districts[int(w.district_code)]["province_id"],
        )
        for w in lib_legacy.Ward.iter_all()
    }


def commune_mapping_rows(
    legacy_communes: dict[int, dict[str, Any]], communes: dict[int, dict[str, Any]]
) -> tuple[dict[tuple[int, int], dict[str, Any]], list[int]]:
    """Return `{(legacy code, current code): field values}` and the skipped legacy codes.

    A legacy commune split between several current communes gives one row
    per current commune, each with `is_partial` from the library's
    `is_partly_merged`.
    """
    rows: dict[tuple[int, int], dict[str, Any]] = {}
    skipped: list[int] = []
    for legacy_code, entry in lib_ward_conversion.OLD_TO_NEW.items():
        if legacy_code not in legacy_communes:
            skipped.append(legacy_code)
            continue
        for new in entry.new_wards:
            if new.code not in communes:
                skipped.append(legacy_code)
                continue
            rows[(legacy_code, new.code)] = {
                "is_partial": entry.old_ward.is_partly_merged,
                "valid_from": REFORM_DATE,
            }
    return rows, sorted(set(skipped))


def province_mapping_rows(
    commune_mappings: Iterable[tuple[int, int]],
    legacy_communes: dict[int, dict[str, Any]],
    communes: dict[int, dict[str, Any]],
    legacy_provinces: Iterable[int],
) -> dict[tuple[int, int], dict[str, Any]]:
    """Return `{(legacy province, current province): field values}`.

    Derived from the commune mapping with each commune's real province (see
    the module docstring); a legacy province none of whose communes is in
    the commune table falls back on the library's province table.
    """
    pairs: set[tuple[int, int]] = set()
    for legacy_code, code in commune_mappings:
        pairs.add((legacy_communes[legacy_code]["province_id"], communes[code]["province_id"]))
    covered = {legacy for legacy, _ in pairs}
    for legacy in legacy_provinces:
        if legacy in covered:
            continue
        entry = lib_province_conversion.OLD_TO_NEW.get(legacy)
        for new in entry.new_provinces if entry else ():
            pairs.add((legacy, new.code))
    return {pair: {"valid_from": REFORM_DATE} for pair in sorted(pairs)}


def _sync_units(
    model: type[models.Model], rows: dict[int, dict[str, Any]], fields: Sequence[str]
) -> TableCounts:
    """Create or update the rows of a unit table keyed by `code`.

    Units no longer in the source are counted, not deleted: other tables
    point at them with protected foreign keys.
    """
    counts = TableCounts(source=len(rows))
    manager = model._default_manager
    existing = {row[0]: row[1:] for row in manager.values_list("code", *fields)}
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    for code, values in rows.items():
        current = existing.get(code)
        if current is None:
            to_create.append(model(code=code, **values))
        elif current != tuple(values[name] for name in fields):
            to_update.append(model(code=code, **values))
    manager.bulk_create(to_create, batch_size=_BATCH_SIZE)
    manager.bulk_update(to_update, list(fields), batch_size=_BATCH_SIZE // 4)
    counts.created = len(to_create)
    counts.updated = len(to_update)
    counts.not_in_source = len(existing.keys() - rows.keys())
    return counts


def _sync_links(
    model: type[models.Model],
    keys: tuple[str, str],
    rows: dict[tuple[int, int], dict[str, Any]],
    fields: Sequence[str],
) -> TableCounts:
    """Make a mapping table equal to `rows`, keyed by a pair of foreign keys."""
    counts = TableCounts(source=len(rows))
    manager = model._default_manager
    existing = {
        (left, right): (pk, *values)
        for pk, left, right, *values in manager.values_list("pk", *keys, *fields)
    }
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    for pair, values in rows.items():
        current = existing.get(pair)
        if current is None:
            to_create.append(model(**dict(zip(keys, pair, strict=True)), **values))
        elif current[1:] != tuple(values[name] for name in fields):
            to_update.append(model(pk=current[0], **values))
    stale = sorted(existing[pair][0] for pair in existing.keys() - rows.keys())
    for start in range(0, len(stale), _BATCH_SIZE):
        manager.filter(pk__in=stale[start : start + _BATCH_SIZE]).delete()
    manager.bulk_create(to_create, batch_size=_BATCH_SIZE)
    manager.bulk_update(to_update, list(fields), batch_size=_BATCH_SIZE // 4)
    counts.created = len(to_create)
    counts.updated = len(to_update)
    counts.deleted = len(stale)
    return counts


def load_units() -> LoadReport:
    """Load or refresh every administrative unit and mapping; return what changed.

    Runs in one transaction, so a failure leaves the tables as they were.
    Clears the cached API answers when anything changed.
    """
    provinces = current_province_rows()
    communes = current_commune_rows()
    legacy_provinces = legacy_province_rows()
    legacy_districts = legacy_district_rows()
    legacy_communes = legacy_commune_rows(legacy_districts)
    commune_links, skipped = commune_mapping_rows(legacy_communes, communes)
    province_links = province_mapping_rows(
        commune_links.keys(), legacy_communes, communes, legacy_provinces.keys()
    )

    report = LoadReport(skipped_commune_mappings=skipped)
    with transaction.atomic():
        tables = report.tables
        tables["provinces"] = _sync_units(Province, provinces, UNIT_FIELDS)
        tables["communes"] = _sync_units(Commune, communes, [*UNIT_FIELDS, "province_id"])
        tables["legacy provinces"] = _sync_units(LegacyProvince, legacy_provinces, UNIT_FIELDS)
        tables["legacy districts"] = _sync_units(
            LegacyDistrict, legacy_districts, [*UNIT_FIELDS, "province_id"]
        )
        tables["legacy communes"] = _sync_units(
            LegacyCommune, legacy_communes, [*UNIT_FIELDS, "district_id", "province_id"]
        )
        tables["province mappings"] = _sync_links(
            LegacyProvinceMapping,
            ("legacy_province_id", "province_id"),
            province_links,
            ["valid_from"],
        )
        tables["commune mappings"] = _sync_links(
            LegacyCommuneMapping,
            ("legacy_commune_id", "commune_id"),
            commune_links,
            ["is_partial", "valid_from"],
        )
        if report.changed:
            audit_record(
                actor=None,
                action="units.load",
                data={
                    "source": f"vietnam-provinces {_library_version()}",
                    "tables": {
                        name: {
                            "created": counts.created,
                            "updated": counts.updated,
                            "deleted": counts.deleted,
                        }
                        for name, counts in tables.items()
                        if counts.changed
                    },
                },
            )
            transaction.on_commit(units_cache.invalidate)
    return report


def _library_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vietnam-provinces")
    except PackageNotFoundError:
        return "unknown"
