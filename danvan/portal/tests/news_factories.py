"""Builders for the news tests: pictures, published articles, view counts.

The home page and its sections come from migration `portal.0002_site_root`,
as on a fresh installation.
"""

import datetime
import io
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from danvan.core.text import slugify_vi
from danvan.portal.models import ArticlePage, ArticleViewDay, HomePage, SectionPage


@pytest.fixture(autouse=True)
def _empty_page_cache() -> Iterator[None]:
    """Start and end each test with an empty page cache."""
    cache.clear()
    yield
    cache.clear()


def home() -> HomePage:
    return HomePage.objects.get()


def section(slug: str = "cong-tac-dan-van") -> SectionPage:
    return SectionPage.objects.get(slug=slug)


def picture(title: str = "Ảnh", size: tuple[int, int] = (320, 180)) -> Any:
    """Return a saved Wagtail image (a plain PNG)."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (163, 21, 15)).save(buffer, format="PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="anh.png")
    image.save()
    return image


def article(
    parent: SectionPage | None = None,
    *,
    title: str = "Tin dân vận",
    lead: str = "Tóm tắt bài viết.",
    paragraphs: Sequence[str] = ("Nội dung bài viết.",),
    published: datetime.datetime | None = None,
    image: Any = None,
    image_alt: str = "",
    image_caption: str = "",
    source: str = "",
    author: str = "",
    tags: Sequence[str] = (),
    body_images: Sequence[tuple[Any, str, str]] = (),
) -> ArticlePage:
    """Create and publish an article; `published` sets its publication date."""
    parent = parent or section()
    body: list[tuple[str, Any]] = [("paragraph", RichText(f"<p>{p}</p>")) for p in paragraphs]
    for body_image, alt, caption in body_images:
        body_image.contextual_alt_text = alt
        body_image.decorative = False
        body.append(("image", {"image": body_image, "caption": caption}))
    page = ArticlePage(
        title=title,
        slug=slugify_vi(title),
        lead=lead,
        image=image,
        image_alt=image_alt,
        image_caption=image_caption,
        source=source,
        author=author,
    )
    page.body = body
    parent.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    page.save_revision().publish()
    if published is not None:
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=published, last_published_at=published
        )
    page.refresh_from_db()
    return page


def days_ago(days: int, hour: int = 8) -> datetime.datetime:
    return (timezone.now() - datetime.timedelta(days=days)).replace(hour=hour, minute=0)


def views(page: ArticlePage, day: datetime.date, count: int) -> ArticleViewDay:
    return ArticleViewDay.objects.create(article=page, day=day, views=count)


def ensure_portal_tree() -> None:
    """Re-create what migrations made (Wagtail's root, the home page, the sections,
    the news desk) when a transactional test emptied the tables before."""
    import importlib

    from django.apps import apps
    from wagtail.models import Collection, Locale, Page

    if HomePage.objects.exists():
        return
    locale = Locale.objects.first() or Locale.objects.create(language_code="vi")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    for name, function in (
        ("0002_site_root", "create_portal_root"),
        ("0003_news_moderation", "create_news_desk"),
    ):
        module = importlib.import_module(f"danvan.portal.migrations.{name}")
        getattr(module, function)(apps, None)
