from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "danvan.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        import danvan.portal.briefing_articles  # noqa: F401 (connects its receiver)
        from danvan.portal import signals

        signals.connect()
