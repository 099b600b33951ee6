"""Reading the news: most viewed (window, order, section), other news, newest per section."""

import datetime

import pytest
from wagtail.models import PageViewRestriction

from danvan.core.formats import today_vn
from danvan.portal import selectors
from danvan.portal.tests.news_factories import (
    _empty_page_cache,  # noqa: F401 (autouse fixture)
    article,
    days_ago,
    home,
    section,
    views,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 21)


def test_most_viewed_sums_the_window_and_orders_by_views() -> None:
    a = article(title="A")
    b = article(title="B")
    c = article(title="C")
    views(a, TODAY, 5)
    views(a, TODAY - datetime.timedelta(days=6), 5)  # first day of a 7-day window
    views(b, TODAY - datetime.timedelta(days=1), 8)
    views(c, TODAY - datetime.timedelta(days=7), 100)  # one day before the window
    views(c, TODAY + datetime.timedelta(days=1), 100)  # after today
    result = selectors.most_viewed_articles(days=7, today=TODAY)
    assert [(x.title, x.views) for x in result] == [("A", 10), ("B", 8)]
    # Over 30 days, C's old views count.
    assert [x.title for x in selectors.most_viewed_articles(days=30, today=TODAY)] == [
        "C",
        "A",
        "B",
    ]


def test_most_viewed_limit_and_section() -> None:
    kheo = section("dan-van-kheo")
    inside = [article(kheo, title=f"K{i}") for i in range(3)]
    outside = article(title="Ngoài")
    for number, page in enumerate(inside, start=1):
        views(page, TODAY, number)
    views(outside, TODAY, 50)
    in_section = selectors.most_viewed_articles(days=30, section=kheo, today=TODAY, limit=2)
    assert [x.title for x in in_section] == ["K2", "K1"]


def test_most_viewed_leaves_out_unpublished_and_private_articles() -> None:
    shown = article(title="Công khai")
    hidden = article(title="Đã gỡ")
    private = article(title="Riêng tư")
    for page in (shown, hidden, private):
        views(page, TODAY, 10)
    hidden.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert [x.title for x in selectors.most_viewed_articles(days=7, today=TODAY)] == ["Công khai"]


def test_most_viewed_defaults_to_vietnams_today() -> None:
    page = article()
    views(page, today_vn(), 3)
    assert selectors.most_viewed_articles(days=1) == [page]


def test_other_articles_are_the_newest_of_the_same_section() -> None:
    current = article(title="Bài đang đọc", published=days_ago(3))
    older = article(title="Cũ", published=days_ago(10))
    newer = article(title="Mới", published=days_ago(1))
    article(section("thong-bao"), title="Mục khác", published=days_ago(0))
    assert selectors.other_articles(current, limit=5) == [newer, older]
    assert selectors.other_articles(current, limit=1) == [newer]


def test_newest_by_section_in_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    first, second = section("cong-tac-dan-van"), section("dan-van-kheo")
    a = [article(first, title=f"A{i}", published=days_ago(i)) for i in range(5)]
    b = [article(second, title=f"B{i}", published=days_ago(i)) for i in range(2)]
    sections = [first, second, section("thong-bao")]
    with django_assert_num_queries(2):  # the view restrictions, then the articles
        result = selectors.newest_articles_by_section(sections, per_section=3)
    assert result[first.pk] == a[:3]
    assert result[second.pk] == b
    assert result[section("thong-bao").pk] == []
    assert home().pk not in result
