"""Dialogues and commitments in the back-office: list, plan, notice, minutes, follow-up."""

import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document
from pytest_django import DjangoAssertNumQueries

from danvan.geo.models import Province
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import organization_create
from danvan.petitions.tests.factories import PASSWORD, make_petition, staff_user
from danvan.reception import dialogues
from danvan.reception.models import Commitment, CommitmentStatus, Dialogue, DialogueStatus
from danvan.reception.tests.factories import ReceptionPlace, reception_place

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))
TODAY = datetime.date(2026, 9, 14)
AN_GIANG = 91


def vi(msgid: str, **params: Any) -> str:
    with translation.override("vi"):
        text = translation.gettext(msgid)
    return text % params if params else text


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(9), TZ), tick=False):
        yield


@dataclass
class World:
    place: ReceptionPlace
    other: Organization
    outsider: Any


@pytest.fixture
def world() -> World:
    place = reception_place()
    other = organization_create(
        actor=None,
        code="t-ubnd-an-giang",
        name="Ủy ban nhân dân tỉnh An Giang",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=OrganizationLevel.PROVINCE,
        province=Province.objects.get(code=AN_GIANG),
    )
    return World(
        place=place, other=other, outsider=staff_user(other, Role.HEAD, username="angiang")
    )


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def annual(world: World, *, date: datetime.date = TODAY, **kwargs: Any) -> Dialogue:
    return dialogues.dialogue_plan(
        actor=world.place.officer,
        organization=world.place.commune,
        kind="annual",
        subject="Đối thoại với Nhân dân năm 2026",
        date=date,
        place="Hội trường UBND phường",
        chair_name="Nguyễn Văn Tâm",
        fatherland_front=world.place.front,
        **kwargs,
    )


def held(world: World, **kwargs: Any) -> Dialogue:
    dialogue = annual(world, date=TODAY - datetime.timedelta(days=30))
    commitments = kwargs.pop(
        "commitments",
        [
            dialogues.CommitmentInput(
                description="Sửa đường ngõ 12",
                owner=world.place.commune,
                due_on=TODAY - datetime.timedelta(days=5),
            )
        ],
    )
    return dialogues.dialogue_record_held(
        actor=world.place.officer,
        dialogue=dialogue,
        participants=[
            dialogues.ParticipantInput(side="citizen", name="Lê Văn Hùng", signature="signed")
        ],
        issues=[dialogues.IssueInput(question="Đường ngõ 12 sụt lún")],
        minutes_summary="UBND phường cam kết sửa đường.",
        commitments=commitments,
    )


LIST = "/admin/reception/dialogues/"
NEW = "/admin/reception/dialogues/new/"


def test_list_shows_the_dialogues_of_the_bodies_read(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    dialogue = annual(world)
    url = reverse("reception_staff:dialogue", args=[dialogue.pk])
    client = login(world.place.officer)
    response = client.get(LIST)
    assert response.status_code == 200
    assert url in response.text
    assert "14/09/2026" in response.text
    assert url not in login(world.outsider).get(LIST).text
    assert login(world.outsider).get(url).status_code == 404
    with django_assert_max_num_queries(40) as few:
        client.get(LIST)
    baseline = len(few.captured_queries)
    for index in range(1, 6):
        annual(world, date=TODAY + datetime.timedelta(days=index))
    with django_assert_max_num_queries(baseline):
        response = client.get(LIST)
    assert response.text.count('data-testid="dialogue-row"') == 6
    assert (
        login(world.place.officer)
        .get(LIST, {"status": "held"})
        .text.count('data-testid="dialogue-row"')
        == 0
    )


def plan_form(world: World, **changes: str) -> dict[str, str]:
    data = {
        "organization": str(world.place.commune.pk),
        "kind": "annual",
        "petition": "",
        "fatherland_front": str(world.place.front.pk),
        "subject": "Đối thoại với Nhân dân năm 2026",
        "date": "2026-10-20",
        "starts_at": "08:00",
        "place": "Hội trường UBND phường",
        "chair_name": "Nguyễn Văn Tâm",
        "chair_title": "Chủ tịch UBND phường",
        "notice_number": "",
        "notice_sent_on": "",
    }
    data.update(changes)
    return data


def test_plan_an_annual_dialogue(world: World) -> None:
    client = login(world.place.officer)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, plan_form(world))
    dialogue = Dialogue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reception_staff:dialogue", args=[dialogue.pk])
    assert dialogue.fatherland_front == world.place.front
    assert dialogue.starts_at == datetime.time(8)


