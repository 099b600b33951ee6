"""A draft news article for the portal's editors when a cluster briefing's
conclusion is issued.

The briefings app sends `briefings.signals.briefing_concluded`; it never
imports the portal, which sits above the domain apps (docs/architecture.md).
This receiver writes an unpublished `ArticlePage` in the section
"cong-tac-dan-van" from the meeting and the conclusion's items: an editor
reviews, adds a picture and publishes it. One draft per briefing (its slug
says which); a missing section means no draft.
"""

from typing import Any

from django.db import transaction
from django.utils.html import escape
from wagtail.rich_text import RichText

from danvan.briefings.models import Briefing
from danvan.briefings.selectors import conclusion_items
from danvan.briefings.signals import briefing_concluded
from danvan.core.periods import Period
from danvan.portal.models import ArticlePage, SectionPage

SECTION_SLUG = "cong-tac-dan-van"


def article_slug(briefing: Briefing) -> str:
    """The draft's slug: "giao-ban-<cluster>-<period>", e.g. giao-ban-dbscl-2026-h1."""
    period = briefing.period_code.lower().replace("..", "-")
    return f"giao-ban-{briefing.cluster.code}-{period}"[:250]


def _paragraphs(briefing: Briefing) -> list[str]:
    period = Period(briefing.period_start, briefing.period_end, briefing.period_code)
    meeting = getattr(briefing, "meeting", None)
    paragraphs = []
    if meeting is not None:
        paragraphs.append(
            f"Ngày {meeting.date:%d/%m/%Y}, tại {meeting.place}, {briefing.cluster.name} tổ chức "
            f"hội nghị giao ban công tác dân vận {period.label()}, do {meeting.chair} chủ trì."
        )
        if meeting.conclusion.strip():
            paragraphs.append(meeting.conclusion.strip())
    items = conclusion_items(briefing)
    if items:
        paragraphs.append("Hội nghị thống nhất các nhiệm vụ trong thời gian tới:")
        paragraphs.extend(f"{item.number}. {item.text}" for item in items)
    return paragraphs


def briefing_article_draft(briefing: Briefing) -> ArticlePage | None:
    """Create the unpublished draft about `briefing`; return it (or the existing one)."""
    section = SectionPage.objects.filter(slug=SECTION_SLUG).first()
    if section is None:
        return None
    slug = article_slug(briefing)
    existing = ArticlePage.objects.child_of(section).filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    period = Period(briefing.period_start, briefing.period_end, briefing.period_code)
    paragraphs = _paragraphs(briefing)
    title = f"Giao ban công tác dân vận {period.label()}: {briefing.cluster.name}"[:255]
    article = ArticlePage(
        title=title,
        slug=slug,
        lead=(paragraphs[0] if paragraphs else title)[:500],
        live=False,
    )
    article.body = [("paragraph", RichText(f"<p>{escape(text)}</p>")) for text in paragraphs]
    with transaction.atomic():
        section.add_child(instance=article)
        article.save_revision()
    return article


def _on_concluded(sender: Any, briefing: Briefing, **kwargs: Any) -> None:
    briefing_article_draft(briefing)


briefing_concluded.connect(_on_concluded, dispatch_uid="portal.briefing_article_draft")
