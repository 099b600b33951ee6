"""Issuing a conclusion drafts an unpublished article for the portal's editors."""

import datetime
from typing import Any

import pytest

from danvan.briefings import services
from danvan.briefings.tests.factories import AN_GIANG, DONG_THAP, commission, current_cluster
from danvan.core.periods import period_parse
from danvan.portal.briefing_articles import article_slug, briefing_article_draft
from danvan.portal.models import ArticlePage

pytestmark = pytest.mark.django_db


def _concluded(capture: Any) -> Any:
    commission(DONG_THAP)
    commission(AN_GIANG)
    briefing = services.briefing_create(
        actor=None, cluster=current_cluster(), period=period_parse("2026-H1")
    )
    services.meeting_save(
        actor=None,
        briefing=briefing,
        date=datetime.date(2026, 7, 8),
        place="Thành phố Cần Thơ",
        chair="Đồng chí Trưởng ban",
        conclusion="Các tỉnh hoàn thành tốt nhiệm vụ <6 tháng>.",
    )
    services.conclusion_item_add(actor=None, briefing=briefing, text="Nhân rộng mô hình hay.")
    with capture(execute=True):
        services.briefing_conclude(actor=None, briefing=briefing)
    return briefing


def test_the_conclusion_drafts_an_unpublished_article(
    django_capture_on_commit_callbacks: Any,
) -> None:
    briefing = _concluded(django_capture_on_commit_callbacks)
    article = ArticlePage.objects.get(slug=article_slug(briefing))
    assert article.slug == "giao-ban-dbscl-t-2026-h1"
    assert not article.live
    assert article.get_parent().slug == "cong-tac-dan-van"
    assert article.latest_revision is not None
    text = str(article.body)
    assert "Nhân rộng mô hình hay." in text
    assert "&lt;6 tháng&gt;" in text  # the meeting's text is escaped, not markup
    assert "Thành phố Cần Thơ" in article.lead
    # Once per briefing.
    assert briefing_article_draft(briefing).pk == article.pk
    assert ArticlePage.objects.filter(slug=article.slug).count() == 1
