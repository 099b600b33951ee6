"""Selectors that read the news: newest, other news, most viewed, search.

Only live, public articles are ever listed (`ArticlePage.objects.live()
.public()`: a page behind a password or a sign-in never leaks into a list).
The newest come first by `first_published_at` (the date printed on the
article), ties broken by id.

"Xem nhiều nhất" (most viewed) sums `ArticleViewDay.views` over a window
of days ending today (Asia/Ho_Chi_Minh): 7 days on an article page, 30 on
a section page. The counts are written by the task that flushes the
buffered views; this module only reads them.

Search folds the query as `ArticlePage.search_text` is folded (lower case,
no diacritics, `đ→d`: `danvan.core.text.fold`) and keeps the articles whose
folded text holds every word of it, so "dan van kheo" finds "Dân vận khéo".
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Prefetch, QuerySet, Sum, Window
from django.db.models.functions import RowNumber, Substr

from danvan.core.formats import today_vn
from danvan.core.text import fold
from danvan.portal.models import ArticlePage, ArticleViewDay, SectionPage

#: Words of a query beyond this many are ignored (each is a LIKE over the text).
SEARCH_MAX_WORDS = 8
#: Treebeard's path: four characters per level.
_STEP = 4


def live_articles() -> Any:
    """Return the live, public articles with what a list shows, newest first."""
    return (
        ArticlePage.objects.live()
        .public()
        .select_related("image")
        .defer("body", "search_text")
        .order_by(F("first_published_at").desc(nulls_last=True), "-id")
    )


def with_images(articles: Any, *filter_specs: str) -> Any:
    """Prefetch the renditions `filter_specs` of each article's main picture.

    One query for all the pictures' renditions instead of one per picture.
    """
    if not filter_specs:
        return articles
    from wagtail.images import get_image_model

    images = get_image_model().objects.prefetch_renditions(*filter_specs)
    return articles.select_related(None).prefetch_related(Prefetch("image", queryset=images))


def newest_articles(
    *, section: SectionPage | None = None, limit: int = 10
) -> QuerySet[ArticlePage]:
    """Return the newest articles, of one section or of all."""
    articles = live_articles()
    if section is not None:
        articles = articles.child_of(section)
    return articles[:limit]


def newest_articles_by_section(
    sections: Iterable[SectionPage], *, per_section: int = 4, image_specs: tuple[str, ...] = ()
) -> dict[int, list[ArticlePage]]:
    """Return {section id: its newest `per_section` articles}, in one query.

    Articles are numbered within their section (the first `depth * 4`
    characters of their tree path) by a window function, newest first.
    """
    sections = list(sections)
    if not sections:
        return {}
    depth = sections[0].depth
    by_path = {section.path: section.pk for section in sections if section.depth == depth}
    ranked = (
        with_images(live_articles(), *image_specs)
        .filter(depth=depth + 1)
        .annotate(
            section_path=Substr("path", 1, depth * _STEP),
            rank=Window(
                RowNumber(),
                partition_by=[Substr("path", 1, depth * _STEP)],
                order_by=[F("first_published_at").desc(nulls_last=True), F("id").desc()],
            ),
        )
        .filter(rank__lte=per_section, section_path__in=list(by_path))
    )
    result: dict[int, list[ArticlePage]] = {pk: [] for pk in by_path.values()}
    for article in ranked:
        result[by_path[article.section_path]].append(article)
    return result


def other_articles(article: ArticlePage, *, limit: int = 5) -> list[ArticlePage]:
    """Return the newest other articles of the article's section ("Các tin khác")."""
    parent_path = article.path[:-_STEP]
    return list(
        live_articles()
        .filter(path__startswith=parent_path, depth=article.depth)
        .exclude(pk=article.pk)[:limit]
    )


def most_viewed_articles(
    *,
    days: int,
    section: SectionPage | None = None,
    limit: int = 5,
    today: datetime.date | None = None,
) -> list[ArticlePage]:
    """Return the articles most read over the last `days` days, most read first.

    The window is `today - days + 1 … today` (Vietnam's date). Articles
    nobody read in the window are left out; equal counts go to the newer
    article. `article.views` holds the sum.
    """
    today = today or today_vn()
    since = today - datetime.timedelta(days=days - 1)
    articles = live_articles().filter(view_days__day__gte=since, view_days__day__lte=today)
    if section is not None:
        articles = articles.child_of(section)
    articles = (
        articles.annotate(views=Sum("view_days__views"))
        .filter(views__gt=0)
        .order_by("-views", F("first_published_at").desc(nulls_last=True), "-id")
    )
    return list(articles[:limit])


def article_views(article: ArticlePage, *, days: int, today: datetime.date | None = None) -> int:
    """Return how often `article` was read over the last `days` days."""
    today = today or today_vn()
    since = today - datetime.timedelta(days=days - 1)
    total = ArticleViewDay.objects.filter(
        article=article, day__gte=since, day__lte=today
    ).aggregate(total=Sum("views"))["total"]
    return int(total or 0)


def search_words(query: str) -> list[str]:
    """Return the folded, distinct words of `query` (at most `SEARCH_MAX_WORDS`)."""
    words: list[str] = []
    for word in fold(query).split(" "):
        if word and word not in words:
            words.append(word)
    return words[:SEARCH_MAX_WORDS]


def search_articles(query: str) -> QuerySet[ArticlePage]:
    """Return the live, public articles whose text holds every word of `query`.

    An empty query finds nothing (not everything).
    """
    words = search_words(query)
    if not words:
        return ArticlePage.objects.none()
    articles = live_articles()
    for word in words:
        articles = articles.filter(search_text__contains=word)
    return articles
