"""Form fields that every app shares.

`FigureField` reads a figure as Vietnamese write it: a dot between
thousands and a comma before the decimals ("1.500" is one thousand five
hundred, "2,5" two and a half; `core.formats.format_number` prints them
so), and shows a stored figure the same way, so that a figure read off a
report or a form can be typed back as it is. A browser's number input
would normalise the text by the browser's language instead, so the field
is a text box with a decimal keypad on phones (`inputmode="decimal"`).
"""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.formats import format_number

#: "1.500", "1.500.000", "1.500,25": dots between groups of three digits.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
#: "2,5": a comma before the decimals.
_COMMA_DECIMALS = re.compile(r"^[+-]?\d+,\d+$")


def parse_figure(text: str) -> str:
    """Return `text` written as Python's `Decimal` reads it.

    "1.500" → "1500", "1.500,25" → "1500.25", "2,5" → "2.5"; "1500" and
    "2.75" (a dot not followed by a group of three digits) are left as
    they are; spaces (thin, non-breaking) between groups are dropped.
    Anything else is returned unchanged, for the field to refuse.
    """
    compact = re.sub(r"[\s\u00a0\u202f]", "", text)
    if _GROUPED.match(compact):
        return compact.replace(".", "").replace(",", ".")
    if _COMMA_DECIMALS.match(compact):
        return compact.replace(",", ".")
    return compact


def show_figure(value: Decimal | int | float) -> str:
    """Return `value` as a Vietnamese reads it, without needless decimals:
    Decimal("1500.00") → "1.500", Decimal("62.50") → "62,5"."""
    exact = Decimal(value).normalize()
    decimals = max(0, -int(exact.as_tuple().exponent))
    return format_number(exact, decimals)


class FigureField(forms.DecimalField):
    """A decimal figure typed and shown the Vietnamese way (module docstring)."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter a figure, for example 1.500 or 2,5."),
    }

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = parse_figure(value)
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return show_figure(value)
        return value

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # Not DecimalField's: its "step" and min/max belong to a number input.
        attrs: dict[str, Any] = {"inputmode": "decimal", "autocomplete": "off"}
        return attrs
