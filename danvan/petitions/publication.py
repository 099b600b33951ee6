"""Publishing the answer to a feedback or recommendation on the portal.

Only feedback and recommendations are published (TT 05/2021 Art. 6 kinds
that concern public matters); complaints and denunciations never are: a
denouncer's identity and the content that could reveal it are protected
(Luật Tố cáo 2018 Art. 8(3), 47) and a complaint concerns one person's
rights. A petition is published only when its sender agreed on the form
(`publish_consent`), once it is resolved, and only with the title, question
and answer a handler wrote or checked for the portal: the citizen's own
content is never shown, as it may name people (decision 0013). Each
publication and withdrawal is written in the audit trail.
"""

from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.audit import audit_record
from danvan.core.text import fold
from danvan.petitions.models import Petition
from danvan.petitions.workflow import PetitionKind

#: The kinds whose answers may be published.
PUBLISHABLE_KINDS: Final = (PetitionKind.FEEDBACK.value, PetitionKind.RECOMMENDATION.value)
QUESTION_MAX_LENGTH: Final = 5000
ANSWER_MAX_LENGTH: Final = 10000


def petition_publishable(petition: Petition) -> bool:
    """Return whether the answer of `petition` may be published now."""
    return (
        petition.kind in PUBLISHABLE_KINDS
        and petition.publish_consent
        and petition.resolved_on is not None
    )


def public_search_text(*, code: str, title: str, question: str, answer: str) -> str:
    """Return the folded text the public search looks in (the published words only)."""
    return fold(" ".join((code, title, question, answer)))


@transaction.atomic
def petition_publish(
    *, petition: Petition, title: str, question: str, answer: str, actor: Any
) -> Petition:
    """Publish the approved `title`, `question` and `answer` of `petition`."""
    title, question, answer = title.strip(), question.strip(), answer.strip()
    errors: dict[str, Any] = {}
    if not petition_publishable(petition):
        errors["__all__"] = _(
            "Only a resolved feedback or recommendation whose sender agreed can be published."
        )
    if not title:
        errors["public_title"] = _("Write the title to publish.")
    if not question:
        errors["public_question"] = _("Write the question to publish, without personal data.")
    elif len(question) > QUESTION_MAX_LENGTH:
        errors["public_question"] = _("At most %(count)d characters.") % {
            "count": QUESTION_MAX_LENGTH
        }
    if not answer:
        errors["public_answer"] = _("Write the answer to publish.")
    elif len(answer) > ANSWER_MAX_LENGTH:
        errors["public_answer"] = _("At most %(count)d characters.") % {"count": ANSWER_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    petition.public_title = title[: Petition._meta.get_field("public_title").max_length]
    petition.public_question = question
    petition.public_answer = answer
    petition.public_search_text = public_search_text(
        code=petition.code, title=petition.public_title, question=question, answer=answer
    )
    first = petition.published_at is None
    petition.published_at = petition.published_at or timezone.now()
    petition.save(
        update_fields=[
            "public_title",
            "public_question",
            "public_answer",
            "public_search_text",
            "published_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="petition.publish" if first else "petition.publish_edit",
        target=petition,
        data={"code": petition.code},
    )
    return petition


@transaction.atomic
def petition_unpublish(*, petition: Petition, actor: Any) -> Petition:
    """Take the answer of `petition` off the portal (the approved text is kept)."""
    if petition.published_at is None:
        return petition
    petition.published_at = None
    petition.save(update_fields=["published_at", "updated_at"])
    audit_record(
        actor=actor, action="petition.unpublish", target=petition, data={"code": petition.code}
    )
    return petition
