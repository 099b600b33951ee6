"""The demo news: original articles with drawn pictures, loaded once."""

import pytest

from danvan.demo.portal import ARTICLES, CLUSTER_RESULTS, load_portal
from danvan.portal.models import ArticlePage
from danvan.portal.tests.news_factories import _empty_page_cache  # noqa: F401 (autouse fixture)

pytestmark = pytest.mark.django_db


def test_demo_news_loads_once_with_pictures_alt_texts_and_captions() -> None:
    articles = load_portal()
    assert len(articles) == len(ARTICLES) == 7
    assert len(load_portal()) == 7
    assert ArticlePage.objects.count() == 7  # the second run added nothing
    for page in articles:
        assert page.live
        assert page.image_id
        assert page.image_alt
        assert page.image_caption
        assert page.tags.exists()
        assert page.search_text
    assert len({p.first_published_at.date() for p in articles}) == 7
    assert [p.source for p in articles if p.source] == ["Báo Đồng Tháp"]


def test_demo_has_the_cluster_briefing_with_every_member_province() -> None:
    load_portal()
    briefing = ArticlePage.objects.get(slug="cum-thi-dua-dbscl-so-ket-6-thang")
    text = briefing.body_text()
    for province, *_ in CLUSTER_RESULTS:
        assert province in text
    assert ArticlePage.objects.filter(tags__name="Dân vận khéo").count() >= 2
