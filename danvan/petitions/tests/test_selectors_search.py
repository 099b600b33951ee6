"""The inbox search: whole folded words, the same results by every way of finding them."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.orgs.models import Role
from danvan.petitions import selectors
from danvan.petitions.models import Petition
from danvan.petitions.selectors import InboxFilters, petition_inbox
from danvan.petitions.services import PetitionerInput
from danvan.petitions.tests.factories import OrgTree, make_petition, org_tree, staff_user
from danvan.petitions.workflow import PetitionKind

pytestmark = pytest.mark.django_db

HUNG = PetitionerInput(name="Nguyễn Văn Hùng")
HUNG_JUNIOR = PetitionerInput(name="Nguyễn Văn Hùngg")
DENOUNCER = PetitionerInput(name="Trần Văn Hùng")

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the words index is PostgreSQL's"
)


@pytest.fixture
def tree() -> OrgTree:
    return org_tree()


@pytest.fixture
def reader(tree: OrgTree) -> Any:
    return staff_user(tree.province, Role.HEAD, username="chutich")


@pytest.fixture
def petitions(tree: OrgTree) -> dict[str, Petition]:
    office = tree.inspectorate
    return {
        "pollution": make_petition(
            organization=office,
            title="Ô nhiễm môi trường từ cơ sở chăn nuôi",
            content="Mùi hôi (ô nhiễm) kéo dài; phí xử lý tăng 50% mà không ai kiểm tra.",
        ),
        "name": make_petition(organization=office, title="Xin cấp lại sổ", petitioners=[HUNG]),
        "name_in_text": make_petition(
            organization=office,
            title="Phản ánh về cán bộ ấp",
            content="Ông Nguyễn Văn Hùng, trưởng ấp, chưa trả lời đơn.",
        ),
        "longer_name": make_petition(
            organization=office, title="Xin trích lục hồ sơ", petitioners=[HUNG_JUNIOR]
        ),
        "denunciation": make_petition(
            kind=PetitionKind.DENUNCIATION,
            organization=office,
            title="Tố cáo cán bộ địa chính",
            petitioners=[DENOUNCER],
        ),
    }


def codes(user: Any, query: str, **filters: Any) -> set[str]:
    found = petition_inbox(user, InboxFilters(q=query, **filters))
    return set(found.values_list("code", flat=True))


def test_whole_words_diacritics_and_case_ignored(
    reader: Any, petitions: dict[str, Petition]
) -> None:
    pollution = petitions["pollution"].code
    assert codes(reader, "ô nhiễm") == {pollution}
    assert codes(reader, "O NHIEM  MOI truong") == {pollution}
    assert codes(reader, "nhiem") == {pollution}
    # A piece of a word is not a word.
    assert codes(reader, "nhie") == set()
    assert codes(reader, "moi truon") == set()
    # The words stand together, in the order typed.
    assert codes(reader, "nhiem o") == set()
    assert codes(reader, "o moi") == set()


def test_a_name_matches_where_lists_may_show_it_and_never_a_denouncer(
    reader: Any, petitions: dict[str, Petition]
) -> None:
    named = {petitions["name"].code, petitions["name_in_text"].code}
    # Followed by a comma in the content, last in the search text: both whole.
    assert codes(reader, "Nguyễn Văn Hùng") == named
    assert codes(reader, "nguyen van hung") == named
    assert codes(reader, "guyen van hung") == set()
    assert codes(reader, "nguyen van hungg") == {petitions["longer_name"].code}
    assert codes(reader, "Trần Văn Hùng") == set()
    assert petitions["denunciation"].code in codes(reader, "to cao can bo")


def test_a_code_or_its_parts(reader: Any, petitions: dict[str, Petition]) -> None:
    code = petitions["name"].code  # PA-2026-000002
    prefix, year, number = code.split("-")
    assert codes(reader, code) == {code}
    assert codes(reader, code.lower()) == {code}
    assert codes(reader, number) == {code}
    assert codes(reader, f"{year}-{number}") == {code}
    assert codes(reader, number[:-1]) == set()
    assert len(codes(reader, prefix)) == len(petitions)


def test_punctuation_is_matched_as_typed_and_never_as_a_pattern(
    reader: Any, petitions: dict[str, Petition]
) -> None:
    pollution = petitions["pollution"].code
    assert codes(reader, "50%") == {pollution}
    assert codes(reader, "tăng 50%") == {pollution}
    assert codes(reader, "(ô nhiễm)") == {pollution}
    assert codes(reader, "hoi (o nhiem) keo") == {pollution}
    assert codes(reader, "hoi .o nhiem") == set()
    assert codes(reader, "5.%") == set()
    assert codes(reader, "ô_nhiễm") == set()


def test_a_query_without_a_letter_or_digit_matches_nothing(
    reader: Any, petitions: dict[str, Petition]
) -> None:
    assert codes(reader, "%") == set()
    assert codes(reader, "(.*)") == set()
    # A blank query is no search.
    assert len(codes(reader, "   ")) == len(petitions)


def test_the_search_keeps_to_what_the_user_may_read(
    tree: OrgTree, reader: Any, petitions: dict[str, Petition]
) -> None:
    stranger = staff_user(username="khach")
    assert codes(stranger, "nguyen van hung") == set()
    handler = staff_user(tree.inspectorate, Role.HANDLER, username="xuly")
    assert codes(handler, "nguyen van hung") == {
        petitions["name"].code,
        petitions["name_in_text"].code,
    }
    assert codes(handler, "nguyen van hung", kind=PetitionKind.DENUNCIATION) == set()


def test_the_pattern_reads_the_same_in_python_and_in_the_database() -> None:
    pattern = selectors._pattern("a.b (c) 50% x+y")
    assert re.search(pattern, "… a.b (c) 50% x+y!")
    assert not re.search(pattern, "… axb (c) 50% x+y!")
    assert not re.search(pattern, "za.b (c) 50% x+y")
    assert not re.search(pattern, "a.b (c) 50% x+yz")
    with connection.cursor() as cursor:
        operator = "~" if connection.vendor == "postgresql" else "REGEXP"
        cursor.execute(
            f"SELECT %s {operator} %s, %s {operator} %s",
            ["… a.b (c) 50% x+y!", pattern, "… axb (c) 50% x+y!", pattern],
        )
        assert tuple(bool(value) for value in cursor.fetchone()) == (True, False)


@on_postgresql
@pytest.mark.parametrize(
    ("probe_common", "few"),
    [
        (10**9, 10**6),  # every query through the words index, by ids
        (0, 10**6),  # every query read in the inbox's order
        (10**9, 0),  # through the index, then too many: read in order
    ],
)
def test_every_way_of_finding_gives_the_same_results(
    monkeypatch: pytest.MonkeyPatch,
    reader: Any,
    petitions: dict[str, Petition],
    probe_common: int,
    few: int,
) -> None:
    queries = ["nguyen van hung", "o nhiem", "nhie", "50%", petitions["name"].code, "zzz"]
    expected = {query: codes(reader, query) for query in queries}
    assert expected["nguyen van hung"]
    monkeypatch.setattr(selectors, "SEARCH_PROBE_COMMON", probe_common)
    monkeypatch.setattr(selectors, "SEARCH_FEW_MATCHES", few)
    for query in queries:
        assert codes(reader, query) == expected[query], query
        assert codes(reader, query, ordering="-received") == expected[query], query


@on_postgresql
def test_a_rare_query_is_looked_up_in_the_words_index(
    reader: Any, petitions: dict[str, Petition]
) -> None:
    with CaptureQueriesContext(connection) as queries:
        found = list(petition_inbox(reader, InboxFilters(q="nguyen van hung")))
    assert len(found) == 2
    sql = [query["sql"] for query in queries.captured_queries]
    lookup = [s for s in sql if "regexp_split_to_array" in s]
    assert len(lookup) == 1
    assert "@>" in lookup[0]
    assert any(s.startswith("SET LOCAL work_mem") for s in sql)
    # The page itself is read by the ids found.
    assert '"petitions_petition"."id" IN (' in sql[-1]
