"""`manage.py generate_visits`: store invented visits in an organization's reception log."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from danvan.orgs.models import Organization
from danvan.orgs.selectors import organization_get_by_code
from danvan.reception.generator import BATCH_SIZE, visits_generate


class Command(BaseCommand):
    help = (
        "Store N invented visits in the reception log of the organization CODE in the year Y "
        "(see danvan/reception/generator.py), numbered after the year's last number. For "
        "tests, the demo and benchmarks only: refuses to run where DANVAN_DEMO and DEBUG "
        "are both off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, metavar="CODE", help="Organization code.")
        parser.add_argument("--count", type=int, required=True, metavar="N", help="How many.")
        parser.add_argument("--year", type=int, required=True, metavar="Y", help="The year.")
        parser.add_argument("--seed", type=int, default=1, metavar="S", help="Random seed.")
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="Visits per transaction."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DANVAN_DEMO or settings.DEBUG):
            raise CommandError(
                "Dữ liệu sinh ra là dữ liệu giả: đặt DANVAN_DEMO=true (không bao giờ trên máy "
                "chủ có dữ liệu thật). / Generated visits are invented data: set "
                "DANVAN_DEMO=true (never on a server with real data)."
            )
        code = options["org"]
        try:
            organization = organization_get_by_code(code)
        except Organization.DoesNotExist as error:
            raise CommandError(
                f"Không tìm thấy cơ quan có mã «{code}». / Unknown organization code {code!r}."
            ) from error
        started = time.perf_counter()
        verbose = options["verbosity"] >= 1

        def progress(done: int) -> None:
            if verbose and options["verbosity"] >= 2:
                self.stdout.write(f"{done:>9} visits")

        try:
            stored = visits_generate(
                organization=organization,
                count=options["count"],
                year=options["year"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                progress=progress,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if verbose:
            elapsed = time.perf_counter() - started
            self.stdout.write(
                self.style.SUCCESS(
                    f"Stored {stored} visits of {organization.code} in {options['year']} "
                    f"in {elapsed:.1f} s."
                )
            )
