"""Email to the citizen at each public step, and the daily digests."""

import datetime
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from danvan.petitions import handling
from danvan.petitions.notifications import DIGEST_ACTION, due_digests_send
from danvan.petitions.tests.conftest import translated
from danvan.petitions.tests.test_routing_handling import (
    CITIZEN,
    DENOUNCER,
    NOW,
    _receive,
    tree,  # noqa: F401 (fixture)
)
from danvan.petitions.workflow import PetitionKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_citizen_is_emailed_at_receipt_and_at_each_public_step(
    tree: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        petition = _receive(PetitionKind.FEEDBACK, [CITIZEN])
    assert [m.to for m in mail.outbox] == [[CITIZEN.email]]
    assert mail.outbox[0].subject == f"Đơn {petition.code}: Đã tiếp nhận"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        handling.petition_perform(
            petition=petition,
            actor=tree["reception"],
            action="request_information",
            note="Xin bổ sung ảnh chụp đoạn đường bị ngập.",
        )
    assert len(mail.outbox) == 1
    assert "Xin bổ sung ảnh chụp" in mail.outbox[0].body
    mail.outbox.clear()
    # An internal step (not shown to the citizen) sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        handling.petition_perform(
            petition=petition, actor=tree["reception"], action="receive", is_public=False
        )
    assert mail.outbox == []


def test_nobody_is_emailed_for_an_anonymous_petition(
    tree: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _receive(PetitionKind.DENUNCIATION, [])
    assert mail.outbox == []


def test_digests_go_once_a_day_and_never_name_a_denouncer(
    tree: Any,  # noqa: F811
) -> None:
    for username in ("handler1", "head_tt", "head_ubnd", "handler2"):
        tree[username].email = f"{username}@example.vn"
        tree[username].save()
    denunciation = _receive(PetitionKind.DENUNCIATION, [DENOUNCER], title="Tố cáo cán bộ thuế")
    handling.petition_perform(
        petition=denunciation, actor=tree["reception"], action="route", organization="thanhtra-x"
    )
    handling.petition_perform(
        petition=denunciation, actor=tree["head_tt"], action="assign", assignee=tree["handler1"]
    )
    # Received Monday 3 March: 7 working days → due Wednesday 12 March.
    with time_machine.travel(datetime.datetime(2025, 3, 11, 8, tzinfo=NOW.tzinfo), tick=False):
        assert due_digests_send() == 1  # the handler: due soon; no head has overdue cases
    (soon,) = mail.outbox
    assert soon.to == ["handler1@example.vn"]
    assert denunciation.code in soon.body
    assert DENOUNCER.name not in soon.body
    mail.outbox.clear()
    with time_machine.travel(datetime.datetime(2025, 3, 14, 8, tzinfo=NOW.tzinfo), tick=False):
        assert due_digests_send() == 3  # the handler, and both heads above: overdue
        assert due_digests_send() == 0  # not twice the same day
        call_command("send_due_digests", verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "handler1@example.vn",
        "head_tt@example.vn",
        "head_ubnd@example.vn",
    ]
    for message in mail.outbox:
        assert denunciation.code in message.body
        assert DENOUNCER.name not in message.body
    from danvan.core.models import AuditEvent

    assert AuditEvent.objects.filter(action=DIGEST_ACTION).count() == 4


# --- sections added by other apps (the digest hook) ----------------------------------


@pytest.fixture
def section_calls() -> Any:
    """Register a section listing overdue "inspections" of the inspectorate; remove it after."""
    from danvan.petitions.notifications import (
        DigestItem,
        DigestSection,
        digest_section_register,
        digest_section_unregister,
    )

    calls: list[datetime.date] = []
    items: list[DigestItem] = []

    def overdue(today: datetime.date) -> list[DigestItem]:
        calls.append(today)
        return items

    digest_section_register(
        DigestSection(
            key="inspections",
            heading=lambda count: f"{count} kiểm tra quá hạn:",
            items=overdue,
        )
    )
    yield calls, items
    digest_section_unregister("inspections")


def test_a_section_reaches_the_heads_of_the_item_organization_and_above(
    tree: Any,  # noqa: F811
    section_calls: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from danvan.petitions import notifications
    from danvan.petitions.notifications import DigestItem

    calls, items = section_calls
    for username in ("handler1", "head_tt", "head_ubnd", "head_other"):
        tree[username].email = f"{username}@example.vn"
        tree[username].save()
    items += [
        DigestItem(organization_id=tree["thanhtra"].pk, due=datetime.date(2025, 3, 1), text="B"),
        DigestItem(organization_id=tree["thanhtra"].pk, due=datetime.date(2025, 2, 1), text="A"),
        DigestItem(organization_id=tree["ubnd"].pk, due=datetime.date(2025, 2, 15), text="C"),
    ]
    # No petition is due: the heads get a digest for the section alone, the handler none.
    assert due_digests_send() == 2
    assert calls == [NOW.date()]  # asked once per run, not once per recipient
    sent = {message.to[0]: message.body for message in mail.outbox}
    assert set(sent) == {"head_tt@example.vn", "head_ubnd@example.vn"}
    inspectorate = sent["head_tt@example.vn"]
    assert "2 kiểm tra quá hạn:" in inspectorate
    assert inspectorate.index("- A ·") < inspectorate.index("- B ·")  # earliest due first
    assert "Thứ Bảy, 1/2/2025" in inspectorate
    assert "- C ·" not in inspectorate  # the committee above is not the inspectorate's
    assert "3 kiểm tra quá hạn:" in sent["head_ubnd@example.vn"]  # its own and those below
    from danvan.core.models import AuditEvent

    event = AuditEvent.objects.get(action=DIGEST_ACTION, target_id=str(tree["head_tt"].pk))
    assert event.data["inspections"] == 2

    # Long lists are cut like the petitions' lists.
    mail.outbox.clear()
    monkeypatch.setattr(notifications, "DIGEST_MAX_ROWS", 1)
    with time_machine.travel(datetime.datetime(2025, 3, 4, 8, tzinfo=NOW.tzinfo), tick=False):
        assert due_digests_send() == 2
    body = {message.to[0]: message.body for message in mail.outbox}["head_ubnd@example.vn"]
    assert "- A ·" in body
    assert "- B ·" not in body
    assert translated("… and %(more)s more items.", more=2) in body


def test_a_section_may_not_take_a_key_of_the_petitions() -> None:
    from danvan.petitions.notifications import DigestSection, digest_section_register

    with pytest.raises(ValueError, match="taken"):
        digest_section_register(DigestSection(key="overdue", heading=str, items=lambda day: []))
