"""`manage.py briefing_report --cluster CODE --period 2026-H1 --format docx|xlsx|pdf --out PATH`.

Writes the cluster report (Word or PDF, in the host body's format) or the
indicator table (Excel) of a cluster and a period: from the briefing when
there is one, else from the legacy cluster's reports added up on today's
provinces (periods before 2025-07-01), else read live from the system
(`briefings.summary`).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danvan.briefings import documents
from danvan.briefings.models import Briefing, DocumentFormat
from danvan.briefings.summary import cluster_summary
from danvan.core.periods import PeriodError, period_parse
from danvan.geo.selectors import cluster_get


class Command(BaseCommand):
    help = "Write the cluster report (docx, pdf) or the indicator table (xlsx) to PATH."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cluster", required=True, metavar="CODE", help="Cluster code.")
        parser.add_argument("--period", required=True, metavar="PERIOD", help="E.g. 2026-H1.")
        parser.add_argument("--format", required=True, choices=("docx", "xlsx", "pdf"))
        parser.add_argument("--out", required=True, metavar="PATH", help="File to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = period_parse(options["period"])
        except PeriodError as error:
            raise CommandError(str(error)) from error
        code = options["cluster"]
        cluster = cluster_get(code)
        if cluster is None:
            raise CommandError(
                f"Không tìm thấy cụm có mã «{code}». / Unknown cluster code {code!r}."
            )
        summary = cluster_summary(cluster, period)
        if options["format"] == "xlsx":
            content = documents.indicators_xlsx(summary)
        else:
            briefing = summary.briefing or Briefing(
                cluster=cluster,
                period_code=period.code,
                period_start=period.start,
                period_end=period.end,
            )
            style = (
                documents.style_for(briefing)
                if summary.briefing is not None
                else documents.Style(
                    document_format=DocumentFormat.PARTY,
                    parent_name="",
                    body_name=cluster.name.upper(),
                    symbol="",
                    place_name="",
                )
            )
            content = documents.report_docx(summary, style)
            if options["format"] == "pdf":
                try:
                    content = documents.docx_to_pdf(content)
                except documents.DocumentUnavailable as error:
                    raise CommandError(
                        "Máy này không có LibreOffice để tạo PDF. / " + str(error)
                    ) from error
        out = Path(options["out"])
        try:
            out.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {out}: {error}") from error
        self.stdout.write(f"{out} ({len(content)} bytes)")
