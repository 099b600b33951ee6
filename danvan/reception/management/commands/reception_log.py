"""`manage.py reception_log`: export an organization's reception log for a period.

For scheduled jobs (a monthly copy of the log, its transmission to the
national database, NĐ 154/2026 Art. 27). A job runs as nobody: it is not a
head of the organization nor the officer who received a visit, so the
people of a visit that brought a denunciation are written as
`exports.PROTECTED_IDENTITY_TEXT` (Luật Tố cáo 2018 Art. 47; decision
0009). `--with-protected-identities` writes them all; it is for an operator
acting on a lawful request, and the audit event of the export records it.
Every run writes one audit event (`exports.LOG_EXPORT_ACTION`).

Errors are written in Vietnamese and in English, since a job's log is read
by whoever is on duty.
"""

import datetime
import os
import tempfile
from pathlib import Path
from typing import Any, Final

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danvan.orgs.models import Organization
from danvan.orgs.selectors import organization_get_by_code
from danvan.reception.exports import reception_log_docx, reception_log_xlsx

FORMATS: Final = ("xlsx", "docx")


def _date(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError as error:
        raise CommandError(
            f"Ngày không hợp lệ ở {option}: «{value}» (cần dạng YYYY-MM-DD). / "
            f"Invalid date for {option}: {value!r} (expected YYYY-MM-DD)."
        ) from error


class Command(BaseCommand):
    help = (
        "Write the reception log (Sổ tiếp công dân, Mẫu 03/TCD) of the organization CODE "
        "from --from to --to (both included, YYYY-MM-DD) to --out, as Excel (xlsx) or Word "
        "(docx), on A4 landscape. The people of a visit that brought a denunciation are "
        'withheld ("(Thông tin người tố cáo được giữ bí mật)"), because a scheduled job '
        "is neither a head of the organization nor the officer who received the visit "
        "(Luật Tố cáo 2018 Art. 47). --with-protected-identities writes them too, for an "
        "operator acting on a lawful request; the audit trail records it. The file is "
        "replaced only once it is complete."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, metavar="CODE", help="Organization code.")
        parser.add_argument(
            "--from", dest="date_from", required=True, metavar="YYYY-MM-DD", help="First day."
        )
        parser.add_argument(
            "--to", dest="date_to", required=True, metavar="YYYY-MM-DD", help="Last day."
        )
        parser.add_argument(
            "--format",
            dest="file_format",
            required=True,
            metavar="xlsx|docx",
            help="Excel (xlsx) or Word (docx).",
        )
        parser.add_argument("--out", required=True, metavar="PATH", help="File to write.")
        parser.add_argument(
            "--with-protected-identities",
            action="store_true",
            help="Also write the identities of denouncers (recorded in the audit trail).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["org"].strip()
        try:
            organization = organization_get_by_code(code)
        except Organization.DoesNotExist as error:
            raise CommandError(
                f"Không tìm thấy cơ quan có mã «{code}». / Unknown organization code {code!r}."
            ) from error
        date_from = _date(options["date_from"], "--from")
        date_to = _date(options["date_to"], "--to")
        if date_from > date_to:
            raise CommandError(
                f"Ngày bắt đầu {date_from:%d/%m/%Y} sau ngày kết thúc {date_to:%d/%m/%Y}. / "
                f"--from ({date_from.isoformat()}) is after --to ({date_to.isoformat()})."
            )
        file_format = options["file_format"].strip().lower()
        if file_format not in FORMATS:
            raise CommandError(
                f"Định dạng không hợp lệ «{file_format}» (xlsx hoặc docx). / "
                f"Unknown format {file_format!r} (xlsx or docx)."
            )
        out = Path(options["out"]).expanduser()
        # Check the place before the export (which may take seconds): a
        # temporary file beside the target, renamed over it at the end.
        try:
            if out.is_dir():
                raise IsADirectoryError(21, "Is a directory")
            handle, temporary = tempfile.mkstemp(
                prefix=f".{out.name}.", suffix=".part", dir=out.parent or Path(".")
            )
        except OSError as error:
            raise CommandError(
                f"Không ghi được tệp «{out}»: {error.strerror or error}. / "
                f"Cannot write {str(out)!r}: {error.strerror or error}."
            ) from error
        export = reception_log_xlsx if file_format == "xlsx" else reception_log_docx
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(
                    export(
                        organization=organization,
                        date_from=date_from,
                        date_to=date_to,
                        user=None,
                        reveal_protected=options["with_protected_identities"],
                    )
                )
            os.chmod(temporary, 0o640)
            os.replace(temporary, out)
        except OSError as error:
            raise CommandError(
                f"Không ghi được tệp «{out}»: {error.strerror or error}. / "
                f"Cannot write {str(out)!r}: {error.strerror or error}."
            ) from error
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã ghi sổ tiếp công dân của {organization.name} vào {out}. / "
                    f"Wrote the reception log of {organization.code} to {out}."
                )
            )
