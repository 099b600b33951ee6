"""The readers' part of the (cached) article page: links, slots, beacon, no CSRF token."""

import pytest
from django.urls import reverse

from danvan.portal.tests.readers_fixtures import (  # noqa: F401 (a fixture)
    article_fixture,
    make_article,
)

pytestmark = pytest.mark.django_db


def test_the_article_page_has_the_readers_part_without_a_form(client, article) -> None:
    response = client.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="article-readers"' in html
    for name in ("share_fragment", "feedback_fragment", "share", "feedback", "view"):
        assert reverse(f"portal_readers:{name}", args=[article.pk]) in html
    assert "csrfmiddlewaretoken" not in html
    assert "js/readers.js" in html
    assert "css/readers.css" in html


def test_an_article_closed_to_feedback_has_no_feedback_part(client) -> None:
    closed = make_article("Thông báo nghỉ lễ", slug="thong-bao-nghi-le", allow_feedback=False)
    html = client.get(closed.url).content.decode()
    assert reverse("portal_readers:feedback", args=[closed.pk]) not in html
    assert reverse("portal_readers:share", args=[closed.pk]) in html


def test_the_readers_pages_answer_in_english_too(client, article) -> None:
    for name in ("share", "feedback", "share_fragment", "feedback_fragment"):
        response = client.get(
            f"/en/ban-doc/{'gui-ban-be' if 'share' in name else 'phan-hoi'}/"
            f"{article.pk}/{'khung/' if 'fragment' in name else ''}"
        )
        assert response.status_code == 200, name
    html = client.get(f"/en/ban-doc/phan-hoi/{article.pk}/").content.decode()
    assert 'lang="en"' in html
    assert f"/en/ban-doc/phan-hoi/{article.pk}/" in html  # the form posts in the same language
