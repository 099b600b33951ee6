"""The citizen's petition pages: filing, the receipt shown once, the lookup."""

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from danvan.petitions.actions import petition_act
from danvan.petitions.models import Petition, Petitioner
from danvan.petitions.tests.conftest import COMMUNE, translated
from danvan.petitions.tests.factories import make_petition, org_tree, staff_user
from danvan.petitions.tests.test_attachments import EXE, PDF
from danvan.petitions.workflow import Action

pytestmark = pytest.mark.django_db

FILE_URL = "/phan-anh-kien-nghi/gui/"
FILED_URL = "/phan-anh-kien-nghi/da-gui/"
LOOKUP_URL = "/phan-anh-kien-nghi/tra-cuu/"
DONG_THAP = 82


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST="localhost")


def _token(client: Client, url: str = FILE_URL) -> str:
    page = client.get(url).content.decode()
    match = re.search(r'name="form_token" value="([^"]+)"', page)
    assert match, "the filing form carries a one-time token"
    return match.group(1)


def _data(client: Client, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "feedback",
        "title": "Đường Lê Lợi ngập nước",
        "content": "Sau mỗi trận mưa, đoạn đường trước chợ ngập sâu nửa mét.",
        "province": DONG_THAP,
        "commune": COMMUNE,
        "address": "Trước chợ Mỹ Tho",
        "name": "Lê Thị Hoa",
        "identity_number": "082198765432",
        "phone": "0987654321",
        "email": "hoa@example.vn",
        "petitioner_address": "5 Lê Lợi",
        "people_count": 1,
        "is_signed": "on",
        "form_token": _token(client),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _errors(response: Any) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<p class="field-error" role="alert">([^<]*)</p>', html)


def test_filing_stores_the_petition_then_shows_code_key_and_date_once(client: Client) -> None:
    response = client.post(FILE_URL, _data(client))

    assert response.status_code == 302
    assert response["Location"] == FILED_URL
    petition = Petition.objects.get()
    assert petition.channel == "portal"
    assert petition.commune_id == COMMUNE
    assert petition.petitioners.get().name == "Lê Thị Hoa"
    receipt = client.get(FILED_URL)
    html = receipt.content.decode()
    assert petition.code in html
    key = re.search(r'data-testid="key">([^<]+)<', html)
    assert key is not None
    assert key.group(1) not in response["Location"]
    expected = petition.expected_response_by
    assert expected is not None
    assert f"{expected.day}/{expected.month}/{expected.year}" in html
    assert re.search(r"Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật", html)
    assert receipt["Cache-Control"].startswith("max-age=0")
    again = client.get(FILED_URL).content.decode()
    assert key.group(1) not in again
    assert petition.code not in again


def test_double_submit_files_one_petition(client: Client) -> None:
    data = _data(client)

    first = client.post(FILE_URL, data)
    second = client.post(FILE_URL, data)

    assert first.status_code == second.status_code == 302
    assert Petition.objects.count() == 1
    assert Petition.objects.get().code in client.get(FILED_URL).content.decode()


def test_forged_token_is_refused(client: Client) -> None:
    response = client.post(FILE_URL, _data(client, form_token="made-up"))

    assert response.status_code == 200
    assert translated("This form was changed or is too old: please send it again.") in _errors(
        response
    )
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message", "params"),
    [
        (
            "title",
            "x" * 256,
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            {"limit_value": 256},
        ),
        ("title", "", "This field is required.", {}),
        ("content", "", "This field is required.", {}),
        ("field", "x" * 101, None, {}),
        ("address", "x" * 256, None, {}),
        ("kind", "petition", None, {}),
        (
            "commune",
            99999,
            "Choose a commune or ward of the chosen province from the list.",
            {},
        ),
        ("commune", 30307, "Choose a commune or ward of the chosen province from the list.", {}),
        ("province", 99, "Choose a province or city from the list.", {}),
        ("latitude", "91", None, {}),
        ("longitude", "abc", None, {}),
        ("people_count", "0", None, {}),
        ("name", "", "Enter your full name, or tick “Send without my name”.", {}),
        ("name", "x" * 256, None, {}),
        ("identity_number", "12-34", "Enter an identity number of 6 to 20 letters or digits.", {}),
        ("phone", "12ab", "Enter a phone number of 8 to 15 digits.", {}),
        ("email", "not-an-email", None, {}),
    ],
)
def test_each_bad_field_is_refused_with_a_message_and_nothing_is_stored(
    client: Client, field: str, value: Any, message: str | None, params: dict[str, Any]
) -> None:
    response = client.post(FILE_URL, _data(client, **{field: value}))

    assert response.status_code == 200
    html = response.content.decode()
    block = html[html.index(f'id="field-{field}"') :]
    block = block[: block.index("</div>")]
    assert 'class="field-error"' in block, f"no message on {field}"
    if message is not None and "%(" not in message:
        assert translated(message) in block
    assert 'data-testid="error-summary"' in html
    assert not Petition.objects.exists()


def test_title_too_long_says_the_limit_in_vietnamese(client: Client) -> None:
    response = client.post(FILE_URL, _data(client, title="x" * 300))

    (message,) = _errors(response)
    assert "255" in message
    assert "300" in message


