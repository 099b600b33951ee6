"""`manage.py indicators --org CODE --period 2026-H1 [--json]`: a member's indicator table.

The figures the cluster briefings read for the province the organization
reports for (`briefings.indicators.collect`), one key per indicator; for
scheduled jobs and for checking figures against the apps' own pages.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danvan.briefings import indicators
from danvan.core.periods import PeriodError, period_parse
from danvan.orgs.models import Organization
from danvan.orgs.selectors import organization_get_by_code


class Command(BaseCommand):
    help = (
        "Print the indicator table of the organization CODE for a period written YYYY-H1, "
        "YYYY-H2, YYYY or YYYY-MM-DD..YYYY-MM-DD."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, metavar="CODE", help="Organization code.")
        parser.add_argument("--period", required=True, metavar="PERIOD", help="E.g. 2026-H1.")
        parser.add_argument("--json", action="store_true", help="Print JSON, one key a figure.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = period_parse(options["period"])
        except PeriodError as error:
            raise CommandError(str(error)) from error
        code = options["org"]
        try:
            organization = organization_get_by_code(code)
        except Organization.DoesNotExist as error:
            raise CommandError(
                f"Không tìm thấy cơ quan có mã «{code}». / Unknown organization code {code!r}."
            ) from error
        table = indicators.collect(organization, period)
        if options["json"]:
            self.stdout.write(json.dumps(table, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{organization.name} · {period.label()}")
        for indicator in indicators.INDICATORS:
            value = indicators.number_text(table.get(indicator.key))
            self.stdout.write(f"{indicator.label!s:<45} {value:>10}")
