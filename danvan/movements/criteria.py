"""The recognition criteria a province evaluates against, and its pass mark.

Criteria are local (legal-rules.md §8: "these criteria are local; encode
them as configurable criteria per province"): a province that has active
`RecognitionCriterion` rows of its own uses those; any other uses the
default set (rows with no province), seeded by the migration
`0002_default_criteria` from the common criteria of §8 and editable by
administrators (the "Recognition criteria" pages of the back-office).

The pass mark (the share of the maximum an evaluation must reach) belongs
to the same local rubric: §8 knows no national scoring rubric
(UNCONFIRMED). A province with a `RecognitionRule` row of its own uses its
mark; any other the default row (no province), seeded at 70 % by the
migration `0005_default_pass_mark` and edited on the "Pass marks" pages.
"""

from typing import Final

from django.db.models import Exists, F, Q, QuerySet

from danvan.movements.models import CriterionTarget, RecognitionCriterion, RecognitionRule

#: The mark the migration seeds as the default row; used only if that row
#: is missing (the back-office does not let it be deleted).
FALLBACK_PASS_PERCENT: Final = 70


def criteria_for(
    province_id: int | None, *, target: str = "model"
) -> QuerySet[RecognitionCriterion]:
    """Return the criteria in use for a model (`target="model"`) or an
    exemplar (`"exemplar"`) of the province, in order (one query when read).

    The province's own active criteria when it has any, else the default set.
    """
    active = RecognitionCriterion.objects.filter(
        Q(target=CriterionTarget.BOTH) | Q(target=target), is_active=True
    )
    defaults = active.filter(province__isnull=True)
    if province_id is None:
        return defaults.order_by("order", "pk")
    own = active.filter(province_id=province_id)
    return active.filter(
        Q(province_id=province_id) | (Q(province__isnull=True) & ~Exists(own))
    ).order_by("order", "pk")


def pass_percent_for(province_id: int | None) -> int:
    """Return the pass mark of the province, in percent (one query).

    The province's own `RecognitionRule` when it has one, else the default
    row, else `FALLBACK_PASS_PERCENT`.
    """
    rules = RecognitionRule.objects.filter(province__isnull=True)
    if province_id is not None:
        rules = RecognitionRule.objects.filter(
            Q(province_id=province_id) | Q(province__isnull=True)
        )
    mark = (
        rules.order_by(F("province").asc(nulls_last=True))
        .values_list("pass_percent", flat=True)
        .first()
    )
    return FALLBACK_PASS_PERCENT if mark is None else int(mark)
