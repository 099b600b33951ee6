"""What the news pages show: the context of the home, section and article
pages, and the search page (`/tim-kiem/?q=`).

The pages are Wagtail's (`danvan.portal.models`); their `get_context`
calls the functions here, which read through `danvan.portal.selectors`.
Every list reads a fixed number of queries, however many articles there
are: pictures and their renditions are prefetched in one query each.
"""

from typing import Any

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from danvan.portal import selectors
from danvan.portal.models import ArticlePage, HomePage, SectionPage

#: Articles per page of a section and of the search results.
PAGE_SIZE = 12
#: The newest articles of each section on the home page (the first with its picture).
HOME_PER_SECTION = 4
#: "Xem nhiều nhất": the window in days and how many are listed.
MOST_VIEWED_DAYS_ARTICLE = 7
MOST_VIEWED_DAYS_SECTION = 30
MOST_VIEWED_LIMIT = 5
#: "Các tin khác": how many other articles of the section.
OTHER_NEWS_LIMIT = 6

#: Rendition specs, prefetched for the lists that show them.
THUMB_SPECS = ("fill-320x180", "fill-640x360")
LEAD_SPECS = ("fill-480x270", "fill-800x450", "fill-1200x675")


def _page_of(request: HttpRequest, items: Any) -> Any:
    """Return the requested page of `items` (the first or last one for bad numbers)."""
    paginator = Paginator(items, PAGE_SIZE)
    number = request.GET.get("page", "1")
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def home_context(request: HttpRequest, home: HomePage) -> dict[str, Any]:
    """The sections with their newest articles, the lead article, the most viewed."""
    sections = list(SectionPage.objects.child_of(home).live().public().specific())
    by_section = selectors.newest_articles_by_section(
        sections, per_section=HOME_PER_SECTION, image_specs=THUMB_SPECS
    )
    lead_article = selectors.with_images(selectors.live_articles(), *LEAD_SPECS).first()
    blocks = [
        {
            "section": section,
            "articles": [a for a in by_section.get(section.pk, []) if a != lead_article],
        }
        for section in sections
    ]
    return {
        "lead_article": lead_article,
        "section_blocks": [block for block in blocks if block["articles"]],
        "most_viewed": selectors.most_viewed_articles(
            days=MOST_VIEWED_DAYS_ARTICLE, limit=MOST_VIEWED_LIMIT
        ),
        "most_viewed_days": MOST_VIEWED_DAYS_ARTICLE,
    }


def section_context(request: HttpRequest, section: SectionPage) -> dict[str, Any]:
    """A page of the section's articles, newest first, and its most viewed of 30 days."""
    articles = selectors.with_images(selectors.live_articles().child_of(section), *THUMB_SPECS)
    return {
        "articles": _page_of(request, articles),
        "most_viewed": selectors.most_viewed_articles(
            days=MOST_VIEWED_DAYS_SECTION, section=section, limit=MOST_VIEWED_LIMIT
        ),
        "most_viewed_days": MOST_VIEWED_DAYS_SECTION,
    }


def article_context(request: HttpRequest, article: ArticlePage) -> dict[str, Any]:
    """The section, the other news of the section and the most viewed of 7 days."""
    return {
        "section": article.get_parent().specific,
        "other_news": selectors.other_articles(article, limit=OTHER_NEWS_LIMIT),
        "most_viewed": selectors.most_viewed_articles(
            days=MOST_VIEWED_DAYS_ARTICLE, limit=MOST_VIEWED_LIMIT
        ),
        "most_viewed_days": MOST_VIEWED_DAYS_ARTICLE,
        "tags": list(article.tags.all()),
    }


def search_page(request: HttpRequest, home: HomePage) -> HttpResponse:
    """Search the articles (`?q=`), diacritics ignored; a page of results."""
    query = request.GET.get("q", "").strip()[:200]
    results = None
    if selectors.search_words(query):
        results = _page_of(
            request, selectors.with_images(selectors.search_articles(query), *THUMB_SPECS)
        )
    return TemplateResponse(
        request,
        "portal/search_page.html",
        {"page": home, "self": home, "query": query, "search_query": query, "results": results},
    )
