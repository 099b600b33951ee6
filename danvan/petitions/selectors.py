"""Selectors that read petitions."""

from django.db.models import QuerySet

from danvan.petitions import keys
from danvan.petitions.models import CaseEvent, Petition


def petition_get_for_citizen(*, code: str, key: str) -> Petition | None:
    """Return the petition `code` if `key` is its lookup key, else None.

    An unknown code and a wrong key give the same answer after the same
    work (the key is hashed and compared in constant time either way), so
    that the answer does not tell which codes exist.
    """
    petition = Petition.objects.filter(code=code.strip().upper()).first()
    stored = petition.lookup_key_hash if petition is not None else None
    if not keys.lookup_key_matches(key, stored) or petition is None:
        return None
    return petition


def petition_public_history(petition: Petition) -> QuerySet[CaseEvent]:
    """Return the case events of `petition` shown to the citizen, oldest first."""
    return CaseEvent.objects.filter(petition=petition, is_public=True).order_by(
        "occurred_at", "id"
    )
