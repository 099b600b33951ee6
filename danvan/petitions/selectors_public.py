"""What the portal reads of the petitions: the published answers.

A petition is listed only when it is a feedback or a recommendation, its
sender agreed, and a handler published it (`publication`): the same three
conditions are in every query here, so that a withdrawn consent or a
complaint can never appear. Only the approved public text is read
(`PUBLIC_FIELDS`): never the citizen's content, the petitioners or the
address. The search looks in the folded published words only, so that it
cannot reveal words of the private content. Lists are paginated by the
partial index `petition_published_idx`.
"""

from dataclasses import dataclass
from typing import Final

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from danvan.core.text import fold
from danvan.geo.models import Commune
from danvan.petitions.models import Petition
from danvan.petitions.publication import PUBLISHABLE_KINDS

PAGE_SIZE: Final = 20
QUERY_MAX_LENGTH: Final = 100

#: The only columns of a petition a public page reads.
PUBLIC_FIELDS: Final = (
    "id",
    "code",
    "kind",
    "category",
    "commune",
    "organization",
    "public_title",
    "public_question",
    "public_answer",
    "published_at",
    "received_at",
    "resolved_on",
)


def public_answers() -> QuerySet[Petition]:
    """Return the published answers, newest first, with their public columns only."""
    return (
        Petition.objects.filter(
            published_at__isnull=False,
            publish_consent=True,
            kind__in=PUBLISHABLE_KINDS,
        )
        .select_related("commune__province", "organization")
        .only(
            *PUBLIC_FIELDS,
            "commune__code",
            "commune__name",
            "commune__province__code",
            "commune__province__name",
            "organization__name",
        )
        .order_by("-published_at", "-id")
    )


@dataclass(frozen=True, slots=True)
class AnswerFilters:
    """What the citizen searched for: words, a commune code, a category."""

    query: str = ""
    commune: int | None = None
    category: str = ""


def public_answers_filtered(filters: AnswerFilters) -> QuerySet[Petition]:
    """Return the published answers matching `filters` (every word of the query)."""
    answers = public_answers()
    for word in fold(filters.query[:QUERY_MAX_LENGTH]).split():
        answers = answers.filter(public_search_text__contains=word)
    if filters.commune is not None:
        answers = answers.filter(commune_id=filters.commune)
    if filters.category:
        answers = answers.filter(category=filters.category)
    return answers


def public_answers_page(filters: AnswerFilters, number: str | int | None) -> Page:
    """Return one page of the matching answers (a wrong number gives the nearest page)."""
    return Paginator(public_answers_filtered(filters), PAGE_SIZE).get_page(number)


def public_answer_get(code: str) -> Petition | None:
    """Return the published answer with `code`, or None."""
    return public_answers().filter(code=str(code).strip().upper()).first()


def public_answer_communes() -> list[Commune]:
    """Return the communes that have published answers, by name (for the filter)."""
    ids = public_answers().order_by().values_list("commune_id", flat=True).distinct()
    return list(
        Commune.objects.filter(code__in=ids)
        .select_related("province")
        .only("code", "name", "province__name")
        .order_by("name")
    )


def public_answer_categories() -> list[str]:
    """Return the categories of the published answers, the most used first."""
    rows = (
        public_answers()
        .exclude(category="")
        .order_by()
        .values("category")
        .annotate(count=Count("id"))
        .order_by("-count", "category")
    )
    return [row["category"] for row in rows]
