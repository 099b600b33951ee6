"""Forms of the staff workspace: inbox filters, steps, intake, dashboard period.

Forms only parse and check input; the services decide (`handling`,
`services`). A step form is built per step (`step_form`) with the fields
that step needs, so the case page offers one form per allowed step.
"""

import datetime
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.geo.choosers import commune_chooser_viewset
from danvan.geo.models import Commune
from danvan.orgs.models import Membership, Organization
from danvan.orgs.selectors import (
    organizations_user_acts_for,
    organizations_user_can_read,
    user_memberships,
    valid_on_q,
)
from danvan.petitions import handling
from danvan.petitions.answer_templates import answer_drafts
from danvan.petitions.handling import ACTING_ROLES
from danvan.petitions.models import Channel, IneligibilityReason, Petition
from danvan.petitions.selectors import InboxFilters
from danvan.petitions.workflow import Action, PetitionKind, Status

PAGE_SIZE = 25

#: Channels an officer enters on a citizen's behalf (the portal and the API
#: are the citizen's own).
STAFF_CHANNELS: tuple[Channel, ...] = (
    Channel.IN_PERSON,
    Channel.PAPER,
    Channel.PHONE,
    Channel.EMAIL,
    Channel.HOTLINE,
)

_ANY = ("", pgettext_lazy("filter", "All"))


def _valid_today() -> Q:
    return valid_on_q(timezone.localdate())


def user_communes(user: Any) -> QuerySet[Commune]:
    """Return the communes of the provinces of the bodies `user` reads."""
    if user.is_superuser:
        return Commune.objects.select_related("province").order_by("province__code", "name")
    provinces = organizations_user_can_read(user).values("province_id")
    return (
        Commune.objects.filter(province_id__in=provinces)
        .select_related("province")
        .order_by("province__code", "name")
    )


class PlainSelect(forms.Select):
    """A select rendered in one pass, without a template per option.

    Django renders each option through a template (about 40 µs each): the
    filters of the inbox and the list of assignees are drawn in one string.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = "" if value in (None, "") else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), mark_safe(" selected") if str(key) == selected else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


def commune_label(commune: Commune) -> str:
    """Return a commune's name with its province: names repeat between provinces."""
    return f"{commune.name} ({commune.province.name})"


class CommuneChooser(commune_chooser_viewset.widget_class):  # type: ignore[misc,name-defined]
    """The commune chooser: a button that opens a dialog with a search.

    3,321 communes do not fit a `<select>` (they were 0.2 s of the inbox of
    a superuser): the page holds only the chosen commune, shown without a
    query when the form already holds it (`known`). `province` opens the
    dialog on that province's communes (the user may clear it).
    """

    show_edit_link = False
    clear_choice_text = _("Clear")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: A commune the form has already read (with its province), by its code.
        self.known: Commune | None = None
        self.province: int | None = None

    def get_chooser_modal_url(self) -> str:
        url: str = super().get_chooser_modal_url()
        return f"{url}?province={self.province}" if self.province else url

    def get_instance(self, value: Any) -> Commune | None:
        if value is None or value == "" or isinstance(value, Commune):
            return value or None
        if self.known is not None and str(value) == str(self.known.pk):
            return self.known
        try:
            code = int(value)
        except (TypeError, ValueError):
            return None  # a hand-made query string: the field shows its error
        return Commune.objects.select_related("province").filter(pk=code).first()

    def get_value_data_from_instance(self, instance: Commune) -> dict[str, Any]:
        # No edit link: communes are loaded, not edited (and the URL finder
        # would ask for permissions).
        return {"id": instance.pk, "edit_url": "", "title": commune_label(instance)}


class CommuneChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A commune chosen in the commune chooser, among those of `queryset`.

    A commune outside `queryset` (the user's provinces) is a form error.
    """

    widget = CommuneChooser

    def label_from_instance(self, obj: Any) -> str:
        return commune_label(obj)

    def to_python(self, value: Any) -> Commune | None:
        commune: Commune | None = super().to_python(value)
        # The widget shows the commune the field has just read.
        self.widget.known = commune  # type: ignore[attr-defined]
        return commune


class InboxFilterForm(forms.Form):
    """The filters of the inbox, read from the query string.

    Its page is the most visited of the back-office: no field renders more
    than a few options (the commune is chosen in a dialog), and the selects
    are drawn in one pass.
    """

    q = forms.CharField(
        label=pgettext_lazy("inbox", "Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Code, title, content or name: whole words")}
        ),
    )
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[_ANY, *PetitionKind.choices], widget=PlainSelect
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[_ANY, ("open", pgettext_lazy("inbox status", "Open")), *Status.choices],
        widget=PlainSelect,
    )
    channel = forms.ChoiceField(
        label=_("channel"), required=False, choices=[_ANY, *Channel.choices], widget=PlainSelect
    )
    category = forms.CharField(label=_("category"), required=False)
    commune = CommuneChoiceField(
        label=_("commune"), required=False, queryset=Commune.objects.none()
    )
    due = forms.ChoiceField(
        label=pgettext_lazy("inbox", "Time limit"),
        required=False,
        choices=[
            _ANY,
            ("soon", pgettext_lazy("due state", "Due soon")),
            ("overdue", pgettext_lazy("due state", "Overdue")),
        ],
        widget=PlainSelect,
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    sort = forms.ChoiceField(
        label=pgettext_lazy("inbox", "Sort by"),
        required=False,
        choices=[
            ("due", _("Due date, earliest first")),
            ("-due", _("Due date, latest first")),
            ("-received", _("Received, newest first")),
            ("received", _("Received, oldest first")),
        ],
        widget=PlainSelect,
    )

    def __init__(self, *args: Any, user: Any, province: int | None = None, **kwargs: Any) -> None:
        """`province`: the province the commune dialog opens on (the user's own)."""
        super().__init__(*args, **kwargs)
        commune = self.fields["commune"]
        commune.widget.province = province  # type: ignore[attr-defined]
        if self.is_bound and self.data.get(self.add_prefix("commune")):
            # Only a chosen commune needs the user's provinces (their query
            # takes a millisecond to build: not on every page).
            commune.queryset = user_communes(user)  # type: ignore[attr-defined]

    def filters(self) -> InboxFilters:
        """Return the selector's filters; invalid values are ignored (and
        shown as errors next to their fields), the valid ones still apply."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        commune = data.get("commune")
        return InboxFilters(
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            channel=data.get("channel") or "",
            category=(data.get("category") or "").strip(),
            commune=commune.pk if commune is not None else None,
            due=data.get("due") or "",
            assigned_to_me=bool(data.get("mine")),
            q=data.get("q") or "",
            ordering=data.get("sort") or "due",
        )


def _user_label(user: Any) -> str:
    full = f"{user.last_name} {user.first_name}".strip()
    return f"{full} ({user.username})" if full else user.username


class FetchedChoiceIterator(ModelChoiceIterator):
    """The choices of a short list, read by one plain query.

    Django reads model choices with `iterator()`, which on PostgreSQL opens a
    server-side cursor (DECLARE, FETCH, CLOSE): three round trips for a few
    dozen users.
    """

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A user shown by full name (family name first) and username."""

    iterator = FetchedChoiceIterator

    def label_from_instance(self, obj: Any) -> str:
        return _user_label(obj)


def assignable_users(organizations: QuerySet[Organization] | list[int]) -> QuerySet[Any]:
    """Return the active users who may be assigned petitions of `organizations`."""
    members = Membership.objects.filter(
        _valid_today(),
        organization__in=organizations,
        role__in=sorted(handling.ASSIGNABLE_ROLES),
    ).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=members, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


class BulkAssignForm(forms.Form):
    """Assign the petitions ticked in the inbox to one user."""

    codes = forms.MultipleChoiceField(label=_("petitions"), required=True)
    assignee = UserChoiceField(
        label=_("assign to"), queryset=get_user_model().objects.none(), widget=PlainSelect
    )

    def __init__(self, *args: Any, codes: list[str], users: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [(code, code) for code in codes]  # type: ignore[attr-defined]
        self.fields["assignee"].queryset = users  # type: ignore[attr-defined]


class OrganizationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An organization valid today, posted by its code."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class StepForm(forms.Form):
    """The fields every step has: a note and whether the citizen sees it."""

    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(label=_("shown to the citizen"), required=False, initial=True)

    action: str = ""
    #: The step's fields other than note and is_public, for the template.
    extra_fields: tuple[str, ...] = ()

    def __init__(
        self, *args: Any, petition: Petition, user: Any, action: str, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.petition = petition
        self.user = user
        self.action = action
        # What the step is about first (an answer template before the answer
        # it fills), then the note, the date of the decision, and whether the
        # citizen sees it.
        self.order_fields(
            [*(name for name in self.extra_fields if name != "on_date"), "note", "on_date"]
        )

    def perform_kwargs(self) -> dict[str, Any]:
        """Return the keyword arguments of `handling.petition_perform`."""
        return {
            "note": self.cleaned_data.get("note", ""),
            "is_public": bool(self.cleaned_data.get("is_public")),
        }

    def step_label(self) -> str:
        """Return the label of the step, for the button and the heading."""
        return str(STEP_LABELS.get(self.action, self.action))


class OrganizationStepForm(StepForm):
    """Route or transfer: the organization that is to hold the petition."""

    organization = OrganizationChoiceField(
        label=_("organization"),
        queryset=Organization.objects.none(),
        to_field_name="code",
    )
    extra_fields = ("organization",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            _valid_today()
        ).order_by("name")

    def perform_kwargs(self) -> dict[str, Any]:
        return {**super().perform_kwargs(), "organization": self.cleaned_data["organization"].code}


class AssignStepForm(StepForm):
    """Assign the petition to a user of the holding organization."""

    assignee = UserChoiceField(label=_("assign to"), queryset=get_user_model().objects.none())
    extra_fields = ("assignee",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [self.petition.organization_id] if self.petition.organization_id else []
        self.fields["assignee"].queryset = assignable_users(ids)  # type: ignore[attr-defined]
        self.fields["assignee"].initial = self.petition.assigned_to_id

    def perform_kwargs(self) -> dict[str, Any]:
        return {**super().perform_kwargs(), "assignee": self.cleaned_data["assignee"]}


class ClassifyStepForm(StepForm):
    """Eligible, or not with a reason; category and the clock flags."""

    reason = forms.ChoiceField(
        label=_("eligibility"),
        required=False,
        choices=[("", _("Eligible: to be handled")), *IneligibilityReason.choices],
    )
    category = forms.CharField(label=_("category"), required=False, max_length=100)
    is_complex = forms.BooleanField(label=_("complex case"), required=False)
    is_especially_complex = forms.BooleanField(
        label=_("especially complex case"),
        required=False,
        help_text=_("A denunciation may then be extended twice (Luật Tố cáo 2018 Art. 30)."),
    )
    is_remote = forms.BooleanField(label=_("remote area"), required=False)
    extra_fields = ("reason", "category", "is_complex", "is_especially_complex", "is_remote")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].initial = self.petition.category
        self.fields["is_complex"].initial = self.petition.is_complex
        self.fields["is_especially_complex"].initial = self.petition.is_especially_complex
        self.fields["is_remote"].initial = self.petition.is_remote
        self.fields["is_public"].initial = False

    def perform_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "note": data.get("note", ""),
            "reason": data.get("reason") or "",
            "category": (data.get("category") or "").strip(),
            "is_complex": bool(data.get("is_complex")),
            "is_especially_complex": bool(data.get("is_especially_complex")),
            "is_remote": bool(data.get("is_remote")),
        }


class DuplicateStepForm(StepForm):
    """Link the petition to the first one with the same content."""

    duplicate_of = forms.CharField(
        label=_("code of the first petition"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "PA-2026-000001"}),
    )
    extra_fields = ("duplicate_of",)

    def clean_duplicate_of(self) -> Petition:
        from danvan.petitions.selectors import petition_get_for_staff

        code = self.cleaned_data["duplicate_of"]
        original = petition_get_for_staff(self.user, code)
        if original is None:
            raise forms.ValidationError(
                _("No petition you may open has the code %(code)s."),
                params={"code": code.strip().upper()},
                code="unknown_code",
            )
        return original

    def perform_kwargs(self) -> dict[str, Any]:
        return {**super().perform_kwargs(), "duplicate_of": self.cleaned_data["duplicate_of"]}


class DatedStepForm(StepForm):
    """A step taken by a written decision: its date starts, pauses or resumes the clock."""

    on_date = forms.DateField(
        label=_("date of the decision"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for today."),
    )
    extra_fields: tuple[str, ...] = ("on_date",)

    def perform_kwargs(self) -> dict[str, Any]:
        on_date: datetime.date | None = self.cleaned_data.get("on_date")
        return {**super().perform_kwargs(), "on_date": on_date}


class AnswerStepForm(DatedStepForm):
    """Decide or notify: the answer text, drafted from a template."""

    template = forms.ChoiceField(label=_("answer template"), required=False)
    extra_fields = ("template", "on_date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drafts = answer_drafts(self.petition)
        self.fields["template"].choices = [  # type: ignore[attr-defined]
            ("", _("Write the answer")),
            *[(key, label) for key, label, _text in self.drafts],
        ]
        self.fields["note"].label = _("answer")
        self.fields["note"].widget.attrs["rows"] = 6

    @property
    def drafts_map(self) -> dict[str, str]:
        """Return the filled text of each template, by its key (for the page's script)."""
        return {key: text for key, _label, text in self.drafts}

    @property
    def drafts_id(self) -> str:
        """Return the id of the script element holding the drafts."""
        return f"dv-drafts-{self.action}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("template")
        if chosen and not (data.get("note") or "").strip():
            data["note"] = next(text for key, _label, text in self.drafts if key == chosen)
        return data


#: Labels of the steps that are not workflow actions.
STEP_LABELS: dict[str, Any] = {
    **{action.value: action.label for action in Action},
    handling.ASSIGN: pgettext_lazy("petition step", "Assign"),
    handling.ROUTE: pgettext_lazy("petition step", "Route to the competent body"),
    handling.MARK_DUPLICATE: pgettext_lazy("petition step", "Mark as a duplicate"),
}

_FORM_CLASSES: dict[str, type[StepForm]] = {
    handling.ROUTE: OrganizationStepForm,
    Action.TRANSFER.value: OrganizationStepForm,
    handling.ASSIGN: AssignStepForm,
    Action.CLASSIFY.value: ClassifyStepForm,
    handling.MARK_DUPLICATE: DuplicateStepForm,
    Action.DECIDE.value: AnswerStepForm,
    Action.NOTIFY.value: AnswerStepForm,
    Action.EXTEND.value: DatedStepForm,
    Action.SUSPEND.value: DatedStepForm,
    Action.RESUME.value: DatedStepForm,
    Action.ACCEPT.value: DatedStepForm,
}


def step_form(action: str, *, petition: Petition, user: Any, data: Any = None) -> StepForm:
    """Return the form of the step `action` on `petition`."""
    form_class = _FORM_CLASSES.get(action, StepForm)
    return form_class(data, petition=petition, user=user, action=action)


# Intake ------------------------------------------------------------------


class IntakeForm(forms.Form):
    """A petition received by an officer on a citizen's behalf."""

    organization = forms.ModelChoiceField(
        label=_("received by"),
        queryset=Organization.objects.none(),
        help_text=_("The body whose desk received the petition; it holds it until routed."),
    )
    channel = forms.ChoiceField(
        label=_("channel"), choices=[(c.value, c.label) for c in STAFF_CHANNELS]
    )
    commune = CommuneChoiceField(label=_("commune"), queryset=Commune.objects.none())
    address = forms.CharField(label=_("address of the matter"), required=False, max_length=255)
    is_signed = forms.BooleanField(label=_("signed or finger-printed"), required=False)
    is_anonymous = forms.BooleanField(label=_("anonymous"), required=False)
    people_count = forms.IntegerField(label=_("number of people"), min_value=1, initial=1)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = user_communes(user)  # type: ignore[attr-defined]
        desks = organizations_user_acts_for(user).filter(
            pk__in=user_memberships(user)
            .filter(role__in=sorted(ACTING_ROLES))
            .values("organization_id")
        )
        if user.is_superuser:
            desks = organizations_user_acts_for(user)
        field = self.fields["organization"]
        field.queryset = desks.order_by("name")  # type: ignore[attr-defined]
        first = field.queryset.first()  # type: ignore[attr-defined]
        if first is not None:
            field.initial = first.pk
        own = (
            organizations_user_acts_for(user)
            .filter(commune__isnull=False)
            .select_related("commune__province")
            .first()
        )
        commune = self.fields["commune"]
        if own is not None and own.commune is not None:
            commune.initial = own.commune_id
            commune.widget.known = own.commune  # type: ignore[attr-defined]
        if not user.is_superuser:
            # The commune dialog opens on the province of the officer's desk.
            home = own.commune if own is not None and own.commune is not None else first
            commune.widget.province = home.province_id if home is not None else None  # type: ignore[attr-defined]


class PartForm(forms.Form):
    """One part of the petition: a mixed petition has several."""

    kind = forms.ChoiceField(label=_("kind"), choices=[("", "---------"), *PetitionKind.choices])
    title = forms.CharField(label=_("title"), max_length=255)
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.CharField(label=_("category"), required=False, max_length=100)


class PetitionerForm(forms.Form):
    """One petitioner (none for an anonymous petition)."""

    name = forms.CharField(label=_("full name"), max_length=255)
    identity_number = forms.CharField(label=_("identity number"), required=False, max_length=20)
    phone = forms.CharField(label=_("phone"), required=False, max_length=20)
    email = forms.EmailField(label=_("email"), required=False)
    address = forms.CharField(label=_("address"), required=False, max_length=255)
    is_representative = forms.BooleanField(label=_("representative"), required=False)
    protection_waived = forms.BooleanField(
        label=_("waives the protection of their identity"), required=False
    )


PartFormSet = forms.formset_factory(PartForm, extra=2, min_num=1, validate_min=True, max_num=5)
PetitionerFormSet = forms.formset_factory(PetitionerForm, extra=2, min_num=0, max_num=20)


# Dashboard -----------------------------------------------------------------


def half_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return the first and last day of the half-year of `today`."""
    if today.month <= 6:
        return datetime.date(today.year, 1, 1), datetime.date(today.year, 6, 30)
    return datetime.date(today.year, 7, 1), datetime.date(today.year, 12, 31)


class PeriodForm(forms.Form):
    """The period of the dashboard (default: this half-year)."""

    date_from = forms.DateField(
        label=_("from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("to"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(
                _("The end of the period cannot be before its start."), code="period"
            )
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """Return the chosen period, or this half-year when none is valid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["date_from"], self.cleaned_data["date_to"]
        return half_year(timezone.localdate())
