"""The public answers: only consented, published feedback and recommendations, no personal data."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from danvan.core.models import AuditEvent
from danvan.geo.models import Commune
from danvan.orgs.models import Role
from danvan.petitions import publication
from danvan.petitions.models import Petition
from danvan.petitions.selectors_public import PAGE_SIZE
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.tests.factories import (
    PASSWORD,
    PERSON,
    make_petition,
    org_tree,
    staff_user,
)
from danvan.petitions.workflow import PetitionKind

pytestmark = pytest.mark.django_db

LIST_URL = "/phan-anh-kien-nghi/tra-loi/"
PRIVATE_WORD = "Huỳnh Tấn Phát"  # only in the citizen's own content, never published


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST="localhost")


def _resolved(petition: Petition, *, consent: bool = True) -> Petition:
    Petition.objects.filter(pk=petition.pk).update(
        resolved_on=datetime.date(2026, 3, 2), status="closed", publish_consent=consent
    )
    petition.refresh_from_db()
    return petition


def _published(
    *,
    kind: PetitionKind = PetitionKind.FEEDBACK,
    title: str = "Đèn chiếu sáng hỏng trên đường Lê Lợi",
    category: str = "Chiếu sáng",
    commune_code: int = COMMUNE,
    answer: str = "Điện lực đã thay bóng đèn ngày 2/3.",
) -> Petition:
    petition = _resolved(
        make_petition(
            kind=kind,
            category=category,
            commune_code=commune_code,
            content=f"Ông {PRIVATE_WORD} ở số 7 báo đèn hỏng đã lâu.",
        )
    )
    return publication.petition_publish(
        petition=petition,
        title=title,
        question="Đèn đường trước chợ hỏng nhiều tuần, người dân đề nghị sửa.",
        answer=answer,
        actor=None,
    )


def _listed_codes(html: str) -> list[str]:
    return re.findall(r'href="/phan-anh-kien-nghi/tra-loi/(PA-[0-9-]+)/"', html)


def test_only_published_consented_feedback_and_recommendations_are_listed(
    client: Client,
) -> None:
    feedback = _published()
    recommendation = _published(kind=PetitionKind.RECOMMENDATION, title="Đề nghị thêm cây xanh")
    not_consented = _resolved(make_petition(), consent=False)
    Petition.objects.filter(pk=not_consented.pk).update(
        published_at=feedback.published_at, public_title="Không đồng ý"
    )
    not_published = _resolved(make_petition())
    hidden_kinds = []
    for kind in (PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION):
        petition = _resolved(make_petition(kind=kind))
        # Even forced into the columns, a complaint or a denunciation is never listed.
        Petition.objects.filter(pk=petition.pk).update(
            published_at=feedback.published_at, public_title="Không được công khai"
        )
        hidden_kinds.append(petition)

    html = client.get(LIST_URL).content.decode()

    assert sorted(_listed_codes(html)) == sorted([feedback.code, recommendation.code])
    for petition in [not_consented, not_published, *hidden_kinds]:
        assert petition.code not in html
        detail = client.get(reverse("petitions_portal:answer", args=[petition.code]))
        assert detail.status_code == 404


def test_no_personal_data_nor_the_citizen_content_on_the_pages(client: Client) -> None:
    petition = _published()

    pages = [
        client.get(LIST_URL).content.decode(),
        client.get(reverse("petitions_portal:answer", args=[petition.code])).content.decode(),
    ]

    assert petition.code in pages[1]
    assert "Điện lực đã thay bóng đèn" in pages[1]
    for html in pages:
        for secret in (
            PERSON.name,
            PERSON.phone,
            PERSON.email,
            PERSON.address,
            PERSON.identity_number,
            PRIVATE_WORD,
            petition.content,
        ):
            assert secret not in html


def test_search_ignores_diacritics_and_looks_only_at_the_published_words(
    client: Client,
) -> None:
    lighting = _published()
    trees = _published(kind=PetitionKind.RECOMMENDATION, title="Đề nghị trồng thêm cây xanh")

    found = _listed_codes(client.get(LIST_URL, {"q": "CHIEU sang"}).content.decode())
    accented = _listed_codes(client.get(LIST_URL, {"q": "chiếu sáng"}).content.decode())
    private = client.get(LIST_URL, {"q": "huynh tan phat"}).content.decode()

    assert found == accented == [lighting.code]
    assert trees.code not in found
    assert _listed_codes(private) == []
    assert 'data-testid="no-answers"' in private


def test_filters_by_commune_and_category(client: Client) -> None:
    other = Commune.objects.filter(province_id=82).exclude(code=COMMUNE).order_by("code").first()
    assert other is not None
    here = _published(category="Chiếu sáng")
    there = _published(category="Môi trường", commune_code=other.code, title="Rác thải ven kênh")

    by_commune = client.get(LIST_URL, {"commune": other.code}).content.decode()
    by_category = client.get(LIST_URL, {"category": "Chiếu sáng"}).content.decode()

    assert _listed_codes(by_commune) == [there.code]
    assert _listed_codes(by_category) == [here.code]
    assert f'<option value="{other.code}"' in by_commune


def test_a_wrong_filter_is_answered_beside_its_field(client: Client) -> None:
    _published()

    response = client.get(LIST_URL, {"commune": "abc", "q": "đèn"})

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="field-commune">.*?class="field-error"', html, re.S)
    assert 'value="đèn"' in html


def test_the_list_is_paginated_with_the_filters_kept(client: Client) -> None:
    for number in range(PAGE_SIZE + 3):
        _published(title=f"Đèn chiếu sáng số {number}")

    first = client.get(LIST_URL, {"q": "chieu sang"}).content.decode()
    second = client.get(LIST_URL, {"q": "chieu sang", "page": "2"}).content.decode()

    assert len(_listed_codes(first)) == PAGE_SIZE
    assert len(_listed_codes(second)) == 3
    assert "?q=chieu+sang&amp;page=2" in first
    assert set(_listed_codes(first)).isdisjoint(_listed_codes(second))


def test_list_and_detail_cost_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    petitions = [_published(title=f"Đèn số {n}", category=f"Loại {n % 3}") for n in range(4)]
    client.get(LIST_URL)  # the site's header reads its sections once per process

    # Ours: the communes and the categories of the filters, the count and the page;
    # the rest is the site's header (base.html).
    with django_assert_max_num_queries(10) as few:
        assert client.get(LIST_URL, {"q": "den", "category": "Loại 1"}).status_code == 200
    for n in range(4, 12):
        _published(title=f"Đèn số {n}", category=f"Loại {n % 3}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST_URL, {"q": "den", "category": "Loại 1"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(LIST_URL).status_code == 200
    with django_assert_max_num_queries(7):
        url = reverse("petitions_portal:answer", args=[petitions[0].code])
        assert client.get(url).status_code == 200


def test_publish_refuses_what_may_not_be_published() -> None:
    complaint = _resolved(make_petition(kind=PetitionKind.COMPLAINT))
    unresolved = make_petition()
    Petition.objects.filter(pk=unresolved.pk).update(publish_consent=True)
    unresolved.refresh_from_db()

    for petition in (complaint, unresolved, _resolved(make_petition(), consent=False)):
        with pytest.raises(ValidationError) as raised:
            publication.petition_publish(
                petition=petition, title="T", question="Q", answer="A", actor=None
            )
        assert "__all__" in raised.value.message_dict
        petition.refresh_from_db()
        assert petition.published_at is None
    with pytest.raises(ValidationError) as empty:
        publication.petition_publish(
            petition=_resolved(make_petition()), title=" ", question="", answer="", actor=None
        )
    assert set(empty.value.message_dict) == {"public_title", "public_question", "public_answer"}


def test_the_handler_publishes_and_takes_off_from_the_case_page(client: Client) -> None:
    tree = org_tree()
    handler = staff_user(tree.inspectorate, Role.HANDLER, username="xuly")
    other = staff_user(tree.province, Role.EDITOR, username="xem")
    petition = _resolved(make_petition(organization=tree.inspectorate, assigned_to=handler))
    case_url = reverse("petitions_staff:case", args=[petition.code])
    publish_url = reverse("petitions_staff:publish", args=[petition.code])

    assert client.login(username="xem", password=PASSWORD)
    assert 'data-testid="publish"' not in client.get(case_url).content.decode()
    client.post(publish_url, {"public_title": "T", "public_question": "Q", "public_answer": "A"})
    petition.refresh_from_db()
    assert petition.published_at is None
    assert other.pk

    assert client.login(username="xuly", password=PASSWORD)
    assert 'data-testid="publish"' in client.get(case_url).content.decode()
    bad = client.post(publish_url, {"public_title": "Đèn hỏng", "public_question": ""})
    assert bad.status_code == 200
    assert re.search(r'name="public_title"[^>]*value="Đèn hỏng"', bad.content.decode())
    response = client.post(
        publish_url,
        {
            "public_title": "Đèn hỏng trước chợ",
            "public_question": "Đèn đường hỏng đã lâu.",
            "public_answer": "Đã thay bóng đèn.",
        },
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.published_at is not None
    assert petition.code in Client(HTTP_HOST="localhost").get(LIST_URL).content.decode()
    assert AuditEvent.objects.filter(
        action="petition.publish", target_id=str(petition.pk)
    ).exists()

    client.post(publish_url, {"unpublish": "1"})
    petition.refresh_from_db()
    assert petition.published_at is None
    assert petition.code not in Client(HTTP_HOST="localhost").get(LIST_URL).content.decode()
