"""Forms of the reception log and visits: filters, a visit, receipts, follow-up.

A visit is entered on one page: the visit's columns (`VisitForm`), the
people who came (`PersonFormSet`), and, for a visit recorded as petition,
the petition part(s) (`PartFormSet`: one, or one per kind for a visit of
several kinds). `visits.visit_record` checks everything together; its
errors named `people[i].field` and `parts[i].field` go beside the field of
the i-th person or part filled in.
"""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.geo.choosers import commune_chooser_viewset
from danvan.geo.models import Commune
from danvan.orgs.models import Organization
from danvan.orgs.selectors import valid_on_q
from danvan.petitions.forms_staff import PlainSelect
from danvan.petitions.services import PetitionPart
from danvan.petitions.workflow import PetitionKind
from danvan.reception.forms import (
    ANY,
    DATE_WIDGET,
    OrganizationField,
    organization_choices,
)
from danvan.reception.models import (
    ReceptionMode,
    ReceptionSchedule,
    RefusalGround,
    ScheduleStatus,
    VisitKind,
    VisitOutcome,
)
from danvan.reception.visits import DocumentCopy, VisitPersonInput

#: How far back a visit may be tied to a leader's duty day.
SCHEDULE_DAYS_BACK = 31


class LogFilterForm(forms.Form):
    """The filters of the reception log, read from the query string."""

    q = forms.CharField(
        label=_("search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Number, summary, name or address")}),
    )
    organization = OrganizationField(label=_("organization"), required=False)
    date_from = forms.DateField(label=_("from"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("to"), required=False, widget=DATE_WIDGET)
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[ANY, *VisitKind.choices])
    outcome = forms.ChoiceField(
        label=_("outcome"), required=False, choices=[ANY, *VisitOutcome.choices]
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization_choices(self.fields["organization"], organizations)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(
                _("The end of the period cannot be before its start."), code="period"
            )
        return data

    def values(self) -> dict[str, Any]:
        """Return the valid filters (none when the form is invalid)."""
        return self.cleaned_data if self.is_bound and self.is_valid() else {}


class ScheduleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A leader's duty day, shown by date, hours and leader's title."""

    widget = PlainSelect

    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.date:%d/%m/%Y} {obj.starts_at:%H:%M}–{obj.ends_at:%H:%M} · "
            f"{obj.leader_title} · {obj.organization.short_name or obj.organization.name}"
        )


class CommuneField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A commune, picked in the commune chooser (3,321 do not fit a select)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.province.name})"


class VisitForm(forms.Form):
    """The columns of one entry of the reception log (Mẫu 03/TCD)."""

    organization = OrganizationField(label=_("organization"))
    received_on = forms.DateField(label=_("date received"), widget=DATE_WIDGET)
    mode = forms.ChoiceField(label=_("mode"), choices=ReceptionMode.choices)
    schedule = ScheduleChoiceField(
        label=_("leader's duty day"),
        required=False,
        queryset=ReceptionSchedule.objects.none(),
        help_text=_("When the citizen was received by the leader on a duty day."),
    )
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "---------"), *VisitKind.choices])
    people_count = forms.IntegerField(
        label=_("number of people with the same content"), min_value=1, initial=1
    )
    summary = forms.CharField(
        label=_("summary of the content"), widget=forms.Textarea(attrs={"rows": 3})
    )
    previously_handled_by = forms.CharField(
        label=_("bodies that already handled it"), required=False, max_length=255
    )
    outcome = forms.ChoiceField(
        label=_("outcome"), choices=[("", "---------"), *VisitOutcome.choices]
    )
    # Guided (column 10).
    guided_to = forms.CharField(label=_("guided to"), required=False, max_length=255)
    guidance_document_number = forms.CharField(
        label=_("guidance document number"), required=False, max_length=50
    )
    # Transferred (column 11).
    accepted_by = OrganizationField(label=_("accepted by"), required=False)
    transfer_document_number = forms.CharField(
        label=_("transfer document number"), required=False, max_length=50
    )
    # Refused.
    refusal_ground = forms.ChoiceField(
        label=_("refusal ground"),
        required=False,
        choices=[("", "---------"), *RefusalGround.choices],
    )
    # Recorded as petition.
    commune = CommuneField(
        label=_("commune"),
        required=False,
        queryset=Commune.objects.select_related("province"),
        widget=commune_chooser_viewset.widget_class(),
        help_text=_("The commune the petition concerns; by default the one the body serves."),
    )
    is_signed = forms.BooleanField(label=_("signed or finger-printed"), required=False)
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    #: The fields shown only for one outcome (the page's script hides the others).
    OUTCOME_FIELDS: dict[str, tuple[str, ...]] = {
        VisitOutcome.GUIDED: ("guided_to", "guidance_document_number"),
        VisitOutcome.TRANSFERRED: ("accepted_by", "transfer_document_number"),
        VisitOutcome.REFUSED: ("refusal_ground",),
        VisitOutcome.RECORDED: ("commune", "is_signed"),
    }

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        organization_choices(self.fields["organization"], organizations, blank=False)
        organization_choices(
            self.fields["accepted_by"], Organization.objects.filter(valid_on_q(today))
        )
        self.fields["schedule"].queryset = (  # type: ignore[attr-defined]
            ReceptionSchedule.objects.filter(
                organization__in=organizations.values("pk"),
                date__gte=today - datetime.timedelta(days=SCHEDULE_DAYS_BACK),
                date__lte=today,
            )
            .exclude(status=ScheduleStatus.CANCELLED)
            .select_related("organization")
            .order_by("-date", "starts_at")
        )
        self.fields["received_on"].initial = today

    def outcome_of(self, name: str) -> str:
        """Return the outcome a field belongs to ("" when shown for every outcome)."""
        for outcome, names in self.OUTCOME_FIELDS.items():
            if name in names:
                return str(outcome)
        return ""

    def service_kwargs(self) -> dict[str, Any]:
        """Return the keyword arguments of `visit_record`, except people and parts."""
        data = self.cleaned_data
        outcome = data["outcome"]
        commune = data.get("commune")
        return {
            "organization": data["organization"],
            "received_on": data["received_on"],
            "mode": data["mode"],
            "schedule": data.get("schedule"),
            "kind": data["kind"],
            "people_count": data["people_count"],
            "summary": data["summary"],
            "previously_handled_by": data.get("previously_handled_by") or "",
            "outcome": outcome,
            "guided_to": (data.get("guided_to") or "") if outcome == VisitOutcome.GUIDED else "",
            "guidance_document_number": (data.get("guidance_document_number") or "")
            if outcome == VisitOutcome.GUIDED
            else "",
            "accepted_by": data.get("accepted_by")
            if outcome == VisitOutcome.TRANSFERRED
            else None,
            "transfer_document_number": (data.get("transfer_document_number") or "")
            if outcome == VisitOutcome.TRANSFERRED
            else "",
            "refusal_ground": (data.get("refusal_ground") or "")
            if outcome == VisitOutcome.REFUSED
            else "",
            "commune_code": commune.code
            if commune is not None and outcome == VisitOutcome.RECORDED
            else None,
            "is_signed": bool(data.get("is_signed")) and outcome == VisitOutcome.RECORDED,
            "notes": data.get("notes") or "",
        }


class PersonForm(forms.Form):
    """A citizen who came (columns 3 and 4 of the log)."""

    name = forms.CharField(label=_("full name"), max_length=255)
    address = forms.CharField(label=_("address"), required=False, max_length=255)
    identity_document = forms.CharField(
        label=_("identity document"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "CCCD 082123456789"}),
    )
    phone = forms.CharField(label=_("phone"), required=False, max_length=20)
    email = forms.EmailField(label=_("email"), required=False)
    is_representative = forms.BooleanField(label=_("representative"), required=False)
    protection_waived = forms.BooleanField(
        label=_("waives the protection of their identity"), required=False
    )


class PartForm(forms.Form):
    """One petition the visit brings; a visit of several kinds has one per kind."""

    kind = forms.ChoiceField(
        label=_("kind"),
        required=False,
        choices=[("", _("Same as the visit")), *PetitionKind.choices],
    )
    title = forms.CharField(label=_("title"), max_length=255)
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.CharField(label=_("category"), required=False, max_length=100)


PersonFormSet = forms.formset_factory(PersonForm, extra=3, max_num=50)
PartFormSet = forms.formset_factory(PartForm, extra=3, max_num=4)


def filled(formset: Any) -> list[dict[str, Any]]:
    """Return the cleaned data of the forms of `formset` that were filled in."""
    return [form.cleaned_data for form in formset.forms if form.has_changed()]


def people_inputs(formset: Any) -> list[VisitPersonInput]:
    """Return `visit_record`'s people from the people formset."""
    return [
        VisitPersonInput(
            name=row["name"],
            address=row.get("address") or "",
            identity_document=row.get("identity_document") or "",
            phone=row.get("phone") or "",
            email=row.get("email") or "",
            is_representative=bool(row.get("is_representative")),
            protection_waived=bool(row.get("protection_waived")),
        )
        for row in filled(formset)
    ]


def part_inputs(formset: Any, *, kind: str, outcome: str) -> list[PetitionPart]:
    """Return `visit_record`'s parts (none unless the visit is recorded as petition).

    A part without a kind takes the visit's kind (for a visit of one kind).
    """
    if outcome != VisitOutcome.RECORDED:
        return []
    parts = []
    for row in filled(formset):
        part_kind = row.get("kind") or (kind if kind != VisitKind.MIXED else "")
        parts.append(
            PetitionPart(
                kind=PetitionKind(part_kind) if part_kind else part_kind,  # type: ignore[arg-type]
                title=row["title"],
                content=row["content"],
                category=row.get("category") or "",
            )
        )
    return parts


class FollowUpForm(forms.Form):
    """Columns 12 and 13: the follow-up of the result, and notes."""

    result_follow_up = forms.CharField(
        label=_("follow-up of the result"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RefusalNoticeForm(forms.Form):
    """The written refusal notice (Mẫu 01/TCD) sent for a refused visit."""

    number = forms.CharField(label=_("refusal notice number"), max_length=50)
    sent_on = forms.DateField(label=_("refusal notice sent on"), widget=DATE_WIDGET)


class ReceiptForm(forms.Form):
    """Who handed the documents over."""

    handed_over_by = forms.CharField(label=_("handed over by"), max_length=255)


class DocumentForm(forms.Form):
    """One document handed over."""

    title = forms.CharField(label=_("document"), max_length=255)
    pages = forms.IntegerField(label=_("pages"), min_value=1, initial=1)
    copy = forms.ChoiceField(
        label=_("original or copy"), choices=DocumentCopy.choices, initial=DocumentCopy.ORIGINAL
    )


DocumentFormSet = forms.formset_factory(DocumentForm, extra=3, max_num=100)


def document_inputs(formset: Any) -> list[dict[str, Any]]:
    """Return `receipt_issue`'s documents from the documents formset."""
    return [
        {"title": row["title"], "pages": row["pages"], "copy": row["copy"]}
        for row in filled(formset)
    ]
