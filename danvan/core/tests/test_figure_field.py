"""Figures typed and shown the Vietnamese way (`core.forms.FigureField`).

A figure read off a report ("1.500", "62,5") must be typed back as it is
and mean the same: one thousand five hundred, sixty-two and a half.
"""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from danvan.core.forms import FigureField, parse_figure, show_figure


class Figures(forms.Form):
    value = FigureField(max_digits=16, decimal_places=2, min_value=0)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("1.500", Decimal(1500)),
        ("1.500.000", Decimal(1500000)),
        ("1.500,25", Decimal("1500.25")),
        ("2,5", Decimal("2.5")),
        ("1500", Decimal(1500)),
        ("2.75", Decimal("2.75")),  # a dot before fewer than three digits: decimals
        ("1 500", Decimal(1500)),
        ("1\u00a0500,5", Decimal("1500.5")),
        ("  42 ", Decimal(42)),
    ],
)
def test_a_figure_is_read_as_vietnamese_write_it(typed: str, meant: Decimal) -> None:
    form = Figures({"value": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == meant


@pytest.mark.parametrize("typed", ["abc", "1.5.0", "1,500.25", "1..5", "1,2,3"])
def test_what_is_not_a_figure_is_refused_with_an_example(typed: str) -> None:
    with translation.override("vi"):
        form = Figures({"value": typed})
        assert not form.is_valid()
        expected = translation.gettext("Enter a figure, for example 1.500 or 2,5.")
    assert expected != "Enter a figure, for example 1.500 or 2,5."  # translated
    assert form.errors["value"] == [expected]


def test_limits_still_apply() -> None:
    assert "value" in Figures({"value": "-1"}).errors
    assert "value" in Figures({"value": "1,555"}).errors  # three decimals, two allowed


def test_a_stored_figure_is_shown_as_it_is_typed() -> None:
    assert show_figure(Decimal("1500.00")) == "1.500"
    assert show_figure(Decimal("62.50")) == "62,5"
    assert show_figure(Decimal("0.00")) == "0"
    assert show_figure(1234567) == "1.234.567"
    html = str(Figures(initial={"value": Decimal("1500.50")})["value"])
    assert 'value="1.500,5"' in html
    assert 'inputmode="decimal"' in html
    assert 'type="text"' in html
    # What is shown reads back to the same figure.
    assert parse_figure(show_figure(Decimal("1500.50"))) == "1500.5"
