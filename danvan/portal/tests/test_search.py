"""Article search: diacritics ignored, every word must match, follows published revisions."""

import pytest
from django.test import Client

from danvan.portal import selectors
from danvan.portal.models import ArticlePage
from danvan.portal.tests.news_factories import (
    _empty_page_cache,  # noqa: F401 (autouse fixture)
    article,
    days_ago,
)

pytestmark = pytest.mark.django_db


def test_search_text_is_folded_title_lead_body_and_captions() -> None:
    page = article(
        title="Dân vận khéo ở Đồng Tháp",
        lead="Mô hình TỔ TỰ QUẢN",
        paragraphs=("<b>Đường</b> quê sáng đèn",),
    )
    assert page.search_text == "dan van kheo o dong thap mo hinh to tu quan duong que sang den"


def test_search_ignores_diacritics_and_case_and_needs_every_word() -> None:
    kheo = article(title="Dân vận khéo ở Đồng Tháp")
    article(title="Dân chủ ở cơ sở")
    assert list(selectors.search_articles("dan van kheo")) == [kheo]
    assert list(selectors.search_articles("DÂN VẬN   KHÉO")) == [kheo]
    assert list(selectors.search_articles("dong thap")) == [kheo]
    assert list(selectors.search_articles("dân thap co so")) == []
    assert len(selectors.search_articles("dan")) == 2
    assert list(selectors.search_articles("   ")) == []


def test_search_leaves_out_unpublished_articles() -> None:
    page = article(title="Tin bị gỡ")
    page.unpublish()
    assert list(selectors.search_articles("tin bi go")) == []


def test_publishing_a_revision_updates_the_search_text() -> None:
    page = article(title="Tiêu đề cũ")
    draft = ArticlePage.objects.get(pk=page.pk)
    draft.title = "Tiêu đề mới về cầu nông thôn"
    revision = draft.save_revision()
    # A draft does not change what readers find.
    assert list(selectors.search_articles("cau nong thon")) == []
    revision.publish()
    assert list(selectors.search_articles("cau nong thon")) == [page]
    assert list(selectors.search_articles("tieu de cu")) == []


def test_search_page_lists_matches_newest_first(client: Client) -> None:
    older = article(title="Đối thoại với nhân dân lần một", published=days_ago(5))
    newer = article(title="Đối thoại với nhân dân lần hai", published=days_ago(1))
    article(title="Tin khác")
    response = client.get("/tim-kiem/", {"q": "doi thoai"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert "Tin khác" not in html.split('data-testid="search-results"')[1]
    assert response.context["results"].paginator.count == 2
    assert response.context["query"] == "doi thoai"
    # The search page is never cached (a query string).
    assert "X-Portal-Cache" not in response


def test_search_page_without_words_lists_nothing(client: Client) -> None:
    article(title="Một tin")
    response = client.get("/tim-kiem/", {"q": ""})
    assert response.status_code == 200
    assert response.context["results"] is None


def test_search_page_is_paginated(client: Client) -> None:
    for number in range(14):
        article(title=f"Hội nghị số {number}", published=days_ago(number))
    first = client.get("/tim-kiem/", {"q": "hoi nghi"})
    assert len(first.context["results"].object_list) == 12
    second = client.get("/tim-kiem/", {"q": "hoi nghi", "page": "2"})
    assert [a.title for a in second.context["results"].object_list] == [
        "Hội nghị số 12",
        "Hội nghị số 13",
    ]


def test_search_page_query_count_does_not_grow(
    client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from danvan.portal.tests.news_factories import picture

    article(title="Hội nghị đầu", image=picture(), image_alt="Ảnh hội nghị")
    client.get("/tim-kiem/", {"q": "hoi nghi"})  # warm the menu and the site lookup
    with django_assert_max_num_queries(12) as few:
        client.get("/tim-kiem/", {"q": "hoi nghi"})
    baseline = len(few.captured_queries)
    for number in range(8):
        article(title=f"Hội nghị {number}", image=picture(), image_alt="Ảnh")
    client.get("/tim-kiem/", {"q": "hoi nghi"})
    with django_assert_max_num_queries(baseline):
        response = client.get("/tim-kiem/", {"q": "hoi nghi"})
    assert response.context["results"].paginator.count == 9
