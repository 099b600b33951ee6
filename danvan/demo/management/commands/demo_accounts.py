"""`manage.py demo_accounts`: print the demo accounts as JSON (or as a table)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from danvan.demo.accounts import demo_accounts


class Command(BaseCommand):
    help = (
        "Print the demo accounts as a JSON list of "
        '{"username", "password", "roles", "organization": {"code", "name"}}; '
        'the superuser has the roles ["superuser"] and no organization. '
        "With --table, print a table for people instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--table", action="store_true", help="Print a table for people instead of JSON."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = demo_accounts()
        if not options["table"]:
            self.stdout.write(json.dumps(accounts, ensure_ascii=False, indent=2))
            return
        rows = [
            (
                account["username"],
                account["password"],
                ", ".join(account["roles"]),
                (account["organization"] or {}).get("name", "—"),
            )
            for account in accounts
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for username, password, roles, organization in rows:
            self.stdout.write(
                f"  {username:<{widths[0]}}  {password:<{widths[1]}}  "
                f"{roles:<{widths[2]}}  {organization}"
            )
