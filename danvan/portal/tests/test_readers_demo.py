"""The demo's reader feedback: some published, some awaiting moderation, added once."""

import pytest

from danvan.demo.portal_readers import FEEDBACKS, demo_reader_feedback
from danvan.portal.models import ReaderFeedback
from danvan.portal.tests.readers_fixtures import make_article

pytestmark = pytest.mark.django_db


def test_demo_feedback_is_added_once() -> None:
    articles = [make_article("Bài một", slug="bai-mot"), make_article("Bài hai", slug="bai-hai")]
    assert demo_reader_feedback(articles) == len(FEEDBACKS)
    assert demo_reader_feedback(articles) == 0
    statuses = set(ReaderFeedback.objects.values_list("status", flat=True))
    assert statuses == {ReaderFeedback.Status.APPROVED, ReaderFeedback.Status.PENDING}
    assert set(ReaderFeedback.objects.values_list("article_id", flat=True)) == {
        a.pk for a in articles
    }
    assert demo_reader_feedback([]) == 0


def test_demo_views_fill_most_viewed_once() -> None:
    from danvan.demo.portal_readers import DEMO_VIEW_DAYS, demo_article_views
    from danvan.portal.models import ArticleViewDay
    from danvan.portal.selectors import most_viewed_articles

    articles = [make_article("Bài một", slug="bai-mot"), make_article("Bài hai", slug="bai-hai")]

    assert demo_article_views(articles) == 2 * DEMO_VIEW_DAYS
    assert demo_article_views(articles) == 0
    assert ArticleViewDay.objects.count() == 2 * DEMO_VIEW_DAYS
    # The first article is read most, over a week and over a month.
    assert [a.pk for a in most_viewed_articles(days=7)] == [a.pk for a in articles]
    assert [a.pk for a in most_viewed_articles(days=30)] == [a.pk for a in articles]
