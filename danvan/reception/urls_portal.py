"""The portal's page of leaders' duty days, under /lich-tiep-cong-dan/ (and /en/…)."""

from django.urls import path

from danvan.reception import views_portal

app_name = "reception_portal"

urlpatterns = [
    path("", views_portal.reception_schedule, name="schedule"),
]