def test_forbidden_file_disguised_as_pdf_is_refused(client: Client) -> None:
    upload = SimpleUploadedFile("don.pdf", EXE, content_type="application/pdf")

    response = client.post(FILE_URL, {**_data(client), "attachments": [upload]})

    assert response.status_code == 200
    assert _errors(response) == [
        translated(
            "The file “%(name)s” is not a PDF, JPEG, PNG, DOCX or ODT document "
            "(judged by its content, not its name). Save it in one of these formats.",
            name="don.pdf",
        )
    ]
    assert not Petition.objects.exists()


def test_oversized_and_too_many_files_are_refused(client: Client, settings: Any) -> None:
    settings.PETITION_ATTACHMENT_MAX_BYTES = 1000
    settings.PETITION_ATTACHMENT_MAX_COUNT = 2
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * 2000)
    many = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(3)]

    too_big = client.post(FILE_URL, {**_data(client), "attachments": [big]})
    too_many = client.post(FILE_URL, {**_data(client), "attachments": many})

    assert "lon.pdf" in _errors(too_big)[0]
    assert len(_errors(too_many)) == 1
    assert "2" in _errors(too_many)[0]
    assert not Petition.objects.exists()


def test_files_are_stored_with_the_petition(client: Client) -> None:
    uploads = [SimpleUploadedFile("Ảnh hiện trường.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]

    response = client.post(FILE_URL, {**_data(client), "attachments": uploads})

    assert response.status_code == 302
    names = list(Petition.objects.get().attachments.values_list("original_name", flat=True))
    assert names == ["Ảnh hiện trường.pdf", "b.pdf"]


def test_anonymous_petition_keeps_no_identity(client: Client) -> None:
    response = client.post(FILE_URL, _data(client, is_anonymous="on"))

    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.is_anonymous
    assert not Petitioner.objects.exists()


def test_without_javascript_the_province_button_lists_its_communes(client: Client) -> None:
    response = client.post(
        FILE_URL,
        {"action": "choose_province", "province": DONG_THAP, "title": "Giữ nguyên"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{COMMUNE}"' in html
    assert "Giữ nguyên" in html
    assert "field-error" not in html
    assert not Petition.objects.exists()


def test_english_page_is_under_en(client: Client) -> None:
    response = client.get("/en" + FILE_URL)

    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    assert "Send a feedback, recommendation, complaint or denunciation" in (
        response.content.decode()
    )


# The lookup.


def _filed(client: Client) -> tuple[str, str]:
    client.post(FILE_URL, _data(client))
    html = client.get(FILED_URL).content.decode()
    code = re.search(r'data-testid="code">([^<]+)<', html)
    key = re.search(r'data-testid="key">([^<]+)<', html)
    assert code
    assert key
    return code.group(1), key.group(1)


def _normalized(response: Any, code: str) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(code, "CODE")


def test_lookup_shows_status_organization_and_date_but_no_identity(client: Client) -> None:
    code, key = _filed(client)

    response = client.post(LOOKUP_URL, {"code": code.lower(), "key": key})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="status">Đã tiếp nhận<' in html
    assert translated("Your petition has been received and will be examined.") in html
    for secret in ("Lê Thị Hoa", "082198765432", "0987654321", "hoa@example.vn", "5 Lê Lợi"):
        assert secret not in html
    assert key not in html


def test_wrong_key_answers_exactly_like_unknown_code(client: Client) -> None:
    code, key = _filed(client)

    wrong_key = client.post(LOOKUP_URL, {"code": code, "key": "sai-khoa-123"})
    unknown = client.post(LOOKUP_URL, {"code": "PA-2026-999999", "key": key})

    assert wrong_key.status_code == unknown.status_code == 200
    assert _normalized(wrong_key, code) == _normalized(unknown, "PA-2026-999999")
    assert translated("No petition matches this code and lookup key.") in (
        wrong_key.content.decode()
    )


def test_lookup_shows_the_routed_organization_history_and_answer(client: Client) -> None:
    tree = org_tree()
    officer = staff_user(tree.inspectorate, "head", username="truong")
    petition = make_petition(organization=tree.inspectorate, assigned_to=officer)
    for action in (Action.CLASSIFY, Action.ACCEPT):
        petition = petition_act(petition=petition, action=action, actor=officer)
    petition = petition_act(
        petition=petition,
        action=Action.DECIDE,
        actor=officer,
        note="Đã nạo vét cống thoát nước trước chợ.",
    )
    key = "khoa-thu-nghiem"
    from danvan.petitions import keys

    Petition.objects.filter(pk=petition.pk).update(lookup_key_hash=keys.lookup_key_hash(key))

    html = client.post(LOOKUP_URL, {"code": petition.code, "key": key}).content.decode()

    assert 'data-testid="organization">Thanh tra tỉnh Đồng Tháp<' in html
    assert "Đã nạo vét cống thoát nước trước chợ." in html
    assert 'data-testid="answer"' in html
    assert "Nguyễn Văn An" not in html


def test_lookup_page_costs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    code, key = _filed(client)
    fresh = Client(HTTP_HOST="localhost")

    with django_assert_max_num_queries(5):
        response = fresh.post(LOOKUP_URL, {"code": code, "key": key})

    assert response.status_code == 200
    assert code in response.content.decode()
