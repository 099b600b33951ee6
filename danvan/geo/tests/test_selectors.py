"""Reads of units, legacy units and clusters."""

import datetime

import pytest
from pytest_django import DjangoAssertNumQueries

from danvan.geo import selectors
from danvan.geo.models import Cluster

pytestmark = pytest.mark.django_db


def test_province_list_gives_34_provinces_by_code() -> None:
    codes = [p.code for p in selectors.province_list()]
    assert len(codes) == 34
    assert codes == sorted(codes)
    assert codes[0] == 1


def test_commune_list_for_province_gives_its_communes_only() -> None:
    communes = list(selectors.commune_list_for_province(1))
    assert len(communes) == 126
    assert {c.province_id for c in communes} == {1}
    assert "Phường Ba Đình" in {c.name for c in communes}


def test_commune_list_for_unknown_or_absurd_province_is_empty() -> None:
    assert not selectors.commune_list_for_province(99).exists()
    assert not selectors.commune_list_for_province(10**30).exists()
    assert selectors.province_get(10**30) is None


@pytest.mark.parametrize("query", ["dong thap", "Đồng Tháp", "ĐỒNG THÁP", "  dong   THAP "])
def test_search_finds_dong_thap_with_or_without_accents(query: str) -> None:
    matches = selectors.unit_search(query)
    assert matches[0].name == "Tỉnh Đồng Tháp"
    assert matches[0].level == "province"
    assert matches[0].province_code == 82


def test_search_for_quan_thanh_finds_no_current_ward_of_that_name() -> None:
    # Phường Quán Thánh was merged into Phường Ba Đình on 2025-07-01; the
    # only current unit whose folded name contains "quan thanh" is a
    # commune of Nghệ An.
    matches = selectors.unit_search("quan thanh")
    assert [(m.name, m.level, m.province_name) for m in matches] == [
        ("Xã Quan Thành", "commune", "Tỉnh Nghệ An")
    ]
    assert selectors.unit_search("Quán Thánh") == matches


def test_search_puts_provinces_first_then_exact_then_prefix_matches() -> None:
    matches = selectors.unit_search("an giang", limit=50)
    assert matches[0].name == "Tỉnh An Giang"
    assert all(m.level == "commune" for m in matches[1:])

    matches = selectors.unit_search("ba dinh", limit=50)
    names = [m.name for m in matches]
    assert names[0] == "Phường Ba Đình"
    exact = [m for m in matches if m.name in ("Phường Ba Đình", "Xã Ba Đình")]
    assert matches[: len(exact)] == exact


def test_search_ranks_word_starts_before_inner_matches() -> None:
    matches = selectors.unit_search("an", limit=50)
    provinces = [m.name for m in matches if m.level == "province"]
    # "Tỉnh An Giang" starts with the word, "Tỉnh Nghệ An" has it as a word,
    # "Thành phố Bắc Ninh" only contains the letters.
    assert provinces.index("Tỉnh An Giang") < provinces.index("Tỉnh Nghệ An")
    assert provinces.index("Tỉnh Nghệ An") < provinces.index("Thành phố Bắc Ninh")


def test_search_respects_limit_and_ignores_one_letter_queries() -> None:
    assert len(selectors.unit_search("an", limit=5)) == 5
    assert selectors.unit_search("a") == []
    assert selectors.unit_search("") == []


def test_search_treats_like_wildcards_literally() -> None:
    assert selectors.unit_search("%%") == []
    assert selectors.unit_search("__") == []


def test_search_costs_at_most_two_queries(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(2):
        selectors.unit_search("thanh", limit=50)


def test_legacy_province_get_gives_the_current_province() -> None:
    found = selectors.legacy_province_get(87)
    assert found is not None
    assert found.unit.name == "Tỉnh Đồng Tháp"
    assert [p.code for p in found.current] == [82]
    assert selectors.legacy_province_get(99) is None


def test_legacy_commune_get_gives_district_province_and_shares() -> None:
    found = selectors.legacy_commune_get(13)
    assert found is not None
    assert found.unit.name == "Phường Quán Thánh"
    assert found.unit.district.name == "Quận Ba Đình"
    assert found.unit.province.name == "Thành phố Hà Nội"
    assert [(s.commune.name, s.is_partial) for s in found.current] == [("Phường Ba Đình", False)]

    split = selectors.legacy_commune_get(19)
    assert split is not None
    assert len(split.current) == 4
    assert all(share.is_partial for share in split.current)
    assert selectors.legacy_commune_get(1) is not None
    assert selectors.legacy_commune_get(999999) is None


def _cluster(code: str, **fields: object) -> Cluster:
    return Cluster.objects.create(code=code, name=code.upper(), **fields)


def test_cluster_get_prefetches_provinces(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    cluster = _cluster("mekong", valid_from=datetime.date(2025, 7, 1))
    cluster.provinces.set([82, 86, 91])

    with django_assert_num_queries(3):
        found = selectors.cluster_get("mekong")
        assert found is not None
        assert sorted(p.code for p in found.provinces.all()) == [82, 86, 91]
        assert list(found.legacy_provinces.all()) == []
    assert selectors.cluster_get("nowhere") is None


def test_cluster_province_codes_follow_the_cluster_dates() -> None:
    cluster = _cluster(
        "mekong", valid_from=datetime.date(2025, 7, 1), valid_to=datetime.date(2030, 12, 31)
    )
    cluster.provinces.set([82, 86])

    assert selectors.cluster_province_codes(cluster, datetime.date(2025, 7, 1)) == {82, 86}
    assert selectors.cluster_province_codes(cluster, datetime.date(2030, 12, 31)) == {82, 86}
    assert selectors.cluster_province_codes(cluster, datetime.date(2025, 6, 30)) == set()
    assert selectors.cluster_province_codes(cluster, datetime.date(2031, 1, 1)) == set()


def test_cluster_of_legacy_provinces_gives_legacy_codes_until_reform_only() -> None:
    cluster = _cluster("mekong-old", valid_to=datetime.date(2025, 6, 30))
    cluster.legacy_provinces.set([82, 87])

    assert selectors.cluster_province_codes(cluster, datetime.date(2020, 1, 1)) == {82, 87}
    assert selectors.cluster_province_codes(cluster, datetime.date(2025, 7, 1)) == set()
    assert selectors.cluster_is_legacy(cluster)


def test_cluster_of_current_provinces_without_start_counts_from_reform() -> None:
    cluster = _cluster("north")
    cluster.provinces.set([1])

    assert selectors.cluster_province_codes(cluster, datetime.date(2025, 6, 30)) == set()
    assert selectors.cluster_province_codes(cluster, datetime.date(2025, 7, 1)) == {1}
    assert not selectors.cluster_is_legacy(cluster)
