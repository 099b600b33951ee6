"""The citizen's forms on the portal: filing, lookup and rating.

The forms check what a browser can get wrong (lengths, choices, numbers)
and say what to fix; the intake service checks everything again and its
messages are put back on the fields (`FIELD_OF_SERVICE_ERROR`). The commune
list follows the chosen province: filled by a small script when JavaScript
runs, or by the "show communes" button when it does not.
"""

import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.core.text import fold
from danvan.geo.models import Commune, Province
from danvan.petitions.attachments import ACCEPT_ATTRIBUTE, attachments_check, max_count
from danvan.petitions.models import CONTENT_MAX_LENGTH, TITLE_MAX_LENGTH
from danvan.petitions.ratings import COMMENT_MAX_LENGTH
from danvan.petitions.workflow import PetitionKind

_TOKEN_SALT: Final = "danvan.petitions.portal.form_token"  # noqa: S105 (a salt, not a secret)
_UNIT_PREFIXES: Final = ("thanh pho ", "tinh ", "dac khu ", "phuong ", "xa ")
PEOPLE_MAX: Final = 10_000

#: Where the intake service's errors go on the filing form (None: the whole form).
FIELD_OF_SERVICE_ERROR: Final[dict[str, str | None]] = {
    "kind": "kind",
    "title": "title",
    "content": "content",
    "field": "field",
    "category": "category",
    "commune_code": "commune",
    "address": "address",
    "latitude": "latitude",
    "longitude": "longitude",
    "people_count": "people_count",
    "petitioners": None,
    "petitioners[0].name": "name",
    "petitioners[0].identity_number": "identity_number",
    "petitioners[0].phone": "phone",
    "petitioners[0].email": "email",
    "petitioners[0].address": "petitioner_address",
    "attachments": "attachments",
}


def form_token_new() -> str:
    """Return a fresh one-time token for a filing form (signed, so not forged)."""
    return signing.dumps(secrets.token_urlsafe(18), salt=_TOKEN_SALT)


def _sort_key(name: str) -> str:
    folded = fold(name)
    for prefix in _UNIT_PREFIXES:
        if folded.startswith(prefix):
            return folded.removeprefix(prefix)
    return folded


def province_choices() -> list[tuple[str, str]]:
    """Return the current provinces as select options, sorted by their proper name."""
    provinces = sorted(Province.objects.only("code", "name"), key=lambda p: _sort_key(p.name))
    return [("", str(_("— Choose a province or city —")))] + [
        (str(p.code), p.name) for p in provinces
    ]


def commune_choices(province_code: str | None) -> list[tuple[str, str]]:
    """Return the communes of a province as select options (a prompt when none is chosen)."""
    if not province_code or not province_code.isdigit():
        return [("", str(_("— Choose the province first —")))]
    communes = sorted(
        Commune.objects.filter(province_id=int(province_code)).only("code", "name"),
        key=lambda c: _sort_key(c.name),
    )
    return [("", str(_("— Choose a commune or ward —")))] + [
        (str(c.code), c.name) for c in communes
    ]