def test_plan_a_complaint_dialogue_names_a_complaint_by_its_code(world: World) -> None:
    client = login(world.place.officer)
    response = client.post(NEW, plan_form(world, kind="complaint", petition="PA-2026-999999"))
    assert response.status_code == 200
    assert vi("No petition you may open has the code %(code)s.", code="PA-2026-999999") in (
        response.text
    )
    feedback = make_petition(organization=world.place.commune)
    response = client.post(NEW, plan_form(world, kind="complaint", petition=feedback.code))
    assert response.status_code == 200
    message = vi(
        "%(code)s is not a complaint: only a complaint is resolved by dialogue.",
        code=feedback.code,
    )
    html = response.text
    assert (
        html.index('data-field="petition"')
        < html.index(message)
        < html.index('data-field="fatherland_front"')
    )
    assert not Dialogue.objects.exists()


def test_notice_is_recorded_and_a_future_notice_refused(world: World) -> None:
    dialogue = annual(world, date=TODAY + datetime.timedelta(days=20))
    client = login(world.place.officer)
    url = reverse("reception_staff:dialogue_step", args=[dialogue.pk, "notice"])
    response = client.post(
        url, {"notice-notice_number": "12/TB", "notice-notice_sent_on": "2026-09-20"}
    )
    assert response.status_code == 200
    assert vi("A notice cannot be sent in the future.") in response.text
    response = client.post(
        url, {"notice-notice_number": "12/TB", "notice-notice_sent_on": "2026-09-14"}
    )
    assert response.status_code == 302
    dialogue.refresh_from_db()
    assert dialogue.notice_number == "12/TB"


def test_a_dialogue_to_come_offers_no_minutes_form(world: World) -> None:
    dialogue = annual(world, date=TODAY + datetime.timedelta(days=20))
    page = login(world.place.officer).get(reverse("reception_staff:dialogue", args=[dialogue.pk]))
    assert 'data-testid="held-later"' in page.text
    assert 'data-testid="held-form"' not in page.text


def held_form(**changes: str) -> dict[str, str]:
    data = {
        "held-minutes_summary": "UBND phường cam kết sửa đường ngõ 12.",
        "participants-TOTAL_FORMS": "4",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "50",
        "participants-0-side": "official",
        "participants-0-name": "Nguyễn Văn Tâm",
        "participants-0-signature": "signed",
        "participants-1-side": "citizen",
        "participants-1-name": "Lê Văn Hùng",
        "participants-1-signature": "refused",
        "participants-1-refusal_reason": "Không đồng ý kết luận",
        "issues-TOTAL_FORMS": "3",
        "issues-INITIAL_FORMS": "0",
        "issues-MIN_NUM_FORMS": "0",
        "issues-MAX_NUM_FORMS": "50",
        "issues-0-question": "Đường ngõ 12 sụt lún",
        "issues-0-answer": "Sẽ sửa trong tháng 10",
        "commitments-TOTAL_FORMS": "3",
        "commitments-INITIAL_FORMS": "0",
        "commitments-MIN_NUM_FORMS": "0",
        "commitments-MAX_NUM_FORMS": "50",
        "commitments-0-description": "Sửa đường ngõ 12",
        "commitments-0-due_on": "2026-10-31",
        "commitments-0-issue": "1",
    }
    for index in range(2, 4):
        data[f"participants-{index}-side"] = "citizen"
        data[f"participants-{index}-signature"] = "signed"
    data.update(changes)
    return data


