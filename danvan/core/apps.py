from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "danvan.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        """Keep Wagtail's sidebar menu a minute per user (`admin_sidebar`) and
        its keyboard-shortcuts dialog per language and platform
        (`admin_shortcuts`)."""
        from wagtail.admin.templatetags import wagtailadmin_tags

        from danvan.core import admin_shortcuts, admin_sidebar

        admin_sidebar.install(wagtailadmin_tags.register, wagtailadmin_tags.sidebar_props)
        admin_shortcuts.install(
            wagtailadmin_tags.register, wagtailadmin_tags.keyboard_shortcuts_dialog
        )
