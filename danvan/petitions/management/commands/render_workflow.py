"""`manage.py render_workflow [--check]`: write the workflow table to docs.

`docs/workflow.md` is generated from `danvan.petitions.workflow`, so that
the document never drifts from the code; `--check` (run by the tests)
fails when the file differs from what the code renders.
"""

from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from danvan.petitions.workflow import render_markdown

HEADER: Final = """\
# The petition workflow

<!-- Generated from danvan/petitions/workflow.py: do not edit by hand.
     Regenerate with `python manage.py render_workflow`;
     `python manage.py render_workflow --check` fails when this file is stale. -->

The legal basis of each row is in the comments of `danvan/petitions/workflow.py`.
Vietnamese labels come from `locale/vi/LC_MESSAGES/django.po`: regenerate after
changing a translation.

"""


def default_path() -> Path:
    """Return where the document lives: `docs/workflow.md` in the project."""
    return Path(settings.BASE_DIR) / "docs" / "workflow.md"


def render_document() -> str:
    """Return the whole document: the header and the rendered tables."""
    return HEADER + render_markdown()


class Command(BaseCommand):
    help = (
        "Write docs/workflow.md from the petition workflow table; with --check, "
        "exit with an error if the file differs instead of writing it."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="fail if the file is not up to date"
        )
        parser.add_argument("--path", type=Path, help="write here instead of docs/workflow.md")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"] or default_path()
        content = render_document()
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != content:
                raise CommandError(
                    f"{path} is out of date with the workflow table; "
                    "run `python manage.py render_workflow`."
                )
            self.stdout.write(f"{path} is up to date.")
            return
        path.write_text(content, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
