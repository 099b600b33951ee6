"""Counting article views: the beacon touches no database, the flush adds once."""

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from danvan.portal import counting
from danvan.portal.models import ArticleViewDay
from danvan.portal.tasks import flush_article_views
from danvan.portal.tests.readers_fixtures import (  # noqa: F401 (a fixture)
    article_fixture,
    make_article,
)

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


def _beacon(client: Any, article_id: int, **extra: Any) -> Any:
    headers = {"HTTP_USER_AGENT": BROWSER, "REMOTE_ADDR": "203.0.113.7", **extra}
    return client.post(
        reverse("portal_readers:view", args=[article_id]),
        data=b"v=1",
        content_type="text/plain;charset=UTF-8",
        **headers,
    )


def _flush_twice() -> None:
    # A flush empties the generation closed by the previous one.
    counting.views_flush()
    counting.views_flush()


def _views(article: Any, day: datetime.date | None = None) -> int:
    row = ArticleViewDay.objects.filter(article=article, day=day or timezone.localdate()).first()
    return row.views if row else 0


def test_the_beacon_makes_no_query(client, article, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = _beacon(client, article.pk)
    assert response.status_code == 204
    assert ArticleViewDay.objects.count() == 0


def test_one_count_per_client_and_article_within_30_minutes(client, article) -> None:
    for _n in range(3):
        _beacon(client, article.pk)
    _beacon(client, article.pk, REMOTE_ADDR="203.0.113.8")  # another reader
    _beacon(client, article.pk, HTTP_USER_AGENT=BROWSER + " Edg/131")  # another browser
    _flush_twice()
    assert _views(article) == 3


def test_the_same_client_counts_again_after_30_minutes(client, article, monkeypatch) -> None:
    _beacon(client, article.pk)
    # The memory of the client expires: simulate by forgetting the "seen" key's window.
    seen = [k for k in cache._cache if ":seen:" in k]  # type: ignore[attr-defined]
    assert len(seen) == 1
    for key in seen:
        cache._expire_info[key] = 0  # type: ignore[attr-defined]
    _beacon(client, article.pk)
    _flush_twice()
    assert _views(article) == 2


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0 Safari/537.36",
    ],
)
def test_robots_are_not_counted(client, article, user_agent) -> None:
    assert _beacon(client, article.pk, HTTP_USER_AGENT=user_agent).status_code == 204
    _flush_twice()
    assert _views(article) == 0


def test_a_post_without_the_script_or_from_another_site_is_not_counted(client, article) -> None:
    url = reverse("portal_readers:view", args=[article.pk])
    client.post(url, HTTP_USER_AGENT=BROWSER)  # no body: not the page's script
    _beacon(client, article.pk, HTTP_ORIGIN="https://other.example", REMOTE_ADDR="198.51.100.1")
    _beacon(client, article.pk, HTTP_SEC_FETCH_SITE="cross-site", REMOTE_ADDR="198.51.100.2")
    assert client.get(url).status_code == 405
    _flush_twice()
    assert _views(article) == 0
    _beacon(client, article.pk, HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin")
    _flush_twice()
    assert _views(article) == 1


def test_no_csrf_token_is_needed(article) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert _beacon(strict, article.pk).status_code == 204


def test_the_beacon_is_rate_limited(client, article, settings) -> None:
    settings.PORTAL_VIEW_RATE_LIMIT = "3/h"
    other = make_article("Bài thứ hai", slug="bai-thu-hai")
    statuses = [_beacon(client, pk).status_code for pk in (article.pk, other.pk, 9998, 9999)]
    assert statuses == [204, 204, 204, 429]


def test_the_flush_adds_to_the_day_and_is_safe_twice(client, article) -> None:
    today = timezone.localdate()
    ArticleViewDay.objects.create(article=article, day=today, views=5)
    for n in range(4):
        _beacon(client, article.pk, REMOTE_ADDR=f"192.0.2.{n + 1}")
    counting.views_flush()
    assert _views(article) == 5  # not settled yet: the generation was just closed
    counting.views_flush()
    assert _views(article) == 9
    counting.views_flush()
    counting.views_flush()
    assert _views(article) == 9
    assert ArticleViewDay.objects.filter(article=article).count() == 1


def test_two_overlapping_flushes_count_each_view_once(client, article) -> None:
    for n in range(3):
        _beacon(client, article.pk, REMOTE_ADDR=f"192.0.2.{n + 1}")
    generation = counting.current_generation()
    counting.views_flush()  # closes the generation the views are in
    days = [timezone.localdate()]
    # Two flushes read the same settled generation at once: only one may take each count.
    first = counting.claim_counts(generation, [article.pk], days)
    second = counting.claim_counts(generation, [article.pk], days)
    assert first == {(article.pk, days[0]): 3}
    assert second == {}


def test_views_go_to_the_day_they_happened_in_vietnam(client, article, monkeypatch) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    monkeypatch.setattr(counting.timezone, "localdate", lambda: yesterday)
    _beacon(client, article.pk)
    monkeypatch.undo()
    _flush_twice()
    assert _views(article, yesterday) == 1
    assert _views(article) == 0


def test_views_of_something_else_than_an_article_are_dropped(client, article) -> None:
    _beacon(client, 987654)
    _flush_twice()
    assert ArticleViewDay.objects.count() == 0


def test_the_command_and_the_task(client, article, django_assert_max_num_queries) -> None:
    _beacon(client, article.pk)
    call_command("flush_article_views", verbosity=0)
    with django_assert_max_num_queries(6):
        result = flush_article_views.call()
    assert result["views"] == 1
    assert _views(article) == 1
    call_command("flush_article_views", "--enqueue", verbosity=0)  # runs at once in tests
    assert _views(article) == 1


def test_a_failed_write_puts_the_counts_back(client, article, monkeypatch) -> None:
    _beacon(client, article.pk)
    counting.views_flush()

    def broken(counts: Any) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(counting, "_store", broken)
    with pytest.raises(RuntimeError):
        counting.views_flush()
    monkeypatch.undo()
    _flush_twice()
    assert _views(article) == 1


def test_it_works_with_the_file_cache_of_make_run(client, article, settings, tmp_path) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    for n in range(3):
        _beacon(client, article.pk, REMOTE_ADDR=f"192.0.2.{n + 1}")
    _beacon(client, article.pk, REMOTE_ADDR="192.0.2.1")  # a reload
    generation = counting.current_generation()
    counting.views_flush()
    days = [timezone.localdate()]
    assert counting.claim_counts(generation, [article.pk], days) == {(article.pk, days[0]): 3}
    assert counting.claim_counts(generation, [article.pk], days) == {}
    for n in range(2):
        _beacon(client, article.pk, REMOTE_ADDR=f"192.0.2.{n + 10}")
    _flush_twice()
    assert _views(article) == 2
