"""The public portal: news pages (Wagtail) and what readers do with them.

Pages: `HomePage` (one per site) → `SectionPage` (a news section, e.g.
"Công tác dân vận") → `ArticlePage`. Editors write in the Wagtail admin;
drafts, revisions, scheduled publication and the moderation workflow
(an editor writes, a head approves) are Wagtail's.

Readers: `ReaderFeedback` (Phản hồi, held for moderation; only the name
and date are ever shown publicly) and `ArticleViewDay` (views counted per
article and day, written by the task worker from a buffer, never by the
request that is counted). Sending an article to a friend stores nothing.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from danvan.core.text import fold

TEXT_MAX_LENGTH = 255
LEAD_MAX_LENGTH = 600
FEEDBACK_MAX_LENGTH = 3000
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "blockquote"]
#: The path of the search page under the home page, and of a section's RSS feed.
SEARCH_SLUG = "tim-kiem"
FEED_SLUG = "rss"


class CacheablePageMixin:
    """Mark the page's own answers as safe for the anonymous page cache.

    Wagtail answers a page behind a password or a sign-in before
    `serve` runs; only what `serve` itself answers is marked, so such
    pages are never cached (`danvan.portal.cache`).
    """

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().serve(request, *args, **kwargs)  # type: ignore[misc]
        response.portal_cacheable = True  # type: ignore[attr-defined]
        return response


class CaptionedImageBlock(blocks.StructBlock):
    """A picture in an article's body, with its alternative text and caption.

    `ImageBlock` asks the editor for the alternative text (or to mark the
    picture decorative), so every picture has one (WCAG 2.1 SC 1.1.1).
    """

    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(required=False, max_length=TEXT_MAX_LENGTH, label=_("Caption"))

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "portal/blocks/captioned_image.html"


class HomePage(CacheablePageMixin, Page):
    """The portal's home page: the newest articles of every section.

    Its sub-path `tim-kiem/` is the article search (`?q=`).
    """

    intro = RichTextField(
        blank=True, features=["bold", "italic", "link"], verbose_name=_("Introduction")
    )

    content_panels: ClassVar = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    subpage_types: ClassVar = ["portal.SectionPage"]

    class Meta:
        verbose_name = _("Home page")
        verbose_name_plural = _("Home pages")

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        if path_components == [SEARCH_SLUG] and self.live:
            return RouteResult(self, kwargs={"search": True})
        return super().route(request, path_components)

    def serve(
        self, request: HttpRequest, *args: Any, search: bool = False, **kwargs: Any
    ) -> HttpResponse:
        if search:
            from danvan.portal.views_pages import search_page

            return search_page(request, self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from danvan.portal.views_pages import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(request, self))
        return context


class SectionPage(CacheablePageMixin, Page):
    """A news section, e.g. "Công tác dân vận" or "Dân vận khéo".

    Its sub-path `rss/` is the section's RSS feed.
    """

    intro = models.TextField(
        blank=True, max_length=LEAD_MAX_LENGTH, verbose_name=_("Introduction")
    )

    content_panels: ClassVar = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar = ["portal.HomePage"]
    subpage_types: ClassVar = ["portal.ArticlePage"]

    class Meta:
        verbose_name = _("News section")
        verbose_name_plural = _("News sections")

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        if path_components == [FEED_SLUG] and self.live:
            return RouteResult(self, kwargs={"feed": True})
        return super().route(request, path_components)

    def serve(
        self, request: HttpRequest, *args: Any, feed: bool = False, **kwargs: Any
    ) -> HttpResponse:
        if feed:
            from danvan.portal.feeds import SectionFeed

            response = SectionFeed()(request, section=self)
            response.portal_cacheable = True  # type: ignore[attr-defined]
            return response
        return super().serve(request, *args, **kwargs)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from danvan.portal.views_pages import section_context

        context = super().get_context(request, *args, **kwargs)
        context.update(section_context(request, self))
        return context


class ArticleTag(TaggedItemBase):
    """The tags of an article."""

    content_object = ParentalKey(
        "portal.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(CacheablePageMixin, Page):
    """A news article: title, lead, picture with caption, body, author, source.

    `source` is the newspaper an article comes from, shown as
    "(Báo Đồng Tháp)" under the body; blank for the portal's own articles.
    `search_text` holds the title, lead and body folded (no diacritics,
    lower case) so that search finds "dan van kheo" in "Dân vận khéo".
    """

    lead = models.TextField(max_length=LEAD_MAX_LENGTH, verbose_name=_("Lead"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Main picture"),
    )
    image_alt = models.CharField(
        max_length=TEXT_MAX_LENGTH,
        blank=True,
        verbose_name=_("Alternative text of the main picture"),
        help_text=_(
            "What the picture shows, for readers who cannot see it. Required with a picture."
        ),
    )
    image_caption = models.CharField(
        max_length=TEXT_MAX_LENGTH, blank=True, verbose_name=_("Caption of the main picture")
    )
    body = StreamField(
        [
            ("paragraph", blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Paragraph"))),
            ("image", CaptionedImageBlock()),
        ],
        verbose_name=_("Body"),
    )
    author = models.CharField(max_length=120, blank=True, verbose_name=_("Author"))
    source = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("Source"),
        help_text=_(
            'The newspaper the article comes from, e.g. "Báo Đồng Tháp"; blank for our own.'
        ),
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("Tags"))
    allow_feedback = models.BooleanField(default=True, verbose_name=_("Readers may send feedback"))
    search_text = models.TextField(blank=True, editable=False)

    content_panels: ClassVar = [
        *Page.content_panels,
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_alt"), FieldPanel("image_caption")],
            heading=_("Main picture"),
        ),
        FieldPanel("body"),
        FieldPanel("author"),
        FieldPanel("source"),
        FieldPanel("tags"),
        FieldPanel("allow_feedback"),
    ]
    search_fields: ClassVar = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("first_published_at"),
    ]
    parent_page_types: ClassVar = ["portal.SectionPage"]
    subpage_types: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("Article")
        verbose_name_plural = _("Articles")

    def clean(self) -> None:
        """Refuse a main picture without its alternative text (WCAG 2.1 SC 1.1.1)."""
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Describe the picture for readers who cannot see it.")}
            )

    def body_text(self) -> str:
        """Return the body as plain text: the paragraphs and the captions."""
        parts: list[str] = []
        for block in self.body:
            if block.block_type == "paragraph":
                parts.append(strip_tags(block.value.source))
            elif block.block_type == "image":
                parts.append(block.value.get("caption") or "")
        return " ".join(part for part in parts if part)

    def compute_search_text(self) -> str:
        """Return the folded title, lead and body that search looks in."""
        return fold(" ".join((self.title, self.lead, self.body_text())))

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Fold the text for search on every save of the content.

        Publishing a revision saves the page from the revision's content,
        so the live page's search text follows what is published.
        """
        update_fields = kwargs.get("update_fields")
        content_fields = {"title", "lead", "body"}
        if update_fields is None or content_fields & set(update_fields):
            self.search_text = self.compute_search_text()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from danvan.portal.views_pages import article_context

        context = super().get_context(request, *args, **kwargs)
        context.update(article_context(request, self))
        return context


