"""The back-office sidebar is built once per user, session and language a minute."""

from unittest import mock

import pytest
from django.test import Client
from wagtail.admin.menu import admin_menu

from danvan.core import admin_sidebar

pytestmark = pytest.mark.django_db


@pytest.fixture
def menu_builds():  # type: ignore[no-untyped-def]
    """Count how many times Wagtail builds the main menu."""
    with mock.patch.object(
        admin_menu, "render_component", wraps=admin_menu.render_component
    ) as spy:
        yield spy


def _signed_in(django_user_model, username: str = "chief") -> Client:  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_superuser(username, f"{username}@example.org", "pw")
    client = Client()
    client.force_login(user)
    return client


def test_second_page_reuses_the_menu(django_user_model, menu_builds) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in(django_user_model)

    first = client.get("/admin/")
    second = client.get("/admin/")

    assert first.status_code == second.status_code == 200
    assert menu_builds.call_count == 1
    # The cached menu is the same markup, with the user's own menu in it.
    assert 'id="wagtail-sidebar-props"' in second.content.decode()
    assert _props(first) == _props(second)


def test_each_user_gets_their_own_menu(django_user_model, menu_builds) -> None:  # type: ignore[no-untyped-def]
    chief = _signed_in(django_user_model, "chief")
    deputy = _signed_in(django_user_model, "deputy")

    chief.get("/admin/")
    html = deputy.get("/admin/").content.decode()

    assert menu_builds.call_count == 2
    assert "deputy" in _props_of(html)


def test_another_language_gets_its_own_menu(django_user_model, menu_builds) -> None:  # type: ignore[no-untyped-def]
    from wagtail.users.models import UserProfile

    client = _signed_in(django_user_model)
    vietnamese = _props(client.get("/admin/"))
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="chief"))
    profile.preferred_language = "en"
    profile.save()

    english = _props(client.get("/admin/"))

    assert menu_builds.call_count == 2
    assert vietnamese != english


def test_a_new_session_builds_the_menu_again(django_user_model, menu_builds) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in(django_user_model)
    client.get("/admin/")
    client.logout()
    client.force_login(django_user_model.objects.get(username="chief"))

    client.get("/admin/")

    assert menu_builds.call_count == 2


def test_anonymous_key_is_none() -> None:
    request = mock.Mock()
    request.user.is_authenticated = False
    assert admin_sidebar.sidebar_cache_key(request) is None


def _props(response) -> str:  # type: ignore[no-untyped-def]
    return _props_of(response.content.decode())


def _props_of(html: str) -> str:
    start = html.index('id="wagtail-sidebar-props"')
    return html[start : html.index("</script>", start)]
