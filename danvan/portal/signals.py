"""Keep the anonymous page cache fresh: any publication, unpublication,
move or deletion of a page drops every cached news page
(`danvan.portal.cache.clear_pages`)."""

from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from danvan.portal.cache import clear_pages


def connect() -> None:
    """Connect the cache's invalidation to Wagtail's page signals."""
    page_published.connect(clear_pages, dispatch_uid="portal_cache_published")
    page_unpublished.connect(clear_pages, dispatch_uid="portal_cache_unpublished")
    post_page_move.connect(clear_pages, dispatch_uid="portal_cache_moved")
    post_delete.connect(_deleted, dispatch_uid="portal_cache_deleted")


def _deleted(sender: type, instance: object, **kwargs: object) -> None:
    if isinstance(instance, Page):
        clear_pages()
