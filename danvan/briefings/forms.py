"""The back-office forms of briefings; the services check the rest."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.briefings import indicators
from danvan.briefings.models import (
    LONG_TEXT_MAX_LENGTH,
    Briefing,
    BriefingKind,
    BriefingStatus,
    TaskStatus,
)
from danvan.briefings.selectors import UNFINISHED
from danvan.core.forms import FigureField
from danvan.core.periods import Period, PeriodError, period_parse
from danvan.geo.models import Cluster, Province

_TEXTAREA = forms.Textarea(attrs={"rows": 5})


class PeriodField(forms.CharField):
    """A period written 2026-H1, 2026-H2, 2026 or 2026-01-01..2026-03-31."""

    def clean(self, value: Any) -> Period:  # type: ignore[override]
        text = super().clean(value)
        try:
            return period_parse(text)
        except PeriodError as error:
            raise forms.ValidationError(str(error), code="period") from error


class BriefingCreateForm(forms.Form):
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=Cluster.objects.order_by("code"), empty_label=None
    )
    period = PeriodField(
        label=_("Period"),
        max_length=32,
        help_text=_("2026-H1, 2026-H2, 2026 or 2026-01-01..2026-03-31."),
    )
    host_province = forms.ModelChoiceField(
        label=_("Host province"),
        queryset=Province.objects.order_by("name"),
        required=False,
        help_text=_("Empty: the member after the last host."),
    )


class CorrectionForm(forms.Form):
    key = forms.ChoiceField(label=_("Indicator"))
    value = FigureField(label=_("Corrected value"), min_value=0, decimal_places=1)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [  # type: ignore[attr-defined]
            (i.key, str(i.label)) for i in indicators.INDICATORS if not i.is_percent
        ]


class NarrativeForm(forms.Form):
    results = forms.CharField(
        label=_("Results"), required=False, max_length=LONG_TEXT_MAX_LENGTH, widget=_TEXTAREA
    )
    limitations = forms.CharField(
        label=_("Limitations and their causes"),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=_TEXTAREA,
    )
    lessons = forms.CharField(
        label=_("Lessons"), required=False, max_length=LONG_TEXT_MAX_LENGTH, widget=_TEXTAREA
    )
    proposals = forms.CharField(
        label=_("Proposals"), required=False, max_length=LONG_TEXT_MAX_LENGTH, widget=_TEXTAREA
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=255)
    chair = forms.CharField(label=_("Chair"), max_length=255)
    attending_organizations = forms.CharField(
        label=_("Attending organizations"),
        required=False,
        widget=_TEXTAREA,
        help_text=_("One per line."),
    )
    attending_people = forms.CharField(
        label=_("Attending people"),
        required=False,
        widget=_TEXTAREA,
        help_text=_("One per line: name, title."),
    )
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=_TEXTAREA)
    speeches = forms.CharField(label=_("Speeches"), required=False, widget=_TEXTAREA)
    discussion_topics = forms.CharField(
        label=_("Discussion topics"), required=False, widget=_TEXTAREA
    )
    conclusion = forms.CharField(label=_("Conclusion"), required=False, widget=_TEXTAREA)


class ConclusionItemForm(forms.Form):
    text = forms.CharField(
        label=_("Item"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    provinces = forms.ModelMultipleChoiceField(
        label=_("Only for"),
        queryset=Province.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: a task for every member."),
    )

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["provinces"].queryset = members  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=_("Follow-up"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)


class ConcludeForm(forms.Form):
    notice_number = forms.CharField(label=_("Notice number"), max_length=16, required=False)
    report_number = forms.CharField(label=_("Report number"), max_length=16, required=False)


# Filters of the lists ---------------------------------------------------------

ANY = ("", pgettext_lazy("filter", "All"))


class NamedChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of clusters or provinces shown by their names."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class BriefingChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of briefings shown as “cluster · period”."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.cluster.name} · {obj.period_code}"


class _Filters(forms.Form):
    def filters(self) -> dict[str, Any]:
        """Return the selector's keyword arguments of the valid filters.

        A wrong value is left out (and said beside its field); the others
        still apply. The box `q` is the selector's `search`.
        """
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "search" if name == "q" else name: value
            for name, value in data.items()
            if value not in (None, "", False)
        }


class BriefingFilterForm(_Filters):
    """The filters of the list of briefings, read from the query string."""

    q = forms.CharField(
        label=_("search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Cluster or period")}),
    )
    cluster = NamedChoiceField(
        label=_("cluster"), required=False, queryset=Cluster.objects.none(), empty_label=ANY[1]
    )
    year = forms.TypedChoiceField(
        label=_("year"), required=False, coerce=int, empty_value=None, choices=[ANY]
    )
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[ANY, *BriefingKind.choices])
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[ANY, *BriefingStatus.choices]
    )

    def __init__(
        self, *args: Any, clusters: QuerySet[Cluster], years: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
        self.fields["year"].choices = [ANY, *((y, str(y)) for y in years)]  # type: ignore[attr-defined]


class TaskFilterForm(_Filters):
    """The filters of the conclusion tasks, read from the query string."""

    q = forms.CharField(
        label=_("search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Words of the conclusion item")}),
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[ANY, (UNFINISHED, _("Open or in progress")), *TaskStatus.choices],
    )
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    cluster = NamedChoiceField(
        label=_("cluster"), required=False, queryset=Cluster.objects.none(), empty_label=ANY[1]
    )
    briefing = BriefingChoiceField(
        label=_("briefing"), required=False, queryset=Briefing.objects.none(), empty_label=ANY[1]
    )
    province = NamedChoiceField(
        label=_("member"), required=False, queryset=Province.objects.none(), empty_label=ANY[1]
    )

    def __init__(
        self,
        *args: Any,
        briefings: QuerySet[Briefing],
        clusters: QuerySet[Cluster],
        provinces: QuerySet[Province],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["briefing"].queryset = briefings  # type: ignore[attr-defined]
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
        self.fields["province"].queryset = provinces  # type: ignore[attr-defined]
