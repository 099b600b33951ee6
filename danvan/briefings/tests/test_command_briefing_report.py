"""`manage.py briefing_report`: the cluster report and the indicator table as files."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from danvan.briefings import documents, services
from danvan.briefings.tests.factories import AN_GIANG, DONG_THAP, commission, current_cluster
from danvan.core.periods import period_parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster() -> object:
    commission(DONG_THAP)
    commission(AN_GIANG)
    cluster = current_cluster()
    services.briefing_create(actor=None, cluster=cluster, period=period_parse("2026-H1"))
    return cluster


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("briefing_report", *args, stdout=out)
    return out.getvalue()


def test_writes_the_report_in_word(cluster: object, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.docx"
    _run("--cluster", "dbscl-t", "--period", "2026-H1", "--format", "docx", "--out", str(path))
    document = Document(str(path))
    assert "BÁO CÁO" in [p.text for p in document.paragraphs]
    assert document.tables[1].rows[0].cells[1].text == "Tỉnh Đồng Tháp"


def test_writes_the_indicators_in_excel(cluster: object, tmp_path: Path) -> None:
    path = tmp_path / "chi-tieu.xlsx"
    _run("--cluster", "dbscl-t", "--period", "2026-H1", "--format", "xlsx", "--out", str(path))
    sheet = load_workbook(path)["Chỉ tiêu"]
    assert sheet["B4"].value == "Tỉnh Đồng Tháp"


def test_a_period_without_briefing_is_read_live(cluster: object, tmp_path: Path) -> None:
    path = tmp_path / "h2.xlsx"
    _run("--cluster", "dbscl-t", "--period", "2026-H2", "--format", "xlsx", "--out", str(path))
    assert load_workbook(path)["Chỉ tiêu"]["C4"].value == "Tỉnh An Giang"


def test_pdf(cluster: object, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.pdf"
    args = ("--cluster", "dbscl-t", "--period", "2026-H1", "--format", "pdf", "--out", str(path))
    if documents.pdf_converter() is None:
        with pytest.raises(CommandError, match="LibreOffice"):
            _run(*args)
        pytest.skip("LibreOffice (soffice) is not installed: the PDF cannot be made here.")
    _run(*args)
    assert path.read_bytes().startswith(b"%PDF")


def test_refuses_an_unknown_cluster(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="khong-co"):
        _run("--cluster", "khong-co", "--period", "2026-H1", "--format", "docx", "--out", "x")


def test_refuses_a_bad_period(cluster: object, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="2026-H7"):
        _run("--cluster", "dbscl-t", "--period", "2026-H7", "--format", "docx", "--out", "x")
    assert not (tmp_path / "x").exists()


def test_refuses_an_unwritable_path(cluster: object, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        _run(
            "--cluster",
            "dbscl-t",
            "--period",
            "2026-H1",
            "--format",
            "xlsx",
            "--out",
            str(tmp_path / "no" / "such" / "dir.xlsx"),
        )
