"""`manage.py load_units`: load or refresh the administrative units."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from danvan.geo.loader import load_units


class Command(BaseCommand):
    help = (
        "Load the current (34 provinces, 3,321 communes) and legacy (63/696/10,051) "
        "administrative units and the old-to-new mapping from vietnam-provinces. "
        "Idempotent: a second run changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report = load_units()
        elapsed = time.perf_counter() - started
        if options["verbosity"] < 1:
            return
        width = max(len(name) for name in report.tables)
        self.stdout.write(
            f"{'table':<{width}}  {'source':>7}  {'created':>7}  {'updated':>7}  {'deleted':>7}"
        )
        for name, counts in report.tables.items():
            self.stdout.write(
                f"{name:<{width}}  {counts.source:>7}  {counts.created:>7}  "
                f"{counts.updated:>7}  {counts.deleted:>7}"
            )
            if counts.not_in_source:
                self.stdout.write(
                    self.style.WARNING(
                        f"  {counts.not_in_source} {name} in the database are no longer "
                        "in vietnam-provinces; they were kept."
                    )
                )
        if report.skipped_commune_mappings:
            codes = ", ".join(str(code) for code in report.skipped_commune_mappings)
            self.stdout.write(
                f"Skipped {len(report.skipped_commune_mappings)} conversion rows whose legacy "
                f"commune is not in the legacy dataset: {codes}."
            )
        summary = "Units changed" if report.changed else "Units already up to date"
        self.stdout.write(self.style.SUCCESS(f"{summary} ({elapsed:.2f} s)."))
