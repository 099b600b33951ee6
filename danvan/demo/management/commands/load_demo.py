"""`manage.py load_demo`: load the demo organizations, clusters and accounts."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from danvan.demo.loader import DemoError, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: the Mekong Delta provinces' bodies and communes, the clusters "
        "and one account per role per province (see `manage.py demo_accounts`). "
        "Run after `load_units`. Idempotent: existing rows are kept, nothing is duplicated. "
        "The passwords are public: never load the demo on a server with real data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DANVAN_DEMO is not set (never on a server with real data).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DANVAN_DEMO or options["force"]):
            raise CommandError(
                "The demo is not enabled on this installation: its accounts have public "
                "passwords. Set DANVAN_DEMO=true (make run does) or pass --force."
            )
        try:
            report = load_demo()
        except DemoError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] < 1:
            return
        kinds = sorted(set(report.created) | set(report.existing))
        width = max((len(kind) for kind in kinds), default=0)
        for kind in kinds:
            self.stdout.write(
                f"{kind:<{width}}  created {report.created[kind]:>4}  "
                f"already there {report.existing[kind]:>4}"
            )
        summary = "Demo loaded" if report.changed else "Demo already loaded"
        self.stdout.write(self.style.SUCCESS(f"{summary}; accounts: manage.py demo_accounts"))
