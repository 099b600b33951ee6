"""The recognition criteria a province evaluates against.

Criteria are local (legal-rules.md §8: "these criteria are local; encode
them as configurable criteria per province"): a province that has active
`RecognitionCriterion` rows of its own uses those; any other uses the
default set (rows with no province), seeded by the migration
`0002_default_criteria` from the common criteria of §8 and editable by
administrators (the "Recognition criteria" pages of the back-office).
"""

from django.db.models import Exists, Q, QuerySet

from danvan.movements.models import CriterionTarget, RecognitionCriterion


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
