"""The citizen's rating of a closed petition: service, portal form and API."""

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from danvan.core.models import AuditEvent
from danvan.petitions import keys
from danvan.petitions.actions import petition_act
from danvan.petitions.models import Petition, PetitionRating
from danvan.petitions.ratings import petition_rate
from danvan.petitions.tests.conftest import translated
from danvan.petitions.tests.factories import make_petition, org_tree, staff_user
from danvan.petitions.workflow import Action, Status

pytestmark = pytest.mark.django_db

KEY = "khoa-danh-gia"


@pytest.fixture
def officer() -> Any:
    tree = org_tree()
    return staff_user(tree.inspectorate, "head", username="truong"), tree


def _closed(officer: Any) -> Petition:
    user, tree = officer
    petition = make_petition(organization=tree.inspectorate, assigned_to=user)
    for action in (Action.CLASSIFY, Action.ACCEPT, Action.DECIDE, Action.NOTIFY, Action.CLOSE):
        petition = petition_act(petition=petition, action=action, actor=user, note="Đã xử lý.")
    Petition.objects.filter(pk=petition.pk).update(lookup_key_hash=keys.lookup_key_hash(KEY))
    petition.refresh_from_db()
    assert petition.status == Status.CLOSED
    return petition


def test_closed_petition_is_rated_once_and_audited_without_the_comment(officer: Any) -> None:
    petition = _closed(officer)

    rating = petition_rate(
        petition=petition,
        score=4,
        comment="Cán bộ Nguyễn B rất nhiệt tình",
        reopen_requested=False,
    )

    assert rating.score == 4
    event = AuditEvent.objects.get(action="petition.rate")
    assert event.data["score"] == 4
    assert "Nguyễn" not in str(event.data)
    with pytest.raises(ValidationError) as error:
        petition_rate(petition=petition, score=5, comment="", reopen_requested=False)
    assert error.value.message_dict["petition"] == [
        translated("You have already rated this answer. It can be rated again if it is reopened.")
    ]
    assert PetitionRating.objects.count() == 1


def test_open_petition_and_bad_score_are_refused() -> None:
    petition = make_petition()

    with pytest.raises(ValidationError) as error:
        petition_rate(petition=petition, score=6, comment="", reopen_requested=False)

    assert error.value.message_dict == {
        "score": [translated("Choose a score from %(min)d to %(max)d.", min=1, max=5)],
        "petition": [translated("The petition can be rated once it is closed.")],
    }


def test_rating_again_after_reopening_and_closing(officer: Any) -> None:
    user, _tree = officer
    petition = _closed(officer)
    petition_rate(petition=petition, score=2, comment="", reopen_requested=True)

    for action in (Action.REOPEN, Action.DECIDE, Action.NOTIFY, Action.CLOSE):
        petition = petition_act(petition=petition, action=action, actor=user, note="Xử lý lại.")
    rating = petition_rate(petition=petition, score=5, comment="", reopen_requested=False)

    assert rating.score == 5
    assert PetitionRating.objects.filter(petition=petition).count() == 2


def test_portal_rating_form_records_the_rating(officer: Any) -> None:
    petition = _closed(officer)
    client = Client(HTTP_HOST="localhost")

    page = client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": petition.code, "key": KEY})
    assert 'action="/phan-anh-kien-nghi/danh-gia/"' in page.content.decode()
    wrong = client.post(
        "/phan-anh-kien-nghi/danh-gia/", {"code": petition.code, "key": "sai", "score": 5}
    )
    response = client.post(
        "/phan-anh-kien-nghi/danh-gia/",
        {"code": petition.code, "key": KEY, "score": 5, "comment": "Cảm ơn"},
        follow=True,
    )

    assert translated("No petition matches this code and lookup key.") in wrong.content.decode()
    assert translated("Thank you: your rating was recorded.") in response.content.decode()
    assert PetitionRating.objects.get().score == 5
    again = client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": petition.code, "key": KEY})
    assert 'action="/phan-anh-kien-nghi/danh-gia/"' not in again.content.decode()


def test_api_rating(officer: Any) -> None:
    petition = _closed(officer)
    client = Client(HTTP_HOST="localhost")
    url = f"/api/v1/petitions/{petition.code}/rating"

    def post(body: dict[str, Any]) -> Any:
        return client.post(url, json.dumps(body), content_type="application/json")

    wrong = post({"key": "sai", "score": 5})
    created = post({"key": KEY, "score": 3, "reopen_requested": True})
    twice = post({"key": KEY, "score": 3})

    assert wrong.status_code == 404
    assert created.status_code == 201
    assert created.json()["reopen_requested"] is True
    assert twice.status_code == 422
    assert twice.json()["detail"][0]["field"] == "petition"
