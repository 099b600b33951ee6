"""Move the buffered article view counts into the database (`ArticleViewDay`).

Runs the flush in this process by default (what `scripts/run.sh` does every
minute, so the task table does not get a row a minute); `--enqueue` hands
it to the task worker instead. Safe to run at any time, and twice at once
(docs/decisions/0012-article-view-counting.md).
"""

from typing import Any

from django.core.management.base import BaseCommand

from danvan.portal.counting import views_flush
from danvan.portal.tasks import flush_article_views


class Command(BaseCommand):
    help = "Move the buffered article view counts into the database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the flush for the task worker instead of running it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = flush_article_views.enqueue()
            if options["verbosity"]:
                self.stdout.write(f"Queued: task {result.id}.")
            return
        flushed = views_flush()
        if options["verbosity"]:
            self.stdout.write(
                f"Generation {flushed.generation}: {flushed.views} views in {flushed.rows} rows."
            )
