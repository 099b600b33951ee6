from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "danvan.reception"
    label = "reception"
    verbose_name = _("Citizen reception")

    def ready(self) -> None:
        """Add the overdue commitments of dialogues to the heads' daily digest."""
        from danvan.petitions.notifications import digest_section_register
        from danvan.reception.dialogues import DIGEST_SECTION

        digest_section_register(DIGEST_SECTION)
