"""The filing page in the portal's look: cascade, guidance, consent, receipt and email."""

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from danvan.geo.models import Commune
from danvan.petitions.forms_portal import KIND_GUIDES
from danvan.petitions.models import Petition
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.tests.test_portal import (
    DONG_THAP,
    FILE_URL,
    FILED_URL,
    _data,
    client,  # noqa: F401 (fixture)
)
from danvan.petitions.workflow import PetitionKind

pytestmark = pytest.mark.django_db


def test_the_form_asks_the_units_api_for_the_communes_of_a_province(
    client: Client,  # noqa: F811
) -> None:
    html = client.get(FILE_URL).content.decode()

    assert 'data-communes-url="/api/v1/units/provinces/"' in html
    assert "petitions/communes.js" in html
    # The script asks the same URL the API serves, and it answers the province's communes.
    api = client.get(f"/api/v1/units/provinces/{DONG_THAP}/communes")
    assert api.status_code == 200
    codes = {item["code"] for item in api.json()}
    assert COMMUNE in codes
    assert codes == set(
        Commune.objects.filter(province_id=DONG_THAP).values_list("code", flat=True)
    )


def test_without_javascript_the_two_step_keeps_what_was_typed(
    client: Client,  # noqa: F811
) -> None:
    data = _data(client, commune="", action="choose_province")

    response = client.post(FILE_URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{COMMUNE}">' in html
    assert "Đường Lê Lợi ngập nước" in html
    assert not Petition.objects.exists()


def test_every_kind_has_its_guidance_and_the_law_it_cites(
    client: Client,  # noqa: F811
) -> None:
    html = client.get(FILE_URL).content.decode()

    for kind in PetitionKind:
        assert f'data-testid="guide-{kind.value}"' in html
    assert {guide.kind for guide in KIND_GUIDES} == set(PetitionKind)
    complaint = re.search(r'data-testid="guide-complaint".*?</section>', html, re.S)
    denunciation = re.search(r'data-testid="guide-denunciation".*?</section>', html, re.S)
    assert complaint is not None
    assert denunciation is not None
    # The figures and articles, whatever the language (translations are compiled later).
    article = r"(?:Art\.|Điều) {}\b"
    assert re.search(r"\b90\b", complaint.group(0))
    for number in (8, 9):
        assert re.search(article.format(number), complaint.group(0))
    for number in (23, 25, 47):
        assert re.search(article.format(number), denunciation.group(0))


def test_after_an_error_only_the_chosen_kind_guidance_is_marked(
    client: Client,  # noqa: F811
) -> None:
    response = client.post(FILE_URL, _data(client, kind="complaint", title=""))

    html = response.content.decode()
    assert re.search(r'class="kind-guide chosen" data-kind="complaint"', html)
    assert re.search(r'data-kind="feedback" data-testid="guide-feedback" data-hide="1"', html)
    assert (
        'value="complaint" checked' in html
        or 'value="complaint"\n' in html
        or (re.search(r'value="complaint"[^>]*checked', html))
    )


def test_consent_is_stored_for_feedback(client: Client) -> None:  # noqa: F811
    response = client.post(FILE_URL, _data(client, publish_consent="on"))

    assert response.status_code == 302
    assert Petition.objects.get().publish_consent is True


def test_consent_defaults_to_no(client: Client) -> None:  # noqa: F811
    client.post(FILE_URL, _data(client))

    assert Petition.objects.get().publish_consent is False


@pytest.mark.parametrize("kind", ["complaint", "denunciation"])
def test_consent_of_a_complaint_or_denunciation_is_dropped(
    client: Client,  # noqa: F811
    kind: str,
) -> None:
    response = client.post(FILE_URL, _data(client, kind=kind, publish_consent="on"))

    assert response.status_code == 302
    assert Petition.objects.get().publish_consent is False


def test_the_receipt_has_code_key_date_and_an_email_with_the_same(
    client: Client,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FILE_URL, _data(client))
    assert response.status_code == 302

    html = client.get(FILED_URL).content.decode()
    petition = Petition.objects.get()
    key = re.search(r'data-testid="key">([^<]+)<', html)
    assert key is not None
    assert re.search(rf'data-testid="code">{petition.code}<', html)
    expected = petition.expected_response_by
    assert expected is not None
    day = f"{expected.day}/{expected.month}/{expected.year}"
    assert re.search(rf'data-testid="expected">[^<]*{day}<', html)
    assert 'data-testid="emailed"' in html
    assert [message.to for message in mail.outbox] == [["hoa@example.vn"]]
    body = mail.outbox[0].body
    assert petition.code in mail.outbox[0].subject
    assert petition.code in body
    assert day in body
    # The receipt carries the key, as the page does (not for a denunciation, below).
    assert key.group(1) in body


def test_a_denouncers_receipt_email_leaves_the_key_out(
    client: Client,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core.cache import cache

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FILE_URL, _data(client, kind="denunciation"))
    assert response.status_code == 302

    html = client.get(FILED_URL).content.decode()
    key = re.search(r'data-testid="key">([^<]+)<', html)
    assert key is not None
    petition = Petition.objects.get()
    assert petition.kind == PetitionKind.DENUNCIATION
    body = mail.outbox[0].body
    assert petition.code in body
    assert key.group(1) not in body
    # Nothing of the key waits in the cache either.
    assert cache.get(f"petitions:receipt-key:{petition.events.get().pk}") is None


def test_the_key_leaves_the_cache_once_the_receipt_is_sent(
    client: Client,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core.cache import cache

    with django_capture_on_commit_callbacks(execute=True):
        client.post(FILE_URL, _data(client))

    event = Petition.objects.get().events.get()
    assert len(mail.outbox) == 1
    assert cache.get(f"petitions:receipt-key:{event.pk}") is None


def test_no_email_and_no_email_note_without_an_address(
    client: Client,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(FILE_URL, _data(client, email=""))

    assert mail.outbox == []
    assert 'data-testid="emailed"' not in client.get(FILED_URL).content.decode()


def test_the_pages_use_the_citizen_style_and_link_the_public_pages(
    client: Client,  # noqa: F811
) -> None:
    for url in (FILE_URL, "/phan-anh-kien-nghi/tra-cuu/", FILED_URL):
        html = client.get(url).content.decode()
        assert "css/citizen.css" in html
        assert 'href="/phan-anh-kien-nghi/tra-loi/"' in html
        assert 'href="/thong-ke/"' in html
