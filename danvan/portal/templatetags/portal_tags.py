"""Template tags of the portal's look: the news sections of the menu, the
language links, Vietnamese publication dates and absolute URLs for the
Open Graph tags."""

from typing import Any

from django import template
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import timezone
from django.utils.translation import get_language

from danvan.core.formats import WEEKDAYS_EN, WEEKDAYS_VI
from danvan.portal.cache import generation

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_sections(context: dict[str, Any]) -> list[dict[str, str]]:
    """Return the live news sections for the menu: [{"title", "url"}].

    Read once per generation of the page cache (a publication changes
    it), so a page usually reads no query for its menu.
    """
    request: HttpRequest | None = context.get("request")
    key = f"portal:nav:{generation()}:{get_language()}"
    sections = cache.get(key)
    if sections is None:
        from danvan.portal.models import HomePage, SectionPage

        home = HomePage.objects.live().order_by("path").first()
        sections = []
        if home is not None:
            for section in SectionPage.objects.child_of(home).live().public().order_by("path"):
                url = section.get_url(request=request)
                if url:
                    sections.append({"title": section.title, "url": url})
        cache.set(key, sections, 3600)
    return sections


@register.simple_tag(takes_context=True)
def language_url(context: dict[str, Any], language: str) -> str:
    """Return this page's address in `language` (links, no form: nothing to post)."""
    request: HttpRequest | None = context.get("request")
    path = request.path if request is not None else "/"
    return translate_url(path, language)


@register.filter
def vi_datetime(value: Any) -> str:
    """Format a moment as "Thứ Sáu, 21/6/2024 08:30" in Vietnam's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value)
    weekdays = WEEKDAYS_EN if (get_language() or "vi").startswith("en") else WEEKDAYS_VI
    return (
        f"{weekdays[local.weekday()]}, {local.day}/{local.month}/{local.year} "
        f"{local.hour:02d}:{local.minute:02d}"
    )


@register.filter
def vi_date(value: Any) -> str:
    """Format a moment as "21/6/2024" in Vietnam's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local.day}/{local.month}/{local.year}"


@register.simple_tag(takes_context=True)
def absolute_url(context: dict[str, Any], url: str) -> str:
    """Return `url` made absolute with the request's scheme and host."""
    request: HttpRequest | None = context.get("request")
    if not url or request is None or url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url)
