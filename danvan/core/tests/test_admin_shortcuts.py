"""Wagtail's keyboard-shortcuts dialog is rendered once per language and platform.

The kept markup must be what Wagtail's own tag renders, for each language,
platform and user setting, and a change of any of them must show.
"""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import translation
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.users.models import UserProfile

from danvan.core import admin_shortcuts

pytestmark = pytest.mark.django_db

MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15"
LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _empty() -> Any:
    admin_shortcuts._rendered.clear()
    yield
    admin_shortcuts._rendered.clear()


@pytest.fixture
def staff() -> Any:
    return get_user_model().objects.create_superuser("quantri", password="Thu-Nghiem@2026")


def wagtails_own(user: Any, user_agent: str, language: str) -> str:
    """The dialog as Wagtail's inclusion tag renders it (no keeping)."""
    request = RequestFactory().get("/admin/", HTTP_USER_AGENT=user_agent)
    request.user = user
    values = wagtailadmin_tags.keyboard_shortcuts_dialog({"request": request})
    with translation.override(language):
        holder = Template("")  # a template whose engine renders Wagtail's
        context = Context({"request": request})
        context.template = holder
        return holder.engine.get_template(admin_shortcuts.TEMPLATE_NAME).render(
            context.new(values)
        )


def page(client: Client, user_agent: str, language: str) -> str:
    return client.get("/admin/", HTTP_USER_AGENT=user_agent, HTTP_ACCEPT_LANGUAGE=language).text


@pytest.mark.parametrize("user_agent", [MAC, LINUX])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_kept_dialog_is_wagtails_own(staff: Any, user_agent: str, language: str) -> None:
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = language
    profile.save()
    client = Client()
    client.force_login(staff)
    expected = wagtails_own(staff, user_agent, language).strip()
    assert expected.startswith("<")
    for _ in range(2):  # rendered, then kept
        assert expected in page(client, user_agent, language)
    assert len(admin_shortcuts._rendered) == 1


def test_each_platform_language_and_setting_gets_its_own(staff: Any) -> None:
    client = Client()
    client.force_login(staff)
    mac, linux = page(client, MAC, "vi"), page(client, LINUX, "vi")
    assert "<kbd>⌘ + s</kbd>" in mac
    assert "<kbd>⌘ + s</kbd>" not in linux
    assert "<kbd>Ctrl + s</kbd>" in linux
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    assert "Keyboard shortcuts are currently enabled" in page(client, LINUX, "en")
    profile.keyboard_shortcuts = False
    profile.save()
    turned_off = page(client, LINUX, "en")
    assert "Keyboard shortcuts are currently disabled" in turned_off
    assert "currently enabled" not in turned_off
    assert len(admin_shortcuts._rendered) == 4
