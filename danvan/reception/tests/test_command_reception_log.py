"""`manage.py reception_log`: its options, its errors in both languages, its redaction."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from danvan.core.models import AuditEvent
from danvan.reception.exports import LOG_COLUMNS, LOG_EXPORT_ACTION, PROTECTED_IDENTITY_TEXT
from danvan.reception.management.commands.reception_log import Command
from danvan.reception.models import VisitKind
from danvan.reception.tests.factories import ReceptionPlace, reception_place
from danvan.reception.tests.test_exports import DENOUNCER, make_visit

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def place() -> ReceptionPlace:
    place = reception_place()
    make_visit(place.commune, 1, D(2026, 1, 5), summary="Đường ngập nước")
    make_visit(
        place.commune,
        2,
        D(2026, 1, 6),
        kind=VisitKind.DENUNCIATION,
        received_by=place.officer,
        people=[{"name": DENOUNCER, "identity_document": "CCCD 777"}],
    )
    make_visit(place.commune, 3, D(2026, 2, 1))
    return place


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("reception_log", *args, stdout=out)
    return out.getvalue()


def options(place: ReceptionPlace, out: Path, file_format: str = "xlsx") -> list[str]:
    return [
        "--org",
        place.commune.code,
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        "--format",
        file_format,
        "--out",
        str(out),
    ]


def rows(path: Path) -> list[tuple[object, ...]]:
    sheet = load_workbook(path).active
    return [row for row in sheet.iter_rows(min_row=9, values_only=True) if row[0] is not None]


def test_writes_the_period_to_excel(place: ReceptionPlace, tmp_path: Path) -> None:
    out = tmp_path / "so.xlsx"

    message = run(*options(place, out))

    sheet = load_workbook(out).active
    assert [c.value for c in sheet[7]] == list(LOG_COLUMNS)
    assert [row[0] for row in rows(out)] == [1, 2]  # February is outside the period
    assert rows(out)[0][4] == "Đường ngập nước"
    assert str(out) in message
    assert "Đã ghi sổ tiếp công dân" in message
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left


def test_writes_the_period_to_word(place: ReceptionPlace, tmp_path: Path) -> None:
    out = tmp_path / "so.docx"

    run(*options(place, out, "docx"))

    table = Document(str(out)).tables[1]
    assert [c.text for c in table.rows[0].cells] == list(LOG_COLUMNS)
    assert [row.cells[0].text for row in table.rows[2:]] == ["1", "2"]


def test_a_scheduled_job_withholds_a_denouncer(place: ReceptionPlace, tmp_path: Path) -> None:
    out = tmp_path / "so.xlsx"

    run(*options(place, out))

    assert rows(out)[1][2] == PROTECTED_IDENTITY_TEXT
    assert rows(out)[1][3] == PROTECTED_IDENTITY_TEXT
    event = AuditEvent.objects.get(action=LOG_EXPORT_ACTION)
    assert event.actor is None
    assert event.data["reveal_protected"] is False
    assert event.data["protected_hidden"] == 1


def test_with_protected_identities_writes_them_and_the_audit_says_so(
    place: ReceptionPlace, tmp_path: Path
) -> None:
    out = tmp_path / "so.xlsx"

    run(*options(place, out), "--with-protected-identities")

    assert rows(out)[1][2] == DENOUNCER
    assert rows(out)[1][3] == "CCCD 777"
    event = AuditEvent.objects.get(action=LOG_EXPORT_ACTION)
    assert event.data["reveal_protected"] is True
    assert event.data["protected_shown"] == 1
    assert DENOUNCER not in str(event.data)


def test_replaces_an_existing_file(place: ReceptionPlace, tmp_path: Path) -> None:
    out = tmp_path / "so.xlsx"
    out.write_bytes(b"old")

    run(*options(place, out))

    assert out.read_bytes()[:2] == b"PK"


def test_help_explains_the_redaction() -> None:
    assert "--with-protected-identities" in Command.help
    assert "Thông tin người tố cáo được giữ bí mật" in Command.help


def _error(*args: str) -> str:
    with pytest.raises(CommandError) as raised:
        run(*args)
    return str(raised.value)


def test_unknown_organization_is_told_in_both_languages(
    place: ReceptionPlace, tmp_path: Path
) -> None:
    args = options(place, tmp_path / "so.xlsx")
    args[1] = "khong-co"

    message = _error(*args)

    assert "Không tìm thấy cơ quan có mã «khong-co»" in message
    assert "Unknown organization code 'khong-co'" in message


@pytest.mark.parametrize(
    ("option", "value"),
    [("--from", "2026-13-01"), ("--to", "31/01/2026"), ("--from", "")],
)
def test_a_bad_date_is_told_in_both_languages(
    place: ReceptionPlace, tmp_path: Path, option: str, value: str
) -> None:
    args = options(place, tmp_path / "so.xlsx")
    args[args.index(option) + 1] = value

    message = _error(*args)

    assert f"Ngày không hợp lệ ở {option}: «{value}» (cần dạng YYYY-MM-DD)" in message
    assert f"Invalid date for {option}: {value!r} (expected YYYY-MM-DD)" in message


def test_from_after_to_is_refused(place: ReceptionPlace, tmp_path: Path) -> None:
    args = options(place, tmp_path / "so.xlsx")
    args[3], args[5] = "2026-02-01", "2026-01-31"

    message = _error(*args)

    assert "Ngày bắt đầu 01/02/2026 sau ngày kết thúc 31/01/2026" in message
    assert "--from (2026-02-01) is after --to (2026-01-31)" in message
    assert not (tmp_path / "so.xlsx").exists()


def test_an_unknown_format_is_refused(place: ReceptionPlace, tmp_path: Path) -> None:
    message = _error(*options(place, tmp_path / "so.pdf", "pdf"))

    assert "Định dạng không hợp lệ «pdf»" in message
    assert "Unknown format 'pdf' (xlsx or docx)" in message


@pytest.mark.parametrize("where", ["missing-folder/so.xlsx", "a-file/so.xlsx", "a-folder"])
def test_an_unwritable_path_is_refused_before_the_export(
    place: ReceptionPlace, tmp_path: Path, where: str
) -> None:
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "a-folder").mkdir()
    out = tmp_path / where

    message = _error(*options(place, out))

    assert f"Không ghi được tệp «{out}»" in message
    assert f"Cannot write {str(out)!r}" in message
    assert not AuditEvent.objects.filter(action=LOG_EXPORT_ACTION).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "a-folder"]
    assert list((tmp_path / "a-folder").iterdir()) == []


def test_the_options_are_exactly_those_of_the_issue() -> None:
    parser = Command().create_parser("manage.py", "reception_log")
    names = {
        option
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and action.dest not in {"help", "version"}
    }

    assert {"--org", "--from", "--to", "--format", "--out", "--with-protected-identities"} <= names
    required = {a.option_strings[0] for a in parser._actions if a.required}
    assert required == {"--org", "--from", "--to", "--format", "--out"}
