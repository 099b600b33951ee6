"""`manage.py sync_role_groups`: match every user's role groups to their
current memberships (run daily, so that ended memberships leave their group)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from danvan.orgs.roles import ROLE_GROUP_NAMES
from danvan.orgs.services import user_role_groups_sync


class Command(BaseCommand):
    help = (
        "Put every user with a membership or a role group in exactly the groups of the "
        "roles they hold today or later; report the changes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        users = (
            get_user_model()
            .objects.filter(memberships__isnull=False)
            .union(get_user_model().objects.filter(groups__name__in=ROLE_GROUP_NAMES.values()))
        )
        changed = 0
        for user in users:
            changes = user_role_groups_sync(actor=None, user=user)
            if changes["groups_added"] or changes["groups_removed"]:
                changed += 1
                if options["verbosity"] >= 1:
                    self.stdout.write(
                        f"{user.get_username()}: +{changes['groups_added']} "
                        f"-{changes['groups_removed']}"
                    )
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"{changed} users changed."))
