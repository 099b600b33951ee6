"""The public answers on the portal: a searchable list and one answer's page.

Both read through `selectors_public`, which returns only published
feedback and recommendations whose senders agreed, with the text a handler
approved: no page here can show a petitioner or the citizen's own content
(decision 0013).
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from danvan.core.formats import page_date_line
from danvan.petitions import selectors_public
from danvan.petitions.forms_portal import AnswerSearchForm
from danvan.petitions.workflow import PetitionKind


def _search_form(request: HttpRequest) -> AnswerSearchForm:
    communes = [
        (str(c.code), f"{c.name} ({c.province.name})")
        for c in selectors_public.public_answer_communes()
    ]
    categories = selectors_public.public_answer_categories()
    data = request.GET if any(k in request.GET for k in ("q", "commune", "category")) else None
    return AnswerSearchForm(data, communes=communes, categories=categories)


@require_GET
def answer_list(request: HttpRequest) -> HttpResponse:
    """List the published answers, filtered by words, commune and category."""
    form = _search_form(request)
    filters = selectors_public.AnswerFilters()
    if form.is_bound and form.is_valid():
        filters = selectors_public.AnswerFilters(
            query=form.cleaned_data["q"] or "",
            commune=form.cleaned_data["commune"],
            category=form.cleaned_data["category"] or "",
        )
    page = selectors_public.public_answers_page(filters, request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "filters": filters,
        "searched": bool(filters.query or filters.commune or filters.category),
        "query_string": params.urlencode(),
        "kinds": dict(PetitionKind.choices),
    }
    return render(request, "petitions/portal/answers.html", context)


@require_GET
def answer_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show one published answer: the approved question and answer."""
    petition = selectors_public.public_answer_get(code)
    if petition is None:
        raise Http404
    language = get_language() or "vi"
    context = {
        "petition": petition,
        "kind_label": PetitionKind(petition.kind).label,
        "received_line": page_date_line(petition.received_at.date(), language),
        "resolved_line": (
            page_date_line(petition.resolved_on, language) if petition.resolved_on else ""
        ),
    }
    return render(request, "petitions/portal/answer_detail.html", context)
