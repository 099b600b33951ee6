"""Delete stored attachment files that no `Attachment` row refers to.

A file is written to the protected storage inside the intake transaction;
when that transaction rolls back (a crash, a refused field), the file stays
with no record. It may hold personal data, so it must not linger: files
older than `--hours` (default 24, so that no intake still in progress is
touched) without a row are deleted. Safe to run again; part of the daily
jobs (docs/decisions/0008-daily-jobs.md).
"""

import datetime
from collections.abc import Iterator
from typing import Any

from django.core.files.storage import Storage, storages
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from danvan.petitions.models import Attachment

ROOT = "petitions"


def _files(storage: Storage, folder: str) -> Iterator[str]:
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files(storage, f"{folder}/{sub}")


def orphan_attachment_files(*, older_than: datetime.timedelta) -> list[str]:
    """Return the stored files under `petitions/` with no row, older than `older_than`."""
    storage = storages["protected"]
    if not storage.exists(ROOT):
        return []
    cutoff = timezone.now() - older_than
    known = set(Attachment.objects.values_list("file", flat=True))
    orphans = []
    for name in _files(storage, ROOT):
        if name in known:
            continue
        if storage.get_modified_time(name) < cutoff:
            orphans.append(name)
    return orphans


class Command(BaseCommand):
    help = (
        "Delete attachment files left without a record by a rolled-back intake "
        "(older than --hours, default 24)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["hours"]
        if hours < 1:
            raise CommandError("--hours must be at least 1 (an intake may still be running).")
        storage = storages["protected"]
        orphans = orphan_attachment_files(older_than=datetime.timedelta(hours=hours))
        for name in orphans:
            storage.delete(name)
        if options["verbosity"] >= 1:
            self.stdout.write(f"{len(orphans)} orphan attachment file(s) deleted.")