def test_record_held_stores_the_minutes_and_the_commitments(world: World) -> None:
    dialogue = annual(world)
    client = login(world.place.officer)
    url = reverse("reception_staff:dialogue_step", args=[dialogue.pk, "held"])
    data = held_form(**{"commitments-0-owner": str(world.place.commune.pk)})
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.HELD
    assert dialogue.participants.count() == 2
    commitment = Commitment.objects.get()
    assert commitment.owner == world.place.commune
    assert commitment.issue is not None
    assert 'data-testid="minutes"' in response.text
    minutes = client.get(reverse("reception_staff:dialogue_minutes", args=[dialogue.pk]))
    assert minutes.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(minutes.content)).paragraphs)
    assert "UBND phường cam kết sửa đường ngõ 12." in text


def test_record_held_shows_the_errors_beside_the_participant(world: World) -> None:
    dialogue = annual(world)
    client = login(world.place.officer)
    url = reverse("reception_staff:dialogue_step", args=[dialogue.pk, "held"])
    response = client.post(
        url,
        held_form(
            **{
                "participants-1-refusal_reason": "",
                "commitments-0-owner": str(world.place.commune.pk),
            }
        ),
    )
    assert response.status_code == 200
    message = vi("The minutes must record why this party refused to sign.")
    html = response.text
    assert message in html
    second = html.index('name="participants-1-refusal_reason"')
    assert second < html.index(message) < html.index('name="participants-2-side"')
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.PLANNED
    assert not Commitment.objects.exists()


def test_cancel_needs_a_reason_and_only_the_organizers_may(world: World) -> None:
    dialogue = annual(world)
    url = reverse("reception_staff:dialogue_step", args=[dialogue.pk, "cancel"])
    reader = login(world.place.province_chairman)
    reader.post(url, {"cancel-reason": "Hoãn"})
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.PLANNED
    client = login(world.place.officer)
    assert client.post(url, {"cancel-reason": ""}).status_code == 200
    assert client.post(url, {"cancel-reason": "Hoãn vì bão"}).status_code == 302
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.CANCELLED


# Commitments ---------------------------------------------------------------------------


def test_commitments_list_filters_the_overdue(world: World) -> None:
    held(
        world,
        commitments=[
            dialogues.CommitmentInput(
                description="Sửa đường ngõ 12",
                owner=world.place.commune,
                due_on=TODAY - datetime.timedelta(days=5),
            ),
            dialogues.CommitmentInput(
                description="Lắp đèn chiếu sáng",
                owner=world.place.commune,
                due_on=TODAY + datetime.timedelta(days=30),
            ),
        ],
    )
    client = login(world.place.officer)
    everything = client.get("/admin/reception/commitments/")
    assert everything.text.count('data-testid="commitment-row"') == 2
    overdue = client.get("/admin/reception/commitments/", {"overdue": "on"})
    assert overdue.text.count('data-testid="commitment-row"') == 1
    assert "Sửa đường ngõ 12" in overdue.text
    outsider = login(world.outsider).get("/admin/reception/commitments/")
    assert 'data-testid="commitment-row"' not in outsider.text


def test_commitments_list_queries_do_not_grow_with_rows(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    held(world)
    client = login(world.place.chairman)
    client.get("/admin/reception/commitments/")
    with django_assert_max_num_queries(40) as few:
        client.get("/admin/reception/commitments/")
    baseline = len(few.captured_queries)
    held(
        world,
        commitments=[
            dialogues.CommitmentInput(
                description=f"Việc số {index}",
                owner=world.place.commune,
                due_on=TODAY + datetime.timedelta(days=index),
            )
            for index in range(6)
        ],
    )
    with django_assert_max_num_queries(baseline):
        response = client.get("/admin/reception/commitments/")
    assert response.text.count('data-testid="commitment-row"') == 7


def test_commitment_update_records_done_and_refuses_a_missing_date(world: World) -> None:
    held(world)
    commitment = Commitment.objects.get()
    url = reverse("reception_staff:commitment", args=[commitment.pk])
    client = login(world.place.officer)
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "done", "done_on": "", "note": "Đã sửa"})
    assert response.status_code == 200
    assert vi("Give the day the commitment was done.") in response.text
    response = client.post(url, {"status": "done", "done_on": "2026-09-10", "note": "Đã sửa"})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.DONE
    assert commitment.done_on == datetime.date(2026, 9, 10)
    assert login(world.outsider).get(url).status_code == 404
