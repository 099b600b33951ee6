"""The health check, the settings' safety rules and the page shell."""

import datetime
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]
VN = datetime.timezone(datetime.timedelta(hours=7))


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter with the project's settings and `env`."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DANVAN_TESTING": "0"}, **env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_with_a_reason_when_the_database_fails(client: Client) -> None:
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "unavailable"
    assert "connection refused" in body["reason"]


def test_healthz_answers_503_when_no_database_server_listens() -> None:
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, r.json()['database'])"
    )
    result = run_python(
        code,
        DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere",
        ALLOWED_HOSTS="testserver",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "503 unavailable"


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_python("import django; django.setup()", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_weak_secret_key() -> None:
    result = run_python("import django; django.setup()", DEBUG="0", SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_production_starts_with_a_real_secret_key() -> None:
    result = run_python(
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        DEBUG="0",
        SECRET_KEY="k" * 20 + "Q" * 30,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2024, 6, 21, 8, 0, tzinfo=VN), tick=False)
def test_header_shows_todays_date_line_in_vietnamese(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
    assert "Thứ Sáu, 21/6/2024" in response.content.decode()


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2024, 6, 20, 23, 30, tzinfo=datetime.UTC), tick=False)
def test_date_line_uses_vietnam_time_not_utc(client: Client) -> None:
    # 23:30 UTC on the 20th is 06:30 on the 21st in Hồ Chí Minh City.
    assert "Thứ Sáu, 21/6/2024" in client.get("/").content.decode()


@pytest.mark.django_db
def test_english_pages_live_under_en(client: Client) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Staff sign-in" in content


@pytest.mark.django_db
def test_vietnamese_is_the_default_language(client: Client) -> None:
    content = client.get("/").content.decode()
    assert "Đăng nhập cán bộ" in content
    assert "Bỏ qua, đến nội dung chính" in content


@pytest.mark.django_db
def test_staff_sign_in_and_sign_out(client: Client) -> None:
    get_user_model().objects.create_user("canbo", password="x-Strong-Pass-1")
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'for="id_username"' in page.content.decode()
    response = client.post(
        "/accounts/login/", {"username": "canbo", "password": "x-Strong-Pass-1"}
    )
    assert response.status_code == 302
    assert "canbo" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert "Đăng nhập cán bộ" in client.get("/").content.decode()


@pytest.mark.django_db
def test_wrong_password_is_explained_in_vietnamese(client: Client) -> None:
    get_user_model().objects.create_user("canbo", password="x-Strong-Pass-1")
    response = client.post("/accounts/login/", {"username": "canbo", "password": "sai"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "mật khẩu chính xác" in response.content.decode()


@pytest.mark.django_db
def test_api_documents_itself(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Dân Vận API"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    # Offices on closed networks must see the docs: no script from a CDN.
    assert "cdn.jsdelivr.net" not in docs.content.decode()
    assert "/static/ninja/" in docs.content.decode()


@pytest.mark.django_db
def test_api_answers_utf8_json_without_escapes(client: Client) -> None:
    response = client.get("/api/v1/units/provinces")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Tỉnh Đồng Tháp".encode() in response.content


@pytest.mark.django_db
def test_back_offices_are_mounted(client: Client) -> None:
    assert client.get("/admin/").status_code == 302  # Wagtail asks for sign-in
    assert client.get("/django-admin/").status_code == 302