class MultipleFileInput(forms.FileInput):
    """A file input that lets the citizen pick several files at once."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files, checked together by `attachments.attachments_check`."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        """Return the chosen files (none is fine), each checked as a file."""
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class PetitionFilingForm(forms.Form):
    """A new petition from the portal, with its sender (or none, anonymous)."""

    kind = forms.ChoiceField(
        label=_("What do you want to send?"),
        choices=PetitionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you are sending.")},
    )
    title = forms.CharField(
        label=pgettext_lazy("petition form", "Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("In a few words, e.g. “Road flooded after rain on Lê Lợi street”."),
    )
    content = forms.CharField(
        label=pgettext_lazy("petition form", "Content"),
        max_length=CONTENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, where and since when, and what you ask the authority to do."),
    )
    field = forms.CharField(
        label=pgettext_lazy("petition form", "Field"),
        max_length=100,
        required=False,
        help_text=_("Optional, e.g. land, environment, traffic, social policy."),
    )
    category = forms.CharField(
        label=pgettext_lazy("petition form", "Topic"),
        max_length=100,
        required=False,
        help_text=_("Optional, e.g. flooding, lighting, noise."),
    )
    province = forms.TypedChoiceField(
        label=pgettext_lazy("petition form", "Province or city"),
        coerce=int,
        choices=(),
        error_messages={
            "required": _("Choose the province or city where the matter happens."),
            "invalid_choice": _("Choose a province or city from the list."),
        },
    )
    commune = forms.TypedChoiceField(
        label=pgettext_lazy("petition form", "Commune or ward"),
        coerce=int,
        choices=(),
        error_messages={
            "required": _("Choose the commune or ward where the matter happens."),
            "invalid_choice": _("Choose a commune or ward of the chosen province from the list."),
        },
    )
    address = forms.CharField(
        label=pgettext_lazy("petition form", "Place"),
        max_length=255,
        required=False,
        help_text=_("House number, street, hamlet or residential group."),
    )
    latitude = forms.DecimalField(
        label=pgettext_lazy("petition form", "Latitude"),
        required=False,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        max_digits=9,
        decimal_places=6,
    )
    longitude = forms.DecimalField(
        label=pgettext_lazy("petition form", "Longitude"),
        required=False,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        max_digits=9,
        decimal_places=6,
    )
    is_anonymous = forms.BooleanField(
        label=_("Send without my name (anonymously)"),
        required=False,
        help_text=_(
            "The authority cannot answer you in writing or ask you for more information, and "
            "a denunciation without a name is not handled (Law on Denunciations 2018, "
            "Art. 25). Your code and key still let you follow it."
        ),
    )
    name = forms.CharField(label=_("Full name"), max_length=255, required=False)
    identity_number = forms.CharField(
        label=_("Citizen identity card number"),
        max_length=20,
        required=False,
        help_text=_("Optional: 12 digits on your citizen identity card."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Optional: to be told when the status changes."),
    )
    petitioner_address = forms.CharField(label=_("Your address"), max_length=255, required=False)
    people_count = forms.IntegerField(
        label=_("Number of people sending this petition"),
        min_value=1,
        max_value=PEOPLE_MAX,
        initial=1,
        error_messages={"required": _("Enter the number of people, at least 1.")},
    )
    is_signed = forms.BooleanField(
        label=_("I confirm that what I wrote is true and I sign this petition with my name."),
        required=False,
    )
    protection_waived = forms.BooleanField(
        label=_("For a denunciation: I agree that my identity need not be kept secret."),
        required=False,
        help_text=_(
            "By law, the name, address and handwriting of a person who denounces are kept "
            "secret: only the officer handling the case and the head of the agency see them. "
            "Tick this only if you accept that others may learn who you are. If unsure, leave "
            "it unticked."
        ),
    )
    publish_consent = forms.BooleanField(
        label=_(
            "I agree that the content and the answer may be made public "
            "(without any personal information)."
        ),
        required=False,
        help_text=_(
            "Only for a feedback or a recommendation. An officer writes a short version "
            "without names, addresses or anything that identifies anyone, and publishes it "
            "with the answer on the “Public answers” page, so that others with the same "
            "question find it."
        ),
    )
    attachments = MultipleFileField(
        label=_("Documents and photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Fill the province list, and the commune list of the chosen province."""
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = province_choices()  # type: ignore[attr-defined]
        chosen = self.data.get("province") if self.is_bound else self.initial.get("province")
        self.fields["commune"].choices = commune_choices(  # type: ignore[attr-defined]
            str(chosen) if chosen else None
        )
        self.fields["attachments"].help_text = _(
            "Optional: at most %(count)d files, PDF, JPEG, PNG, DOCX or ODT."
        ) % {"count": max_count()}
        if not self.is_bound and not self.initial.get("form_token"):
            self.initial["form_token"] = form_token_new()

    def clean_form_token(self) -> str:
        """Accept only a token this site issued."""
        token = str(self.cleaned_data["form_token"])
        try:
            signing.loads(token, salt=_TOKEN_SALT)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This form was changed or is too old: please send it again."), code="token"
            ) from None
        return token

    def clean_attachments(self) -> list[UploadedFile]:
        """Refuse files of a forbidden type, too large, or too many."""
        files: list[UploadedFile] = self.cleaned_data.get("attachments") or []
        try:
            attachments_check(files)
        except ValidationError as error:
            raise ValidationError(error.message_dict["attachments"]) from None
        return files

    def clean(self) -> dict[str, Any]:
        """Require a name unless anonymous; drop identity fields of an anonymous petition."""
        data = super().clean() or {}
        if data.get("is_anonymous"):
            for name in ("name", "identity_number", "phone", "email", "petitioner_address"):
                data[name] = ""
            data["protection_waived"] = False
        elif not (data.get("name") or "").strip() and "name" not in self.errors:
            self.add_error(
                "name",
                _("Enter your full name, or tick “Send without my name”."),
            )
        if data.get("kind") != PetitionKind.DENUNCIATION:
            data["protection_waived"] = False
        if data.get("kind") not in (PetitionKind.FEEDBACK, PetitionKind.RECOMMENDATION):
            # Complaints and denunciations are never published (decision 0013).
            data["publish_consent"] = False
        return data

    def files_list(self) -> list[UploadedFile]:
        """Return the cleaned files."""
        return list(self.cleaned_data.get("attachments") or [])


def request_hash(data: QueryDict, files: MultiValueDict[str, UploadedFile]) -> str:
    """Return the SHA-256 of a form submission (not its CSRF token), files by name and size."""
    sha = hashlib.sha256()
    for key in sorted(data):
        if key == "csrfmiddlewaretoken":
            continue
        for value in data.getlist(key):
            sha.update(f"{key}={value}\n".encode())
    for key in sorted(files):
        for upload in files.getlist(key):
            sha.update(f"{key}:{upload.name}:{upload.size}\n".encode())
    return sha.hexdigest()


