"""The readers' forms on an article: send to a friend, and feedback.

The forms check lengths, addresses and plain text, and say what to fix
beside each field; the services (`sharing`, `feedback`) check again.
"""

import re
from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from danvan.portal.feedback import markup_refused
from danvan.portal.models import FEEDBACK_MAX_LENGTH, TEXT_MAX_LENGTH
from danvan.portal.sharing import LINK, MESSAGE_MAX_LENGTH

NAME_MAX_LENGTH: Final = 120
PHONE_MAX_LENGTH: Final = 20
CONTENT_MIN_LENGTH: Final = 10
_PHONE: Final = re.compile(r"^\+?[0-9 .()-]{8,20}$")
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _percent(text: Any, count: int) -> str:
    return str(text) % {"count": count}


#: A help text with a number, translated when shown (not at import).
_lazy_percent = lazy(_percent, str)


def _one_line(value: str) -> str:
    """Collapse white space (a name goes into an email's subject line)."""
    return " ".join(value.split())


class _PlainTextForm(forms.Form):
    """A form whose text fields refuse control characters."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in cleaned.items():
            if isinstance(value, str) and _CONTROL.search(value):
                self.add_error(name, _("Remove the invisible control characters."))
        return cleaned


class ShareForm(_PlainTextForm):
    """Send an article to a friend: who sends, to whom, a short message."""

    sender_name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    sender_email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    friend_email = forms.EmailField(
        label=_("Your friend's email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy_percent(
            _("Optional, at most %(count)d characters, without links."), MESSAGE_MAX_LENGTH
        ),
    )

    def clean_sender_name(self) -> str:
        return _one_line(self.cleaned_data["sender_name"])

    def clean_message(self) -> str:
        message: str = self.cleaned_data["message"].strip()
        if LINK.search(message):
            raise ValidationError(
                _("Leave links out of the message: the email already links to the article."),
                code="link",
            )
        return message

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        sender, friend = cleaned.get("sender_email"), cleaned.get("friend_email")
        if sender and friend and sender.lower() == friend.lower():
            self.add_error("friend_email", _("Give your friend's address, not your own."))
        return cleaned


class FeedbackForm(_PlainTextForm):
    """A reader's feedback: the sender's details and the content (plain text)."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Shown with your feedback once it is published."),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Not published: we tell you here when your feedback is published."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=PHONE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Optional, not published."),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        help_text=_("Optional, not published."),
    )
    content = forms.CharField(
        label=_("Your feedback"),
        min_length=CONTENT_MIN_LENGTH,
        max_length=FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_lazy_percent(
            _("Plain text, at most %(count)d characters. Published after moderation."),
            FEEDBACK_MAX_LENGTH,
        ),
    )

    def clean_name(self) -> str:
        name = _one_line(self.cleaned_data["name"])
        markup_refused(name)
        return name

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        if phone and not _PHONE.match(phone):
            raise ValidationError(
                _("Enter a phone number of 8 to 20 digits, e.g. 0277 3851 234."), code="phone"
            )
        return phone

    def clean_address(self) -> str:
        address = _one_line(self.cleaned_data["address"])
        markup_refused(address)
        return address

    def clean_content(self) -> str:
        content: str = self.cleaned_data["content"].strip()
        markup_refused(content)
        return content


class RejectForm(forms.Form):
    """The optional reason for rejecting feedback in the back-office."""

    reason = forms.CharField(
        label=_("Reason for rejection (optional)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,  # the length of `ReaderFeedback.rejection_reason`
    )
