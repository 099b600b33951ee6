"""Send today's digests of due-soon and overdue petitions (once per person per day)."""

from typing import Any

from django.core.management.base import BaseCommand

from danvan.petitions.notifications import due_digests_send


class Command(BaseCommand):
    help = (
        "Email each handler their petitions due soon or overdue and each head the overdue "
        "petitions of their units. Safe to run often: a person gets one digest a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = due_digests_send()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{sent} digest(s) sent.")