class ReaderFeedback(models.Model):
    """A reader's feedback on an article (Phản hồi), held for moderation.

    The sender's email, phone and address are for the editors only: the
    public page shows the name and the date of approved feedback, nothing
    else. The content is plain text, escaped on output.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Published")
        REJECTED = "rejected", _("Rejected")

    article = models.ForeignKey(
        ArticlePage,
        on_delete=models.CASCADE,
        related_name="reader_feedback",
        verbose_name=_("Article"),
    )
    name = models.CharField(max_length=120, verbose_name=_("Name"))
    email = models.EmailField(verbose_name=_("Email"))
    phone = models.CharField(max_length=20, blank=True, verbose_name=_("Phone"))
    address = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True, verbose_name=_("Address"))
    content = models.TextField(max_length=FEEDBACK_MAX_LENGTH, verbose_name=_("Content"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, verbose_name=_("Status")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("Sent at"))
    moderated_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Moderated at"))
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Moderated by"),
    )
    rejection_reason = models.CharField(
        max_length=TEXT_MAX_LENGTH, blank=True, verbose_name=_("Reason for rejection")
    )
    sender_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Reader feedback")
        verbose_name_plural = _("Reader feedback")
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [
            models.Index(
                fields=["article", "status", "created_at"], name="portal_feedback_article"
            ),
            models.Index(fields=["status", "created_at"], name="portal_feedback_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.article_id}"


class ArticleViewDay(models.Model):
    """How many times an article was read on one day (Asia/Ho_Chi_Minh).

    Written only by the task that flushes the buffered counts, so a page
    view costs no database write; "most viewed" sums these rows.
    """

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Article views per day")
        verbose_name_plural = _("Article views per day")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["article", "day"], name="portal_article_view_day_unique"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["day", "article"], name="portal_view_day")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}: {self.views}"
