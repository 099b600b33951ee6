"""Launching a campaign: the movement and its yearly theme, by a body, for a
province or (with no province) the whole country.

A provincial commission's reviewers launch campaigns for their province; a
campaign of the whole country needs a central reviewer (`permissions.py`).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from danvan.core.audit import Actor, audit_record
from danvan.geo.models import Province
from danvan.movements import permissions
from danvan.movements.models import LONG_TEXT_MAX_LENGTH, TEXT_MAX_LENGTH, Campaign
from danvan.movements.registrations import Errors, add_error, check_text
from danvan.orgs.models import Organization


@transaction.atomic
def campaign_launch(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    starts_on: object,
    ends_on: object,
    province: Province | None = None,
    theme: str = "",
    description: str = "",
) -> Campaign:
    """Launch a campaign of `organization` for `province` (None: the whole country)."""
    scope = permissions.review_scope(actor)
    allowed = scope.everywhere if province is None else scope.covers(province.pk)
    if not allowed or not permissions.may_act_for(actor, organization):
        raise PermissionDenied(
            gettext("Only a mobilization commission may launch a campaign here.")
        )
    errors: Errors = {}
    name = check_text(errors, "name", name, TEXT_MAX_LENGTH, required=True)
    theme = check_text(errors, "theme", theme, TEXT_MAX_LENGTH)
    description = check_text(errors, "description", description, LONG_TEXT_MAX_LENGTH)
    for field, value in (("starts_on", starts_on), ("ends_on", ends_on)):
        if not isinstance(value, datetime.date):
            add_error(errors, field, gettext("Enter a valid date."))
    if (
        isinstance(starts_on, datetime.date)
        and isinstance(ends_on, datetime.date)
        and ends_on < starts_on
    ):
        add_error(errors, "ends_on", gettext("The end must not be before the start."))
    if errors:
        raise ValidationError(errors)
    assert isinstance(starts_on, datetime.date)  # noqa: S101 (checked above)
    assert isinstance(ends_on, datetime.date)  # noqa: S101 (checked above)
    campaign = Campaign.objects.create(
        organization=organization,
        province=province,
        name=name,
        theme=theme,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit_record(
        actor=actor,
        action="movement.campaign.launch",
        target=campaign,
        data={"province": province.pk if province else None},
    )
    return campaign
