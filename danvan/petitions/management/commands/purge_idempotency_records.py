"""Delete the stored first answers of requests older than the retry window."""

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from danvan.petitions.models import IdempotencyRecord


class Command(BaseCommand):
    help = (
        "Delete Idempotency-Key records older than --days (default: the setting "
        "IDEMPOTENCY_RETENTION_DAYS, 7). A retry after that creates a new petition."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is None:
            days = int(getattr(settings, "IDEMPOTENCY_RETENTION_DAYS", 7))
        if days < 1:
            raise CommandError("--days must be at least 1 (a retry may come hours later).")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{deleted} idempotency record(s) older than {days} days deleted.")
