"""Forms of the movement's back-office pages.

Forms only parse and check input; the services (`registrations`,
`replications`, `communities`, `campaigns`) decide, and their errors are
put back beside the fields (`reception.views_common.service_errors_to_form`).
"""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import FigureField
from danvan.geo.models import Commune, Province
from danvan.movements.models import (
    LONG_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Campaign,
    Community,
    CommunityEventKind,
    CommunityKind,
    Exemplar,
    ExemplarKind,
    MovementField,
    MovementModel,
    RecognitionCriterion,
    RecognitionLevel,
    Registration,
    RegistrationStatus,
    Theme,
)
from danvan.movements.registrations import ResultInput
from danvan.orgs.models import Organization
from danvan.reception.forms import ANY, DATE_WIDGET, OrganizationField, organization_choices

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class NamedChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of provinces or communes shown by their names."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def communes_of(organizations: QuerySet[Organization]) -> QuerySet[Commune]:
    """Return the communes of the provinces `organizations` serve, by name."""
    return Commune.objects.filter(
        province_id__in=organizations.filter(province__isnull=False).values("province_id")
    ).order_by("name")


class RegistrationFilterForm(forms.Form):
    """The filters of the lists of models and exemplars, read from the query string."""

    q = forms.CharField(
        label=_("search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name or registering unit")}),
    )
    field = forms.ChoiceField(
        label=_("field"), required=False, choices=[ANY, *MovementField.choices]
    )
    province = NamedChoiceField(
        label=_("province"),
        required=False,
        queryset=Province.objects.order_by("name"),
        empty_label=ANY[1],
    )
    commune = NamedChoiceField(
        label=_("commune"), required=False, queryset=Commune.objects.none(), empty_label=ANY[1]
    )
    level = forms.ChoiceField(
        label=_("recognition level"), required=False, choices=[ANY, *RecognitionLevel.choices]
    )
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[ANY, *RegistrationStatus.choices]
    )
    year = forms.IntegerField(
        label=_("year registered"), required=False, min_value=2000, max_value=2100
    )

    def __init__(self, *args: Any, communes: QuerySet[Commune], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """Return the keyword arguments of `selectors.registrations_filtered`."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "field": data.get("field", ""),
            "province": data.get("province"),
            "commune": data.get("commune"),
            "level": data.get("level", ""),
            "status": data.get("status", ""),
            "year": data.get("year"),
            "kind": data.get("kind", ""),
            "search": data.get("q", ""),
        }


class ExemplarFilterForm(RegistrationFilterForm):
    """The filters of the list of exemplars: those of models, and the kind."""

    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[ANY, *ExemplarKind.choices])
    field_order = ("q", "kind")


class ResultForm(forms.Form):
    """One result as a figure with its unit."""

    label = forms.CharField(label=_("indicator"), max_length=TEXT_MAX_LENGTH, required=False)
    value = FigureField(label=_("value"), max_digits=16, decimal_places=2, required=False)
    unit = forms.CharField(label=_("unit"), max_length=64, required=False)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        filled = [name for name in ("label", "value", "unit") if data.get(name) not in (None, "")]
        if filled and len(filled) < 3:
            for name in ("label", "value", "unit"):
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("Fill in the indicator, its value and its unit."))
        return data

    def result(self) -> ResultInput | None:
        """Return the result typed, or None for an empty row."""
        data = self.cleaned_data
        if not data.get("label"):
            return None
        return ResultInput(label=data["label"], value=data["value"], unit=data["unit"])


ResultFormSet = forms.formset_factory(ResultForm, extra=3, max_num=20)


class ResultLineForm(ResultForm):
    """One result added later, with the day it was measured."""

    measured_on = forms.DateField(label=_("measured on"), required=False, widget=DATE_WIDGET)

    def result(self) -> ResultInput | None:
        """Return the result typed, or None for an empty row."""
        data = self.cleaned_data
        if not data.get("label"):
            return None
        return ResultInput(
            label=data["label"],
            value=data["value"],
            unit=data["unit"],
            measured_on=data.get("measured_on"),
        )


ResultLineFormSet = forms.formset_factory(ResultLineForm, extra=3, max_num=20)


class ResultCorrectForm(forms.Form):
    """Correct one result: the indicator, the figure, its unit and its day."""

    label = forms.CharField(label=_("indicator"), max_length=TEXT_MAX_LENGTH)
    value = FigureField(label=_("value"), max_digits=16, decimal_places=2)
    unit = forms.CharField(label=_("unit"), max_length=64)
    measured_on = forms.DateField(label=_("measured on"), required=False, widget=DATE_WIDGET)


def results_of(formset: forms.BaseFormSet) -> list[ResultInput]:  # type: ignore[type-arg]
    """Return the filled results of a valid formset."""
    return [r for form in formset.forms if (r := form.result()) is not None]


class RegistrationForm(forms.Form):
    """What models and exemplars share when they are registered."""

    organization = OrganizationField(label=_("registering unit"))
    name = forms.CharField(label=_("name"), max_length=TEXT_MAX_LENGTH)
    field = forms.ChoiceField(label=_("field"), choices=MovementField.choices)
    themes = forms.ModelMultipleChoiceField(
        label=_("themes"),
        required=False,
        queryset=Theme.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    campaign = forms.ModelChoiceField(
        label=_("campaign"), required=False, queryset=Campaign.objects.none()
    )
    commune = NamedChoiceField(
        label=_("commune"),
        required=False,
        queryset=Commune.objects.none(),
        help_text=_("Empty: the commune the unit serves."),
    )
    address = forms.CharField(label=_("address"), max_length=TEXT_MAX_LENGTH, required=False)
    started_on = forms.DateField(label=_("started on"), widget=DATE_WIDGET)
    description = forms.CharField(
        label=_("what it does"), max_length=LONG_TEXT_MAX_LENGTH, widget=TEXTAREA
    )
    people_involved = forms.CharField(
        label=_("people involved"),
        max_length=LONG_TEXT_MAX_LENGTH,
        required=False,
        widget=TEXTAREA,
        help_text=_("Who takes part and how many: members, households, volunteers…"),
    )
    photo = forms.ImageField(label=_("photo"), required=False)
    photo_caption = forms.CharField(
        label=_("caption of the photo"), max_length=TEXT_MAX_LENGTH, required=False
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization_choices(self.fields["organization"], organizations, blank=False)
        self.fields["commune"].queryset = communes_of(organizations)  # type: ignore[attr-defined]
        self.fields["campaign"].queryset = Campaign.objects.order_by(  # type: ignore[attr-defined]
            "-starts_on"
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("photo") and not data.get("photo_caption"):
            self.add_error("photo_caption", _("Say what the photo shows."))
        return data

    def common_kwargs(self) -> dict[str, Any]:
        """Return the keyword arguments the registering services share."""
        data = self.cleaned_data
        organization = data["organization"]
        return {
            "organization": organization,
            "name": data["name"],
            "field": data["field"],
            "themes": list(data["themes"]),
            "campaign": data.get("campaign"),
            "commune": data.get("commune") or organization.commune,
            "address": data["address"],
            "started_on": data["started_on"],
            "description": data["description"],
            "people_involved": data["people_involved"],
        }


class ModelRegistrationForm(RegistrationForm):
    """Register a model (mô hình)."""

    community = forms.ModelChoiceField(
        label=_("community"),
        required=False,
        queryset=Community.objects.none(),
        help_text=_("When the model is a clubhouse or a self-managed group of the registry."),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, organizations=organizations, **kwargs)
        self.fields["community"].queryset = Community.objects.filter(  # type: ignore[attr-defined]
            organization__in=organizations.values("pk")
        ).order_by("name")


class ExemplarRegistrationForm(RegistrationForm):
    """Register an exemplar (điển hình)."""

    kind = forms.ChoiceField(label=_("kind"), choices=ExemplarKind.choices)
    title = forms.CharField(
        label=_("title or position"), max_length=TEXT_MAX_LENGTH, required=False
    )
    field_order = ("organization", "kind", "name", "title")


class _EditMixin:
    """Change a registration's file: what registering asked for, except the
    registering unit (it stays) and the photo (added on the page)."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def _narrow(self, registration: Registration) -> None:
        for name in ("organization", "photo", "photo_caption"):
            del self.fields[name]
        communes = Commune.objects.filter(province_id=registration.province_id).order_by("name")
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]

    def update_kwargs(self, registration: Registration) -> dict[str, Any]:
        """Return the keyword arguments the updating services share."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "field": data["field"],
            "themes": list(data["themes"]),
            "campaign": data.get("campaign"),
            "commune": data.get("commune") or registration.organization.commune,
            "address": data["address"],
            "started_on": data["started_on"],
            "description": data["description"],
            "people_involved": data["people_involved"],
        }


def _initial(registration: Registration, *extra: str) -> dict[str, Any]:
    names = ("name", "field", "campaign", "commune", "address", "started_on", "description")
    initial = {name: getattr(registration, name) for name in (*names, "people_involved", *extra)}
    initial["themes"] = list(registration.themes.values_list("pk", flat=True))
    return initial


class ModelEditForm(_EditMixin, ModelRegistrationForm):
    """Change a model's file."""

    def __init__(self, *args: Any, registration: MovementModel, **kwargs: Any) -> None:
        kwargs.setdefault("initial", _initial(registration, "community"))
        organizations = Organization.objects.filter(pk=registration.organization_id)
        super().__init__(*args, organizations=organizations, **kwargs)
        self._narrow(registration)
        self.fields["community"].queryset = Community.objects.filter(  # type: ignore[attr-defined]
            commune__province_id=registration.province_id
        ).order_by("name")


