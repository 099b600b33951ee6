"""The load of administrative units from vietnam-provinces (run once per session)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from danvan.core.models import AuditEvent
from danvan.core.text import fold
from danvan.geo.loader import load_units
from danvan.geo.models import (
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

pytestmark = pytest.mark.django_db

REFORM = datetime.date(2025, 7, 1)
LAST_LEGACY_DAY = datetime.date(2025, 6, 30)


def test_current_units_are_34_provinces_and_3321_communes_in_force_since_reform() -> None:
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert not Province.objects.exclude(valid_from=REFORM).exists()
    assert not Commune.objects.exclude(valid_from=REFORM).exists()
    assert not Commune.objects.filter(valid_to__isnull=False).exists()


def test_legacy_units_are_63_provinces_696_districts_10051_communes_ending_before_reform() -> None:
    assert LegacyProvince.objects.count() == 63
    assert LegacyDistrict.objects.count() == 696
    assert LegacyCommune.objects.count() == 10051
    for model in (LegacyProvince, LegacyDistrict, LegacyCommune):
        assert not model.objects.exclude(valid_to=LAST_LEGACY_DAY).exists()


def test_division_types_map_to_kinds() -> None:
    def kinds(model: type) -> dict[str, int]:
        rows = model.objects.values("kind").annotate(n=Count("pk"))
        return {row["kind"]: row["n"] for row in rows}

    assert kinds(Province) == {ProvinceKind.PROVINCE: 25, ProvinceKind.MUNICIPALITY: 9}
    assert kinds(Commune) == {
        CommuneKind.COMMUNE: 2621,
        CommuneKind.WARD: 687,
        CommuneKind.SPECIAL_ZONE: 13,
    }
    assert kinds(LegacyProvince) == {ProvinceKind.PROVINCE: 57, ProvinceKind.MUNICIPALITY: 6}
    assert kinds(LegacyDistrict) == {
        DistrictKind.RURAL_DISTRICT: 509,
        DistrictKind.CITY: 86,
        DistrictKind.TOWN: 52,
        DistrictKind.URBAN_DISTRICT: 49,
    }
    assert kinds(LegacyCommune) == {
        CommuneKind.COMMUNE: 7717,
        CommuneKind.WARD: 1716,
        CommuneKind.TOWNSHIP: 618,
    }


def test_folded_names_are_stored() -> None:
    province = Province.objects.get(code=82)
    assert province.name == "Tỉnh Đồng Tháp"
    assert province.name_folded == "tinh dong thap"
    assert not Commune.objects.filter(name_folded="").exists()
    sample = LegacyCommune.objects.get(code=13)
    assert sample.name_folded == fold(sample.name) == "phuong quan thanh"


def test_old_dong_thap_and_old_tien_giang_both_became_dong_thap() -> None:
    # The library's own province table also maps 82 to Tây Ninh (80) because
    # of one mislabelled ward; the loader must not copy that.
    assert list(
        LegacyProvinceMapping.objects.filter(legacy_province_id__in=[82, 87])
        .order_by("legacy_province_id")
        .values_list("legacy_province_id", "province_id")
    ) == [(82, 82), (87, 82)]
    assert LegacyProvince.objects.get(code=87).name == "Tỉnh Đồng Tháp"
    assert LegacyProvince.objects.get(code=82).name == "Tỉnh Tiền Giang"


def test_every_legacy_province_maps_to_exactly_one_current_province() -> None:
    per_legacy = (
        LegacyProvinceMapping.objects.values("legacy_province_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert sorted(set(per_legacy)) == [1]
    assert LegacyProvinceMapping.objects.count() == 63
    assert LegacyProvinceMapping.objects.values("province_id").distinct().count() == 34


def test_ho_chi_minh_city_took_in_binh_duong_and_ba_ria_vung_tau() -> None:
    sources = LegacyProvince.objects.filter(current_provinces=79).order_by("code")
    assert [p.code for p in sources] == [74, 77, 79]


def test_legacy_ward_quan_thanh_became_part_of_ba_dinh_ward() -> None:
    mapping = LegacyCommuneMapping.objects.select_related("commune").get(legacy_commune_id=13)
    assert mapping.commune.code == 4
    assert mapping.commune.name == "Phường Ba Đình"
    assert mapping.is_partial is False
    assert mapping.valid_from == REFORM


def test_legacy_commune_split_between_several_communes_keeps_one_row_each() -> None:
    # Phường Điện Biên (Ba Đình) was split between four current wards.
    rows = LegacyCommuneMapping.objects.filter(legacy_commune_id=19).order_by("commune_id")
    assert [(m.commune_id, m.is_partial) for m in rows] == [
        (4, True),
        (70, True),
        (190, True),
        (226, True),
    ]


def test_commune_mapping_counts_match_the_library() -> None:
    assert LegacyCommuneMapping.objects.count() == 10554
    assert LegacyCommuneMapping.objects.filter(is_partial=True).count() > 500
    # Ten conversion rows name communes absent from the legacy dataset.
    assert LegacyCommune.objects.filter(current_communes__isnull=True).count() == 28


def test_reload_changes_nothing_and_creates_no_duplicates() -> None:
    counts_before = {
        model: model.objects.count()
        for model in (
            Province,
            Commune,
            LegacyProvince,
            LegacyDistrict,
            LegacyCommune,
            LegacyProvinceMapping,
            LegacyCommuneMapping,
        )
    }

    events_before = AuditEvent.objects.filter(action="units.load").count()

    report = load_units()

    assert not report.changed
    assert AuditEvent.objects.filter(action="units.load").count() == events_before
    assert all((c.created, c.updated, c.deleted) == (0, 0, 0) for c in report.tables.values())
    assert {model: model.objects.count() for model in counts_before} == counts_before
    duplicates = (
        LegacyCommuneMapping.objects.values("legacy_commune_id", "commune_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()


def test_reload_repairs_changed_and_missing_rows() -> None:
    Province.objects.filter(code=82).update(name="Tỉnh X", name_folded="tinh x")
    LegacyCommuneMapping.objects.filter(legacy_commune_id=13).delete()
    LegacyCommuneMapping.objects.create(legacy_commune_id=13, commune_id=8)
    LegacyCommuneMapping.objects.filter(legacy_commune_id=19, commune_id=70).update(
        is_partial=False
    )

    report = load_units()

    assert report.tables["provinces"].updated == 1
    assert report.tables["commune mappings"].created == 1
    assert report.tables["commune mappings"].deleted == 1
    assert report.tables["commune mappings"].updated == 1
    assert Province.objects.get(code=82).name_folded == "tinh dong thap"
    assert list(
        LegacyCommuneMapping.objects.filter(legacy_commune_id=13).values_list(
            "commune_id", flat=True
        )
    ) == [4]
    assert LegacyCommuneMapping.objects.get(legacy_commune_id=19, commune_id=70).is_partial
    event = AuditEvent.objects.filter(action="units.load").latest("occurred_at")
    assert event.data["tables"]["provinces"] == {"created": 0, "updated": 1, "deleted": 0}
    assert event.data["source"].startswith("vietnam-provinces 2026.")


def test_command_prints_the_counts() -> None:
    out = io.StringIO()

    call_command("load_units", stdout=out)

    text = out.getvalue()
    assert "legacy communes      10051        0        0        0" in text
    assert "commune mappings     10554        0        0        0" in text
    assert "Units already up to date" in text


def test_command_is_silent_at_verbosity_zero() -> None:
    out = io.StringIO()

    call_command("load_units", verbosity=0, stdout=out)

    assert out.getvalue() == ""
