"""The portal in the Wagtail back-office: moderating reader feedback.

The queue lives under `/admin/reader-feedback/` (URL names
`portal_moderation:*`); Wagtail checks that the user may enter the
back-office, the views check `portal.change_readerfeedback`. The menu item
"Reader feedback" carries the number awaiting moderation as a badge (read
from the cache, `feedback.pending_count`, so the menu adds no query to
every back-office page). The whole menu is itself kept a minute per user
(docs/decisions/0014-cached-admin-sidebar.md), so the badge may lag by up
to a minute; the queue's own counts are always current.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem

from danvan.portal import feedback, views_moderation

moderation_urlpatterns = [
    path("", views_moderation.QueueView.as_view(), name="queue"),
    path("moderate/", views_moderation.moderate, name="moderate"),
]


@hooks.register("register_admin_urls")
def register_moderation_urls() -> list[Any]:
    """Mount the feedback queue under `/admin/reader-feedback/`."""
    return [
        path(
            "reader-feedback/",
            include((moderation_urlpatterns, "portal_moderation"), namespace="portal_moderation"),
        )
    ]


class FeedbackMenuItem(MenuItem):
    """ "Reader feedback", with the pending count as a badge; shown to moderators."""

    def is_shown(self, request: HttpRequest) -> bool:
        return feedback.may_moderate(request.user)

    def render_component(self, request: HttpRequest) -> LinkMenuItem:
        # Menu items are shared between requests: build the badge per request.
        count = feedback.pending_count()
        attrs = dict(self.attrs)
        if count:
            attrs["data-dv-badge"] = str(count) if count < 1000 else "999+"
            attrs["title"] = gettext("%(count)d awaiting moderation") % {"count": count}
        return LinkMenuItem(
            self.name,
            self.label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=attrs,
        )


@hooks.register("register_admin_menu_item")
def register_feedback_menu() -> FeedbackMenuItem:
    """Add "Reader feedback" to the back-office menu."""
    return FeedbackMenuItem(
        _("Reader feedback"),
        reverse("portal_moderation:queue"),
        name="reader-feedback",
        icon_name="comment",
        order=260,
    )


@hooks.register("insert_global_admin_css")
def feedback_badge_css() -> str:
    """Draw the pending count over the menu item's icon, as Wagtail draws its own badges."""
    return format_html(
        "<style>{}</style>",
        "a[data-dv-badge] { position: relative; } "
        "a[data-dv-badge]::after { content: attr(data-dv-badge); position: absolute; "
        "left: 1.9rem; top: .35rem; min-width: 1.3em; padding: 0 .3em; border-radius: 1em; "
        "background: #d64541; color: #fff; font-size: .7rem; font-weight: 700; "
        "line-height: 1.3em; text-align: center; pointer-events: none; }",
    )
