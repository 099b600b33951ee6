"""The commune chooser of the back-office."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    user = get_user_model().objects.create_superuser("quantri", password="x-Strong-Pass-1")
    client = Client()
    client.force_login(user)
    return client


def test_chooser_finds_a_commune_without_diacritics(admin_client: Client) -> None:
    response = admin_client.get("/admin/commune_chooser/results/", {"q": "phu quoc"})
    assert response.status_code == 200
    assert "Đặc khu Phú Quốc" in response.content.decode()


def test_chooser_filters_by_province(admin_client: Client) -> None:
    in_dong_thap = admin_client.get("/admin/commune_chooser/results/", {"q": "my", "province": 82})
    content = in_dong_thap.content.decode()
    assert "Phường Mỹ Tho" in content
    assert "Thành phố Hồ Chí Minh" not in content


def test_organization_form_does_not_list_every_commune(admin_client: Client) -> None:
    response = admin_client.get("/admin/organizations/new/")
    assert response.status_code == 200
    assert response.content.decode().count("<option") < 500
    assert "commune_chooser" in response.content.decode()
