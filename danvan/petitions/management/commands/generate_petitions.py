"""`manage.py generate_petitions`: store realistic invented petitions (demo, benchmarks)."""

import datetime
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from danvan.petitions.generator import AlreadyGenerated, demo_context, petitions_generate


class Command(BaseCommand):
    help = (
        "Store N invented petitions over the last years in the demo bodies, with their "
        "petitioners and case events, following the workflow (see "
        "danvan/petitions/generator.py). Needs load_units and load_demo. Refuses to run "
        "where DANVAN_DEMO and DEBUG are both off, and refuses a second run with the same "
        "seed and range unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1000, help="How many petitions.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--years", type=float, default=3, help="Spread over this many years up to now."
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Petitions per transaction."
        )
        parser.add_argument(
            "--organizations",
            default="all",
            help="Comma-separated codes of demo bodies, or 'all' (default).",
        )
        parser.add_argument(
            "--no-copy",
            action="store_true",
            help="Use bulk_create on PostgreSQL too (COPY is the default there).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run again with the same seed and range."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DANVAN_DEMO or settings.DEBUG):
            raise CommandError(
                "Generated petitions are invented data: set DANVAN_DEMO=true (never on a "
                "server with real data)."
            )
        count = options["count"]
        if count < 1 or options["batch_size"] < 1 or options["years"] <= 0:
            raise CommandError("--count, --batch-size and --years must be positive.")
        codes = (
            []
            if options["organizations"] in ("", "all")
            else [c.strip() for c in options["organizations"].split(",") if c.strip()]
        )
        end = timezone.now().replace(microsecond=0)
        start = end - datetime.timedelta(days=round(365.25 * options["years"]))
        try:
            context = demo_context(start=start, end=end, organizations=codes)
        except ValueError as error:
            raise CommandError(str(error)) from error
        started = time.perf_counter()
        verbose = options["verbosity"] >= 1

        def progress(done: int) -> None:
            if verbose and (done % 100_000 < options["batch_size"] or done == count):
                rate = done / (time.perf_counter() - started)
                self.stdout.write(f"{done:>9} petitions  {rate:,.0f}/s")

        try:
            stored = petitions_generate(
                context,
                count=count,
                seed=options["seed"],
                organizations=codes,
                batch_size=options["batch_size"],
                force=options["force"],
                use_copy=False if options["no_copy"] else None,
                progress=progress,
            )
        except AlreadyGenerated as error:
            raise CommandError(
                f"Already generated (run {error}); pass --force to add them again."
            ) from error
        if verbose:
            elapsed = time.perf_counter() - started
            self.stdout.write(self.style.SUCCESS(f"Stored {stored} petitions in {elapsed:.1f} s."))
