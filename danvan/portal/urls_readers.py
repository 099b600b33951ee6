"""What readers do on an article, under /ban-doc/ (and /en/ban-doc/).

The pages work without JavaScript; the `khung/` fragments are what the
cached article page fetches; `xem/` is the view counter's beacon.
"""

from django.urls import path

from danvan.portal import views_readers

app_name = "portal_readers"

urlpatterns = [
    path("gui-ban-be/<int:article_id>/", views_readers.share, name="share"),
    path(
        "gui-ban-be/<int:article_id>/khung/", views_readers.share_fragment, name="share_fragment"
    ),
    path("gui-ban-be/<int:article_id>/da-gui/", views_readers.share_sent, name="share_sent"),
    path("phan-hoi/<int:article_id>/", views_readers.feedback_page, name="feedback"),
    path(
        "phan-hoi/<int:article_id>/khung/",
        views_readers.feedback_fragment,
        name="feedback_fragment",
    ),
    path("phan-hoi/<int:article_id>/da-gui/", views_readers.feedback_sent, name="feedback_sent"),
    path("xem/<int:article_id>/", views_readers.view_beacon, name="view"),
]
