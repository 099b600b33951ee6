"""Vietnamese folding, slugs and the date and number formats."""

import datetime

import pytest

from danvan.core.formats import document_date_line, format_number, page_date_line
from danvan.core.text import fold, slugify_vi


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đồng Tháp", "dong thap"),
        ("dong thap", "dong thap"),
        ("ĐỒNG THÁP", "dong thap"),
        ("Phường Quán Thánh", "phuong quan thanh"),
        ("khiếu nại đất đai", "khieu nai dat dai"),
        ("Ủy ban nhân dân   tỉnh\tVĩnh Long ", "uy ban nhan dan tinh vinh long"),
        ("ữ ỹ ặ ự Ủ ỗ", "u y a u u o"),
        ("", ""),
    ],
)
def test_fold_lowercases_maps_d_and_strips_marks(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_treats_precomposed_and_decomposed_input_alike() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Tiền Giang")
    assert decomposed != "Tiền Giang"
    assert fold(decomposed) == fold("Tiền Giang") == "tien giang"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đơn thư", "don-thu"),
        ("Dân vận khéo 2026", "dan-van-kheo-2026"),
        ("Đảng bộ, Đoàn thể!", "dang-bo-doan-the"),
    ],
)
def test_slug_keeps_d_as_d(text: str, slug: str) -> None:
    assert slugify_vi(text) == slug


def test_slug_is_cut_without_a_trailing_dash() -> None:
    assert slugify_vi("Ban Tuyên giáo và Dân vận", max_length=9) == "ban-tuyen"


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (datetime.date(2024, 6, 21), "Thứ Sáu, 21/6/2024"),
        (datetime.date(2026, 11, 29), "Chủ Nhật, 29/11/2026"),
        (datetime.date(2026, 1, 5), "Thứ Hai, 5/1/2026"),
        (datetime.date(2026, 9, 2), "Thứ Tư, 2/9/2026"),
    ],
)
def test_page_date_line_matches_portal_style(day: datetime.date, line: str) -> None:
    assert page_date_line(day) == line


def test_page_date_line_in_english() -> None:
    assert page_date_line(datetime.date(2024, 6, 21), "en") == "Friday, 21/6/2024"


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (datetime.date(2024, 6, 21), "Đồng Tháp, ngày 21 tháng 6 năm 2024"),
        (datetime.date(2020, 1, 5), "Đồng Tháp, ngày 05 tháng 01 năm 2020"),
        (datetime.date(2026, 2, 14), "Đồng Tháp, ngày 14 tháng 02 năm 2026"),
        (datetime.date(2026, 3, 9), "Đồng Tháp, ngày 09 tháng 3 năm 2026"),
    ],
)
def test_document_date_line_follows_decree_30(day: datetime.date, line: str) -> None:
    assert document_date_line(day, "Đồng Tháp") == line


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234567, 0, "1.234.567"),
        (0, 0, "0"),
        (999, 0, "999"),
        (-45000, 0, "-45.000"),
        (1234.5, 1, "1.234,5"),
        (98.765, 2, "98,77"),
    ],
)
def test_numbers_use_dot_for_thousands_and_comma_for_decimals(
    value: float, decimals: int, text: str
) -> None:
    assert format_number(value, decimals) == text
