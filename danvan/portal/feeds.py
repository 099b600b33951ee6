"""The RSS feed of a news section (`<section URL>rss/`), newest first.

Each item has the article's title, lead, link, publication date and, when
set, its author; the feed reads one query for its articles.
"""

import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Rss201rev2Feed

from danvan.portal import selectors
from danvan.portal.models import ArticlePage, SectionPage

#: Articles in a feed.
FEED_SIZE = 20


class SectionFeed(Feed):
    """RSS 2.0 of one section's newest articles."""

    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> SectionPage:
        self.request = request
        section: SectionPage = kwargs["section"]
        return section

    def title(self, obj: SectionPage) -> str:
        return f"{obj.title} — Dân Vận"

    def link(self, obj: SectionPage) -> str:
        return obj.get_url(request=self.request) or "/"

    def description(self, obj: SectionPage) -> str:
        return obj.intro or obj.title

    def items(self, obj: SectionPage) -> list[ArticlePage]:
        return list(selectors.newest_articles(section=obj, limit=FEED_SIZE))

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.lead

    def item_link(self, item: ArticlePage) -> str:
        return item.get_url(request=self.request) or "/"

    def item_pubdate(self, item: ArticlePage) -> datetime.datetime | None:
        return item.first_published_at

    def item_author_name(self, item: ArticlePage) -> str | None:
        return item.author or None
