"""Demo reader feedback on the portal's articles: some published, some awaiting moderation.

`demo_reader_feedback(articles)` adds a few feedbacks (invented names and
original Vietnamese text) to the given articles and returns how many it
added; running it again adds nothing (a feedback is recognised by its
article, sender's email and content). The published ones are marked
approved by the demo, with their sender already told (no email is sent).

`demo_article_views(articles)` gives the articles a month of daily view
counts, so that "Xem nhiều nhất" is not empty on a new demo; it adds
nothing to an article that already has counts.
"""

import datetime
from collections.abc import Sequence
from typing import Final

from django.db import transaction
from django.utils import timezone

from danvan.core.formats import today_vn
from danvan.portal.models import ArticlePage, ArticleViewDay, ReaderFeedback

#: (name, email, phone, address, content, published, days ago)
FEEDBACKS: Final[tuple[tuple[str, str, str, str, str, bool, int], ...]] = (
    (
        "Nguyễn Văn Hậu",
        "nguyen.van.hau@example.vn",
        "0918 234 567",
        "Ấp Mỹ Hưng, xã Mỹ Thọ",
        "Bài viết nói đúng điều bà con ấp tôi mong: cán bộ xuống tận nhà lắng nghe, "
        "việc nhỏ giải quyết ngay tại ấp. Mong các xã khác cũng làm như vậy.",
        True,
        6,
    ),
    (
        "Trần Thị Ngọc Hân",
        "ngochan.tran@example.vn",
        "",
        "Phường 2, thành phố Cao Lãnh",
        "Tôi đề nghị đăng thêm số điện thoại đường dây nóng của phường ở cuối bài "
        "để người dân tiện liên hệ khi cần phản ánh.",
        True,
        4,
    ),
    (
        "Lê Minh Tâm",
        "minhtam.le@example.vn",
        "0367 112 908",
        "",
        "Mô hình hay, nhưng ở xóm tôi con đường bê tông làm xong đã hai năm mà mương thoát "
        "nước vẫn chưa có. Mong chính quyền quan tâm.",
        False,
        1,
    ),
    (
        "Phạm Thu Trang",
        "thutrang.pham@example.vn",
        "",
        "",
        "Cảm ơn toà soạn đã viết về những người làm dân vận thầm lặng ở cơ sở. "
        "Đọc xong thấy ấm lòng.",
        True,
        2,
    ),
    (
        "Đỗ Quang Vinh",
        "quangvinh.do@example.vn",
        "0283 845 120",
        "Khu phố 3, phường Tân An",
        "Xin hỏi buổi đối thoại tiếp theo của phường tổ chức vào ngày nào, ở đâu, "
        "để người dân chúng tôi đến dự?",
        False,
        0,
    ),
)


def demo_reader_feedback(articles: Sequence[ArticlePage]) -> int:
    """Add the demo feedback to `articles` (in turn); return how many were added."""
    if not articles:
        return 0
    now = timezone.now()
    added = 0
    with transaction.atomic():
        for index, (name, email, phone, address, content, published, days) in enumerate(FEEDBACKS):
            article = articles[index % len(articles)]
            if ReaderFeedback.objects.filter(
                article=article, email=email, content=content
            ).exists():
                continue
            sent_at = now - datetime.timedelta(days=days, hours=index + 1)
            ReaderFeedback.objects.create(
                article=article,
                name=name,
                email=email,
                phone=phone,
                address=address,
                content=content,
                created_at=sent_at,
                status=(
                    ReaderFeedback.Status.APPROVED if published else ReaderFeedback.Status.PENDING
                ),
                moderated_at=sent_at + datetime.timedelta(hours=3) if published else None,
                sender_notified_at=sent_at + datetime.timedelta(hours=3) if published else None,
            )
            added += 1
    return added


#: Days of demo view counts, and the most views an article gets in a day.
DEMO_VIEW_DAYS: Final = 30
DEMO_VIEWS_TOP: Final = 240


def demo_article_views(articles: Sequence[ArticlePage]) -> int:
    """Give each article without counts a month of daily views; return the rows added.

    The counts fall with the article's rank in `articles` and vary by day
    (a fixed pattern, so that every demo looks the same).
    """
    today = today_vn()
    counted = set(
        ArticleViewDay.objects.filter(article__in=articles).values_list("article_id", flat=True)
    )
    rows = [
        ArticleViewDay(
            article=article,
            day=today - datetime.timedelta(days=back),
            views=max(1, (DEMO_VIEWS_TOP // (rank + 1)) * (7 + (back * 3 + rank) % 5) // 10),
        )
        for rank, article in enumerate(articles)
        if article.pk not in counted
        for back in range(DEMO_VIEW_DAYS)
    ]
    ArticleViewDay.objects.bulk_create(rows)
    return len(rows)
