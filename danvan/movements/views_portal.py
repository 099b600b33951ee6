"""The portal's showcase of the movement: /mo-hinh-dan-van-kheo/ (and /en/…).

Only recognized models and exemplars are shown, with their public photos
(`Evidence.is_public`; documents never), filtered by field, province, kind
and the year of a recognition, 12 to a page; a model's page shows its
results, its photos and its replications with their reach. Nothing here
names the people involved beyond what the registration's own text says.
"""

from typing import Any, Final

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.geo.models import Province
from danvan.movements.models import (
    Exemplar,
    MovementField,
    MovementModel,
    Recognition,
    Registration,
    Replication,
)
from danvan.movements.replications import model_reach
from danvan.movements.selectors import public_photos, showcase_q
from danvan.reception.views_common import page_number, page_of, query_without_page

#: Cards a page.
PAGE_SIZE: Final = 12
#: The rendition of a card's photo and of the photos of a model's page.
CARD_SPEC: Final = "fill-480x320"
PAGE_SPEC: Final = "max-960x640"

ANY = ("", pgettext_lazy("filter", "All"))


class ProvinceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ShowcaseFilterForm(forms.Form):
    """The filters of the showcase, read from the query string."""

    kind = forms.ChoiceField(
        label=_("Model or exemplar"),
        required=False,
        choices=[ANY, ("model", _("Models")), ("exemplar", _("Exemplars"))],
    )
    field = forms.ChoiceField(
        label=_("Field"), required=False, choices=[ANY, *MovementField.choices]
    )
    province = ProvinceField(
        label=_("Province"),
        required=False,
        queryset=Province.objects.order_by("name"),
        empty_label=pgettext_lazy("province", "Every province"),
    )
    year = forms.IntegerField(
        label=_("Year recognized"), required=False, min_value=2000, max_value=2100
    )


def showcase(request: HttpRequest) -> HttpResponse:
    """List the recognized models and exemplars, newest recognitions first."""
    form = ShowcaseFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = Registration.objects.filter(showcase_q(year=data.get("year")))
    if data.get("kind") == "model":
        rows = rows.filter(movementmodel__isnull=False)
    elif data.get("kind") == "exemplar":
        rows = rows.filter(exemplar__isnull=False)
    if data.get("field"):
        rows = rows.filter(field=data["field"])
    if data.get("province"):
        rows = rows.filter(province=data["province"])
    rows = rows.select_related("organization", "province", "commune", "exemplar").order_by(
        "-recognized_on", "-pk"
    )
    page = page_of(rows, number=page_number(request), size=PAGE_SIZE)
    photos = public_photos([row.pk for row in page.items], CARD_SPEC)
    cards = [
        {
            "row": row,
            "photo": next(iter(photos.get(row.pk, [])), None),
            "exemplar": _exemplar_of(row),
        }
        for row in page.items
    ]
    return render(
        request,
        "movements/portal/showcase.html",
        {"form": form, "page": page, "cards": cards, "query": query_without_page(request)},
    )


def _exemplar_of(row: Registration) -> Exemplar | None:
    try:
        return row.exemplar  # type: ignore[attr-defined, no-any-return]
    except Exemplar.DoesNotExist:
        return None


def registration_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one recognized model (with its replications) or exemplar."""
    row = (
        Registration.objects.filter(showcase_q(), pk=pk)
        .select_related("organization", "province", "commune", "exemplar")
        .first()
    )
    if row is None:
        raise Http404
    model = MovementModel.objects.filter(pk=pk).first()
    context: dict[str, Any] = {
        "row": row,
        "exemplar": _exemplar_of(row),
        "model": model,
        "results": list(row.results.all()),
        "photos": public_photos([pk], PAGE_SPEC).get(pk, []),
        "recognitions": list(Recognition.objects.filter(registration_id=pk)),
    }
    if model is not None:
        context.update(
            replications=list(
                Replication.objects.filter(model_id=pk)
                .select_related("organization", "commune", "province")
                .prefetch_related("results")
            ),
            reach=model_reach(model),
        )
    return render(request, "movements/portal/registration.html", context)
