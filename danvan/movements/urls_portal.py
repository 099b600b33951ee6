"""The portal's showcase of "Dân vận khéo", under /mo-hinh-dan-van-kheo/ (and /en/…)."""

from django.urls import path

from danvan.movements import views_portal

app_name = "movements_portal"

urlpatterns = [
    path("", views_portal.showcase, name="showcase"),
    path("<int:pk>/", views_portal.registration_page, name="model"),
]
