"""A page of a list is read in two steps (`selectors.petitions_window`).

The ids of the window first, then those rows: the page must be exactly the
slice of the list, in its order, whatever the sort and the filters.
"""

from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries

from danvan.orgs.models import Role
from danvan.petitions.selectors import (
    INBOX_ORDERINGS,
    InboxFilters,
    inbox_page,
    petition_inbox,
    petitions_window,
)
from danvan.petitions.tests.factories import OrgTree, make_petition, org_tree, staff_user
from danvan.petitions.workflow import PetitionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> OrgTree:
    return org_tree()


@pytest.fixture
def head(tree: OrgTree) -> Any:
    kinds = [PetitionKind.FEEDBACK, PetitionKind.COMPLAINT, PetitionKind.RECOMMENDATION]
    for index in range(7):
        make_petition(
            kind=kinds[index % 3],
            organization=tree.inspectorate if index % 2 else tree.province,
            title=f"Kiến nghị số {index}",
        )
    return staff_user(tree.province, Role.HEAD, username="lanhdao")


@pytest.mark.parametrize("ordering", sorted(INBOX_ORDERINGS))
@pytest.mark.parametrize("kind", ["", PetitionKind.COMPLAINT])
def test_every_window_is_the_slice_of_the_list(head: Any, ordering: str, kind: str) -> None:
    petitions = petition_inbox(head, InboxFilters(ordering=ordering, kind=kind))
    everything = [petition.code for petition in petitions]
    assert len(everything) == (7 if not kind else 2)
    for offset in range(len(everything) + 1):
        for limit in (1, 3, 26):
            window = petitions_window(petitions, offset=offset, limit=limit)
            assert [p.code for p in window] == everything[offset : offset + limit]


def test_pages_follow_one_another_without_a_gap(head: Any) -> None:
    petitions = petition_inbox(head, InboxFilters())
    first = inbox_page(petitions, number=1, size=3)
    second = inbox_page(petitions, number=2, size=3)
    third = inbox_page(petitions, number=3, size=3)
    assert (first.has_next, second.has_next, third.has_next) == (True, True, False)
    codes = [p.code for page in (first, second, third) for p in page.items]
    assert codes == [p.code for p in petitions]
    assert (third.first_index, third.last_index) == (7, 7)


def test_an_empty_window_costs_one_query(
    head: Any, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    petitions = petition_inbox(head, InboxFilters())
    list(petitions[:1])  # the head's bodies, read once a request
    with django_assert_num_queries(1):
        assert petitions_window(petitions, offset=50, limit=26) == []
    with django_assert_num_queries(2):
        assert len(petitions_window(petitions, offset=0, limit=26)) == 7
