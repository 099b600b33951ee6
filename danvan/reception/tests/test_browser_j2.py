"""J2 in a browser: a citizen brings a land complaint on the chairman's duty day.

The commune's reception officer sees the chairman's published duty day on
the portal, logs the visit in the back-office with the complaint recorded
and signed, gets the visit's number, the petition's code and the citizen's
lookup key, and follows the link to the petition, whose acceptance clock
runs from today (the petitions app's rule for a complaint).
"""

import datetime
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from danvan.petitions.limits import RECEIPT_RULES
from danvan.petitions.models import Channel, Petition
from danvan.petitions.rules import due_date, rules_in_force
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.tests.factories import PASSWORD
from danvan.petitions.workflow import PetitionKind, Status
from danvan.reception import schedules
from danvan.reception.models import ScheduleStatus, Visit, VisitKind, VisitOutcome
from danvan.reception.tests.factories import reception_place

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/shots")  # noqa: S108 (screenshots to look at, not secrets)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium is not installed at {CHROMIUM}"
    ),
]


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"j2-{name}.png"), full_page=True)


def test_j2_from_the_duty_day_to_the_petition(units_loaded, live_server, browser) -> None:
    place = reception_place()
    today = timezone.localdate()
    duty_day = schedules.schedule_create(
        actor=place.officer,
        organization=place.commune,
        leader=place.chairman,
        leader_title="Chủ tịch UBND phường Mỹ Tho",
        date=today,
        starts_at=datetime.time(0, 0),
        ends_at=datetime.time(23, 59),
        place="Trụ sở UBND phường Mỹ Tho",
    )
    schedules.schedule_publish(actor=place.officer, schedule=duty_day)

    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()

    # The portal shows the chairman's day to the citizen.
    page.goto(f"{live_server.url}/lich-tiep-cong-dan/?province={place.commune.province_id}")
    assert "Chủ tịch UBND phường Mỹ Tho" in page.content()
    assert today.strftime("%d/%m/%Y") in page.content()
    _shot(page, "1-portal")

    # The reception officer signs in and logs the visit.
    page.goto(f"{live_server.url}/admin/reception/visits/new/")
    assert "/admin/login/" in page.url
    page.fill("#id_username", place.officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_selector("[data-testid=visit-form]")
    form = page.locator("[data-testid=visit-form]")
    page.fill("#id_received_on", today.isoformat())
    page.select_option("#id_schedule", str(duty_day.pk))
    page.select_option("#id_kind", VisitKind.COMPLAINT)
    page.fill("#id_summary", "Khiếu nại quyết định thu hồi đất, cho rằng diện tích đo thiếu.")
    page.select_option("#id_outcome", VisitOutcome.RECORDED)
    page.fill("#id_people-0-name", "Lê Thị Mai")
    page.fill("#id_people-0-address", "Ấp Tân Thuận, phường Mỹ Tho")
    page.fill("#id_people-0-identity_document", "CCCD 082190001234")
    # The commune chooser opens a search dialog; its hidden input takes the code.
    page.eval_on_selector("input[name=commune]", f"e => {{ e.value = '{COMMUNE}'; }}")
    page.check("#id_is_signed")
    page.select_option("#id_parts-0-kind", PetitionKind.COMPLAINT)
    page.fill("#id_parts-0-title", "Khiếu nại quyết định thu hồi đất làm đường")
    page.fill("#id_parts-0-content", "Diện tích thu hồi đo thiếu 120 m² so với giấy chứng nhận.")
    page.fill("#id_parts-0-category", "Đất đai")
    _shot(page, "2-visit-form")
    form.locator("[data-testid=record-visit]").click()

    # The visit's page: the number, the petition's code and the key to hand over.
    page.wait_for_selector("[data-testid=visit-receipt]")
    _shot(page, "3-visit")
    visit = Visit.objects.get()
    assert (visit.number, visit.kind, visit.outcome) == (1, VisitKind.COMPLAINT, "recorded")
    assert visit.schedule == duty_day
    petition = visit.petitions.get()
    key = page.locator("[data-testid=lookup-key]").inner_text().strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{12}", key)
    receipt = page.locator("[data-testid=visit-receipt]").inner_text()
    assert petition.code in receipt

    # The petition: in person, held by the commune, signed, its clock from today.
    assert (petition.kind, petition.channel, petition.status) == (
        PetitionKind.COMPLAINT,
        Channel.IN_PERSON,
        Status.RECEIVED,
    )
    assert petition.organization == place.commune
    assert petition.is_signed
    rule = rules_in_force(RECEIPT_RULES[PetitionKind.COMPLAINT], today)
    assert petition.expected_response_by == due_date(rule, today)
    page.locator("[data-testid=visit-receipt]").get_by_text(petition.code).first.click()
    page.wait_for_selector("[data-testid=status]")
    assert f"/admin/petitions/{petition.code}/" in page.url
    assert petition.expected_response_by.strftime("%d/%m/%Y") in page.content()
    _shot(page, "4-petition")

    # The citizen's lookup answers with the same code and key.
    assert Petition.objects.filter(code=petition.code).count() == 1
    duty_day.refresh_from_db()
    assert duty_day.status == ScheduleStatus.PUBLISHED
    context.close()