class LookupForm(forms.Form):
    """The code and the key of a petition (sent by POST, never in a URL)."""

    code = forms.CharField(
        label=_("Petition code"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "PA-2026-000123", "autocomplete": "off"}),
    )
    key = forms.CharField(
        label=_("Lookup key"),
        max_length=64,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        """Accept the code in any case and with stray spaces."""
        return str(self.cleaned_data["code"]).strip().upper()

    def clean_key(self) -> str:
        """Drop stray spaces around the key."""
        return str(self.cleaned_data["key"]).strip()


class RatingForm(LookupForm):
    """The citizen's rating of the answer; the key is asked again."""

    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        coerce=int,
        choices=[
            (1, _("1 – Very dissatisfied")),
            (2, _("2 – Dissatisfied")),
            (3, _("3 – Neither satisfied nor dissatisfied")),
            (4, _("4 – Satisfied")),
            (5, _("5 – Very satisfied")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a score from 1 to 5."),
            "invalid_choice": _("Choose a score from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reopen_requested = forms.BooleanField(
        label=_("I ask the authority to look at my petition again."), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Send the code as a hidden field: the citizen types only the key again."""
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = forms.HiddenInput()


class AnswerSearchForm(forms.Form):
    """The search of the public answers: words, commune and category (by GET)."""

    q = forms.CharField(
        label=_("Search the answers"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. chiếu sáng")}),
        help_text=_("Accents are optional: “chieu sang” finds “chiếu sáng”."),
        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
    )
    commune = forms.TypedChoiceField(
        label=pgettext_lazy("petition form", "Commune or ward"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=(),
        error_messages={"invalid_choice": _("Choose a commune or ward from the list.")},
    )
    category = forms.ChoiceField(
        label=pgettext_lazy("petition form", "Topic"),
        required=False,
        choices=(),
        error_messages={"invalid_choice": _("Choose a topic from the list.")},
    )

    def __init__(
        self,
        *args: Any,
        communes: list[tuple[str, str]] | None = None,
        categories: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """Offer the communes and the categories that have published answers."""
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [  # type: ignore[attr-defined]
            ("", str(_("All communes and wards"))),
            *(communes or []),
        ]
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", str(_("All topics"))),
            *((c, c) for c in categories or []),
        ]


@dataclass(frozen=True, slots=True)
class KindGuide:
    """What a kind of petition is for, and what the law asks of it, for the form."""

    kind: str
    summary: Any
    rules: tuple[Any, ...]


#: Shown beside the choice of kind; the figures are in docs/legal-rules (shared reference).
KIND_GUIDES: Final = (
    KindGuide(
        kind=PetitionKind.FEEDBACK,
        summary=_(
            "Tell the authority about a problem of public life you have seen: a road, "
            "lighting, waste, public order, or how an office serves people."
        ),
        rules=(
            _("No set form: describe what, where and since when."),
            _(
                "Give your name and a way to reach you to get an answer; a feedback without a "
                "name may be read but gets no answer."
            ),
        ),
    ),
    KindGuide(
        kind=PetitionKind.RECOMMENDATION,
        summary=_(
            "Propose an improvement, or ask the authority to act or explain a policy on a "
            "matter of common interest."
        ),
        rules=(
            _("No set form: say what you propose and why."),
            _("If you agree, the answer can be published for others without your name."),
        ),
    ),
    KindGuide(
        kind=PetitionKind.COMPLAINT,
        summary=_(
            "Ask for a review of an administrative decision or act of an agency or official "
            "that you believe is unlawful and harms your own rights or interests."
        ),
        rules=(
            _(
                "Within 90 days of receiving or learning of the decision or act; time lost to "
                "illness, natural disaster, work or study far away is not counted (Law on "
                "Complaints 2011, Art. 9). Say in the content when you learned of it."
            ),
            _(
                "State your full name and address, who is complained against, the content, "
                "the reason and your request, and sign it (Art. 8): a complaint without a "
                "name or not signed cannot be accepted."
            ),
        ),
    ),
    KindGuide(
        kind=PetitionKind.DENUNCIATION,
        summary=_(
            "Report a violation of the law by an agency, an organization or a person that "
            "harms the interests of the State, of society or of others."
        ),
        rules=(
            _(
                "Give your full name, address and a way to reach you, and sign it (Law on "
                "Denunciations 2018, Art. 23): an anonymous denunciation is not handled "
                "(Art. 25)."
            ),
            _(
                "Your name, address, handwriting and other personal information are kept "
                "secret (Art. 8, 9); you and your spouse, parents and children may ask to be "
                "protected in your job, life, health, property and honour (Art. 47)."
            ),
            _("Present the facts honestly: you answer for what you report (Art. 9)."),
        ),
    ),
)
