"""The citizen's petition pages, under /phan-anh-kien-nghi/ (and /en/…)."""

from django.urls import path

from danvan.petitions import views_portal, views_public

app_name = "petitions_portal"

urlpatterns = [
    path("gui/", views_portal.petition_file, name="file"),
    path("da-gui/", views_portal.petition_filed, name="filed"),
    path("tra-cuu/", views_portal.petition_lookup, name="lookup"),
    path("danh-gia/", views_portal.petition_rating, name="rating"),
    path("tra-loi/", views_public.answer_list, name="answers"),
    path("tra-loi/<str:code>/", views_public.answer_detail, name="answer"),
]
