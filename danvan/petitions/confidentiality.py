"""Who may see a petitioner's identity, and the redacted copy everyone else sees.

Luật Tố cáo 2018 Art. 8(1)(a), 9(1)(b), 47 and 56: the identity of a
denouncer (name, address, identity number, contacts, and the handwriting
in the documents they send) is kept secret by those who receive and handle
the denunciation. Here it is shown only to

- the handler the petition is assigned to, and
- a head of the organization that holds the petition, or of a body above it
  (the one who resolves the denunciation, Art. 12–18),

and only while the petition is in that organization. Everybody else,
verification teams, reception officers once the petition has moved on, and
the superuser included, sees `REDACTED`. A denouncer may waive the
protection (`Petitioner.protection_waived`); the waiver is recorded at
intake. Every time a protected identity is shown, `identity_view_record`
writes an audit event.

Petitioners of feedback, recommendations and complaints are not protected
by that law; their identity is personal data shown to the staff who may read
the petition (NĐ 13/2023), and a view of it is recorded as well.
"""

from collections.abc import Iterable
from typing import Any, Final

from django.db.models import QuerySet

from danvan.core.audit import audit_record
from danvan.core.models import AuditEvent
from danvan.orgs.models import Organization, Role
from danvan.orgs.selectors import organization_ids_user_can_read, user_memberships
from danvan.petitions.models import Attachment, Petition, Petitioner
from danvan.petitions.workflow import PetitionKind

#: What a caller who may not see an identity gets in its place.
REDACTED: Final[dict[str, bool]] = {"redacted": True}

#: The audit action of a view of a petitioner's identity.
IDENTITY_VIEW_ACTION: Final = "petition.identity_view"

#: The identity fields of a petitioner, all hidden together.
IDENTITY_FIELDS: Final = ("name", "identity_number", "phone", "email", "address")


def is_protected(petition: Petition, petitioner: Petitioner | None = None) -> bool:
    """Tell whether the identity of `petitioner` (any of them if None) is protected.

    Only a denouncer is protected, unless they waived the protection.
    """
    if petition.kind != PetitionKind.DENUNCIATION:
        return False
    if petitioner is not None:
        return not petitioner.protection_waived
    return any(not person.protection_waived for person in petition.petitioners.all())


def organization_ancestor_ids(organization: Organization) -> list[int]:
    """Return the ids of `organization` and every body above it."""
    ids = []
    current: Organization | None = organization
    seen: set[int] = set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        ids.append(current.pk)
        current = current.parent
    return ids


def may_see_protected_identity(user: Any, petition: Petition) -> bool:
    """Tell whether `user` may see a protected denouncer's identity on `petition`.

    The assigned handler, and a head of the holding organization or of a
    body above it, today. Nobody else, the superuser included.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if petition.assigned_to_id is not None and petition.assigned_to_id == user.pk:
        return True
    if petition.organization is None:
        return False
    return (
        user_memberships(user)
        .filter(
            role=Role.HEAD, organization_id__in=organization_ancestor_ids(petition.organization)
        )
        .exists()
    )


def may_read_petition(user: Any, petition: Petition) -> bool:
    """Tell whether `user` may open `petition` in the staff workspace at all."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if petition.organization_id is None:
        return bool(user.is_superuser)
    # Access follows today's memberships (as `selectors.petitions_visible_to`),
    # read once a request however many petitioners a page asks about.
    readable = organization_ids_user_can_read(user)
    return readable is None or petition.organization_id in readable


def may_see_identity(user: Any, petition: Petition, petitioner: Petitioner) -> bool:
    """Tell whether `user` may see this petitioner's identity on this petition."""
    if is_protected(petition, petitioner):
        return may_see_protected_identity(user, petition)
    return may_read_petition(user, petition)


def identity_view_record(
    *, user: Any, petition: Petition, petitioners: Iterable[Petitioner], where: str
) -> None:
    """Record that `user` was shown the identity of `petitioners` on `petition`."""
    shown = [person.pk for person in petitioners]
    if not shown:
        return
    audit_record(
        actor=user,
        action=IDENTITY_VIEW_ACTION,
        target=petition,
        kind=AuditEvent.Kind.VIEW,
        data={
            "code": petition.code,
            "petitioner_ids": shown,
            "fields": list(IDENTITY_FIELDS),
            "protected": petition.kind == PetitionKind.DENUNCIATION,
            "where": where,
        },
    )


def petitioner_as_dict(petitioner: Petitioner) -> dict[str, Any]:
    """Return a petitioner's identity as the staff views show it."""
    return {
        "name": petitioner.name,
        "identity_number": petitioner.identity_number,
        "phone": petitioner.phone,
        "email": petitioner.email,
        "address": petitioner.address,
        "is_representative": petitioner.is_representative,
        "protection_waived": petitioner.protection_waived,
    }


def petitioners_for_viewer(*, user: Any, petition: Petition, where: str) -> list[dict[str, Any]]:
    """Return the petitioners of `petition` as `user` may see them, recording the view.

    Each petitioner is either its identity (`petitioner_as_dict`) or
    `REDACTED`; the identities shown are recorded in one audit event.
    """
    result: list[dict[str, Any]] = []
    shown: list[Petitioner] = []
    for person in petition.petitioners.all():
        if may_see_identity(user, petition, person):
            result.append(petitioner_as_dict(person))
            shown.append(person)
        else:
            result.append(dict(REDACTED))
    identity_view_record(user=user, petition=petition, petitioners=shown, where=where)
    return result


def attachments_for_viewer(user: Any, petition: Petition) -> QuerySet[Attachment]:
    """Return the attachments of `petition` that `user` may open.

    Documents that may show a protected denouncer's handwriting or identity
    (`Attachment.reveals_identity`) only to those who may see the denouncer.
    """
    attachments = Attachment.objects.filter(petition=petition)
    if not may_read_petition(user, petition):
        return attachments.none()
    if is_protected(petition) and not may_see_protected_identity(user, petition):
        return attachments.filter(reveals_identity=False)
    return attachments


def listed_name(petition: Petition, petitioners: Iterable[Petitioner]) -> str:
    """Return the petitioner name a list row may show: never a protected one.

    Lists and exports show no identity of a denouncer (Art. 47), whoever
    looks; only the case page does, to those allowed. Names of other
    petitioners may appear in the lists of staff who may read the petition.
    """
    people = list(petitioners)
    if petition.is_anonymous or not people:
        return ""
    if petition.kind == PetitionKind.DENUNCIATION:
        return ""
    return people[0].name
