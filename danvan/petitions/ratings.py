"""The citizen's rating of the answer, once the petition is closed.

One rating per closing: after a rating, the citizen may rate again only
once the petition has been reopened and closed anew. A rating may ask to
reopen the case; the handler decides (the request is recorded, not acted
on). Citizens have the right to be informed of and to assess how their
petition was handled (Luật Tiếp công dân 2013 Art. 7; NĐ 20/2008 Art. 14).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from danvan.core.audit import audit_record
from danvan.petitions.models import Petition, PetitionRating
from danvan.petitions.workflow import Status

SCORE_MIN = 1
SCORE_MAX = 5
COMMENT_MAX_LENGTH = 2000


def petition_can_be_rated(petition: Petition) -> bool:
    """Tell whether `petition` is closed and not yet rated since its closing."""
    if petition.status != Status.CLOSED:
        return False
    ratings = PetitionRating.objects.filter(petition=petition)
    if petition.closed_at is not None:
        ratings = ratings.filter(created_at__gte=petition.closed_at)
    return not ratings.exists()


@transaction.atomic
def petition_rate(
    *, petition: Petition, score: int, comment: str = "", reopen_requested: bool = False
) -> PetitionRating:
    """Record the citizen's rating of a closed petition and return it.

    Raise `ValidationError` (field to messages, in the active language) when
    the score is not 1 to 5, the comment is too long, the petition is not
    closed, or it was already rated since it was closed. The audit event
    holds the score and whether a reopening is asked, never the comment (it
    may name people).
    """
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    errors: dict[str, list[str]] = {}
    comment = comment.strip()
    if not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
        errors.setdefault("score", []).append(
            gettext("Choose a score from %(min)d to %(max)d.")
            % {"min": SCORE_MIN, "max": SCORE_MAX}
        )
    if len(comment) > COMMENT_MAX_LENGTH:
        errors.setdefault("comment", []).append(
            gettext("Too long: at most %(max)d characters (%(length)d given).")
            % {"max": COMMENT_MAX_LENGTH, "length": len(comment)}
        )
    if petition.status != Status.CLOSED:
        errors.setdefault("petition", []).append(
            gettext("The petition can be rated once it is closed.")
        )
    elif not petition_can_be_rated(petition):
        errors.setdefault("petition", []).append(
            gettext("You have already rated this answer. It can be rated again if it is reopened.")
        )
    if errors:
        raise ValidationError(errors)
    rating = PetitionRating(
        petition=petition, score=score, comment=comment, reopen_requested=reopen_requested
    )
    rating.full_clean()
    rating.save(force_insert=True)
    audit_record(
        actor=None,
        action="petition.rate",
        target=petition,
        data={
            "code": petition.code,
            "score": score,
            "reopen_requested": reopen_requested,
            "has_comment": bool(comment),
        },
    )
    return rating
