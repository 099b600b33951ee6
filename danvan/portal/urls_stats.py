"""The public statistics, under /thong-ke/ (and /en/thong-ke/)."""

from django.urls import path

from danvan.portal import views_stats

app_name = "portal_stats"

urlpatterns = [
    path("", views_stats.statistics_page, name="stats"),
]
