"""Forms of the dialogue pages: list filters, plan, notice, minutes, commitments.

Forms only parse and check input; `dialogues` decides (who may organize,
the notice rule, the parties' signatures, the commitments' dates).
"""

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel
from danvan.orgs.selectors import valid_on_q
from danvan.petitions.models import Petition
from danvan.petitions.selectors import petition_get_for_staff
from danvan.reception.dialogues import CommitmentInput, IssueInput, ParticipantInput
from danvan.reception.forms import (
    ANY,
    DATE_WIDGET,
    TIME_WIDGET,
    OrganizationField,
    organization_choices,
)
from danvan.reception.models import (
    CommitmentStatus,
    DialogueKind,
    DialogueStatus,
    ParticipantSide,
    SignatureStatus,
)


class DialogueFilterForm(forms.Form):
    """The filters of the dialogue list, read from the query string."""

    organization = OrganizationField(label=_("organization"), required=False)
    kind = forms.ChoiceField(
        label=_("kind of dialogue"), required=False, choices=[ANY, *DialogueKind.choices]
    )
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[ANY, *DialogueStatus.choices]
    )
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization_choices(self.fields["organization"], organizations)


def fatherland_fronts_for(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """Return the commune Fatherland Front committees of the communes `organizations` serve."""
    return Organization.objects.filter(
        valid_on_q(timezone.localdate()),
        kind=OrganizationKind.FATHERLAND_FRONT,
        level=OrganizationLevel.COMMUNE,
        commune_id__in=organizations.filter(commune__isnull=False).values("commune_id"),
    ).order_by("name")


class DialoguePlanForm(forms.Form):
    """Plan a dialogue: about one complaint, or the commune's annual dialogue."""

    organization = OrganizationField(label=_("organization"))
    kind = forms.ChoiceField(label=_("kind of dialogue"), choices=DialogueKind.choices)
    petition = forms.CharField(
        label=_("code of the complaint"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "PA-2026-000001"}),
        help_text=_("For a dialogue in resolving a complaint."),
    )
    fatherland_front = OrganizationField(
        label=_("Fatherland Front committee"),
        required=False,
        help_text=_("For the annual dialogue: the committee of the same commune."),
    )
    subject = forms.CharField(label=_("subject"), max_length=255)
    date = forms.DateField(label=_("date"), widget=DATE_WIDGET)
    starts_at = forms.TimeField(label=_("start time"), required=False, widget=TIME_WIDGET)
    place = forms.CharField(label=_("place"), max_length=255)
    chair_name = forms.CharField(label=_("chair"), max_length=255)
    chair_title = forms.CharField(label=_("chair's title"), required=False, max_length=255)
    notice_number = forms.CharField(label=_("notice number"), required=False, max_length=50)
    notice_sent_on = forms.DateField(label=_("notice sent on"), required=False, widget=DATE_WIDGET)

    def __init__(
        self, *args: Any, user: Any, organizations: QuerySet[Organization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        organization_choices(self.fields["organization"], organizations, blank=False)
        organization_choices(self.fields["fatherland_front"], fatherland_fronts_for(organizations))

    def clean_petition(self) -> Petition | None:
        code = (self.cleaned_data.get("petition") or "").strip()
        if not code:
            return None
        petition = petition_get_for_staff(self.user, code)
        if petition is None:
            raise forms.ValidationError(
                _("No petition you may open has the code %(code)s."),
                params={"code": code.upper()},
                code="unknown_code",
            )
        return petition

    def service_kwargs(self) -> dict[str, Any]:
        """Return the keyword arguments of `dialogues.dialogue_plan`."""
        data = self.cleaned_data
        complaint = data["kind"] == DialogueKind.COMPLAINT
        return {
            "organization": data["organization"],
            "kind": data["kind"],
            "subject": data["subject"],
            "date": data["date"],
            "starts_at": data.get("starts_at"),
            "place": data["place"],
            "chair_name": data["chair_name"],
            "chair_title": data.get("chair_title") or "",
            "petition": data.get("petition") if complaint else None,
            "fatherland_front": None if complaint else data.get("fatherland_front"),
            "notice_number": data.get("notice_number") or "",
            "notice_sent_on": data.get("notice_sent_on"),
        }


class NoticeForm(forms.Form):
    """The written notice of a planned dialogue."""

    notice_number = forms.CharField(label=_("notice number"), max_length=50)
    notice_sent_on = forms.DateField(label=_("notice sent on"), widget=DATE_WIDGET)


class CancelForm(forms.Form):
    """Cancel, with the reason."""

    reason = forms.CharField(label=_("reason for cancelling"), max_length=255)


class MinutesForm(forms.Form):
    """The conclusion of the minutes of a dialogue held."""

    minutes_summary = forms.CharField(
        label=_("conclusion of the minutes"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ParticipantForm(forms.Form):
    """A party to the dialogue and how they acknowledged the minutes."""

    side = forms.ChoiceField(
        label=_("side"), choices=ParticipantSide.choices, initial=ParticipantSide.CITIZEN
    )
    name = forms.CharField(label=_("name"), max_length=255)
    title = forms.CharField(label=_("title or organization"), required=False, max_length=255)
    signature = forms.ChoiceField(
        label=pgettext_lazy("dialogue", "minutes"),
        choices=[
            (value, label)
            for value, label in SignatureStatus.choices
            if value != SignatureStatus.PENDING
        ],
        initial=SignatureStatus.SIGNED,
    )
    refusal_reason = forms.CharField(
        label=_("reason for refusing to sign"), required=False, max_length=255
    )


class IssueForm(forms.Form):
    """An issue raised in the dialogue and the answer given."""

    raised_by = forms.CharField(label=_("raised by"), required=False, max_length=255)
    question = forms.CharField(label=_("issue"), widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(
        label=_("answer"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    answered_by = forms.CharField(label=_("answered by"), required=False, max_length=255)


class CommitmentForm(forms.Form):
    """A commitment made in the dialogue: a task for an organization."""

    description = forms.CharField(label=_("commitment"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = OrganizationField(label=_("owner organization"))
    due_on = forms.DateField(label=_("due on"), widget=DATE_WIDGET)
    issue = forms.IntegerField(
        label=_("issue number"),
        required=False,
        min_value=1,
        help_text=_("The number of the issue above that it answers, if any."),
    )

    def __init__(self, *args: Any, owners: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization_choices(self.fields["owner"], owners, blank=True)


ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=4, max_num=50)
IssueFormSet = forms.formset_factory(IssueForm, extra=3, max_num=50)
CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=3, max_num=50)


def commitment_owners(organization: Organization) -> QuerySet[Organization]:
    """Return the bodies a dialogue's commitment may fall to: those of its province."""
    today = timezone.localdate()
    owners = Organization.objects.filter(valid_on_q(today))
    if organization.province_id is not None:
        owners = owners.filter(Q(province_id=organization.province_id) | Q(pk=organization.pk))
    return owners.order_by("name")


def filled(formset: Any) -> list[dict[str, Any]]:
    """Return the cleaned data of the forms of `formset` that were filled in."""
    return [form.cleaned_data for form in formset.forms if form.has_changed()]


def held_inputs(
    participants: Any, issues: Any, commitments: Any
) -> tuple[list[ParticipantInput], list[IssueInput], list[CommitmentInput]]:
    """Return the inputs of `dialogues.dialogue_record_held` from its three formsets."""
    return (
        [
            ParticipantInput(
                side=row["side"],
                name=row["name"],
                title=row.get("title") or "",
                signature=row["signature"],
                refusal_reason=row.get("refusal_reason") or "",
            )
            for row in filled(participants)
        ],
        [
            IssueInput(
                question=row["question"],
                answer=row.get("answer") or "",
                raised_by=row.get("raised_by") or "",
                answered_by=row.get("answered_by") or "",
            )
            for row in filled(issues)
        ],
        [
            CommitmentInput(
                description=row["description"],
                owner=row["owner"],
                due_on=row["due_on"],
                issue=row["issue"] - 1 if row.get("issue") else None,
            )
            for row in filled(commitments)
        ],
    )


class CommitmentFilterForm(forms.Form):
    """The filters of the commitments list."""

    owner = OrganizationField(label=_("owner organization"), required=False)
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[ANY, *CommitmentStatus.choices]
    )
    overdue = forms.BooleanField(label=_("overdue only"), required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization_choices(self.fields["owner"], organizations)


class CommitmentUpdateForm(forms.Form):
    """One step of a commitment's follow-up."""

    status = forms.ChoiceField(label=_("status"), choices=CommitmentStatus.choices)
    done_on = forms.DateField(
        label=_("done on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("For a commitment done."),
    )
    note = forms.CharField(
        label=_("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done; the reason when cancelled or reopened."),
    )

    def service_kwargs(self) -> dict[str, Any]:
        """Return the keyword arguments of `dialogues.commitment_update`."""
        data = self.cleaned_data
        done_on: datetime.date | None = data.get("done_on")
        return {"status": data["status"], "note": data.get("note") or "", "done_on": done_on}