class ExemplarEditForm(_EditMixin, ExemplarRegistrationForm):
    """Change an exemplar's file."""

    def __init__(self, *args: Any, registration: Exemplar, **kwargs: Any) -> None:
        kwargs.setdefault("initial", _initial(registration, "kind", "title"))
        organizations = Organization.objects.filter(pk=registration.organization_id)
        super().__init__(*args, organizations=organizations, **kwargs)
        self._narrow(registration)


class EvaluationForm(forms.Form):
    """A score for each criterion of the province, and remarks."""

    evaluated_on = forms.DateField(label=_("evaluated on"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("remarks"), max_length=LONG_TEXT_MAX_LENGTH, required=False, widget=TEXTAREA
    )

    def __init__(self, *args: Any, criteria: list[RecognitionCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=criterion.title,
                min_value=0,
                max_value=criterion.max_score,
                help_text=_("From 0 to %(max)d.") % {"max": criterion.max_score},
                widget=forms.NumberInput(attrs={"class": "mv-score"}),
            )

    def scores(self) -> dict[int, int]:
        """Return the score of each criterion, by its id."""
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class DecisionForm(forms.Form):
    """Recognize or renew: the level, the day and the decision's number."""

    level = forms.ChoiceField(label=_("recognition level"), choices=RecognitionLevel.choices)
    decided_on = forms.DateField(label=_("decided on"), widget=DATE_WIDGET)
    decision_number = forms.CharField(
        label=_("decision number"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "125-QĐ/BTGDVTU"}),
    )
    decided_by = OrganizationField(label=_("recognizing body"), required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization_choices(self.fields["decided_by"], organizations)


class ReasonForm(forms.Form):
    """Refuse or screen out, with the reason."""

    reason = forms.CharField(label=_("reason"), max_length=LONG_TEXT_MAX_LENGTH, widget=TEXTAREA)


class ReplicationForm(forms.Form):
    """A unit adopts the model."""

    organization = OrganizationField(label=_("adopting unit"))
    commune = NamedChoiceField(
        label=_("commune"),
        required=False,
        queryset=Commune.objects.none(),
        help_text=_("Empty: the commune the unit serves."),
    )
    started_on = forms.DateField(label=_("started on"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("how it was adapted"),
        max_length=LONG_TEXT_MAX_LENGTH,
        required=False,
        widget=TEXTAREA,
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization_choices(self.fields["organization"], organizations, blank=False)
        self.fields["commune"].queryset = communes_of(organizations)  # type: ignore[attr-defined]


class EvidenceForm(forms.Form):
    """A photo or a document."""

    caption = forms.CharField(label=_("caption"), max_length=TEXT_MAX_LENGTH)
    photo = forms.ImageField(label=_("photo"), required=False)
    document = forms.FileField(label=_("document"), required=False)
    is_public = forms.BooleanField(label=_("show the photo on the portal"), required=False)


class CommunityForm(forms.Form):
    """Register a clubhouse or a self-managed group."""

    organization = OrganizationField(label=_("managing unit"))
    name = forms.CharField(label=_("name"), max_length=TEXT_MAX_LENGTH)
    kind = forms.ChoiceField(label=_("kind"), choices=CommunityKind.choices)
    commune = NamedChoiceField(
        label=_("commune"),
        required=False,
        queryset=Commune.objects.none(),
        help_text=_("Empty: the commune the unit serves."),
    )
    hamlet = forms.CharField(
        label=_("hamlet or neighbourhood"), max_length=TEXT_MAX_LENGTH, required=False
    )
    founded_on = forms.DateField(label=_("founded on"), widget=DATE_WIDGET)
    leader_name = forms.CharField(label=_("leader"), max_length=TEXT_MAX_LENGTH, required=False)
    description = forms.CharField(
        label=_("what it does"), max_length=LONG_TEXT_MAX_LENGTH, required=False, widget=TEXTAREA
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization_choices(self.fields["organization"], organizations, blank=False)
        self.fields["commune"].queryset = communes_of(organizations)  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    """A member of a community."""

    name = forms.CharField(label=_("name"), max_length=TEXT_MAX_LENGTH)
    role = forms.CharField(
        label=_("role in the community"), max_length=TEXT_MAX_LENGTH, required=False
    )
    joined_on = forms.DateField(label=_("joined on"), required=False, widget=DATE_WIDGET)


class EventForm(forms.Form):
    """A meeting or an activity of a community."""

    kind = forms.ChoiceField(label=_("kind"), choices=CommunityEventKind.choices)
    date = forms.DateField(label=_("date"), widget=DATE_WIDGET)
    title = forms.CharField(label=_("subject"), max_length=TEXT_MAX_LENGTH)
    participants = forms.IntegerField(label=_("participants"), min_value=0, initial=0)
    notes = forms.CharField(
        label=_("notes"), max_length=LONG_TEXT_MAX_LENGTH, required=False, widget=TEXTAREA
    )


class CampaignForm(forms.Form):
    """Launch a campaign."""

    organization = OrganizationField(label=_("launched by"))
    name = forms.CharField(label=_("name"), max_length=TEXT_MAX_LENGTH)
    theme = forms.CharField(
        label=_("theme of the year"), max_length=TEXT_MAX_LENGTH, required=False
    )
    province = NamedChoiceField(
        label=_("province"),
        required=False,
        queryset=Province.objects.order_by("name"),
        help_text=_("Empty for a campaign of the whole country."),
    )
    starts_on = forms.DateField(label=_("starts on"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("ends on"), widget=DATE_WIDGET)
    description = forms.CharField(
        label=_("description"), max_length=LONG_TEXT_MAX_LENGTH, required=False, widget=TEXTAREA
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization_choices(self.fields["organization"], organizations, blank=False)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            self.add_error("ends_on", _("The end must not be before the start."))
        return data
