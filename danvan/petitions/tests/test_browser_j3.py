"""J3 in a browser: a denunciation against an official, handled in the back-office.

Only the assigned handler and the head of the unit see who sent it; another
handler sees a redacted copy; every look at the identity is recorded. The
case is classified as complex, accepted, extended once in writing, decided
and the result notified.
"""

import datetime
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from danvan.core.models import AuditEvent
from danvan.orgs.models import Role
from danvan.petitions.confidentiality import IDENTITY_VIEW_ACTION
from danvan.petitions.models import Petition
from danvan.petitions.services import PetitionerInput
from danvan.petitions.tests.factories import PASSWORD, make_petition, org_tree, staff_user
from danvan.petitions.workflow import PetitionKind, Status

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/shots")  # noqa: S108 (screenshots to look at, not secrets)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium is not installed at {CHROMIUM}"
    ),
]

DENOUNCER = PetitionerInput(
    name="Lê Văn Tố Giác",
    identity_number="082111222333",
    phone="0987 654 321",
    address="5 Hùng Vương, phường Mỹ Tho",
)
REDACTED = "Danh tính được bảo mật"


def status_vi(status: Status) -> str:
    with translation.override("vi"):
        return str(status.label)


class Desk:
    """One staff member's browser, signed in to the back-office."""

    def __init__(self, browser: Any, base: str, user: Any) -> None:
        self.base = base
        self.user = user
        self.context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
        self.page = self.context.new_page()
        #: Case pages loaded by this user (each one records an identity view if shown).
        self.case_loads = 0
        self.page.goto(f"{base}/admin/petitions/")
        # The back-office sends an anonymous visitor to Wagtail's sign-in page.
        assert "/admin/login/" in self.page.url
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("form.login-form button[type=submit]")
        self.page.wait_for_url(f"{base}/admin/petitions/")

    def open_case(self, code: str) -> None:
        self.page.goto(f"{self.base}/admin/petitions/{code}/")
        self.page.wait_for_selector("[data-testid=status]")
        self.case_loads += 1

    def step(
        self, action: str, fill: dict[str, str] | None = None, check: tuple[str, ...] = ()
    ) -> None:
        """Open the step's form, fill it, send it and wait for the case page again."""
        page = self.page
        page.eval_on_selector(f"details[data-step={action}]", "d => { d.open = true; }")
        for selector, value in (fill or {}).items():
            if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
                page.select_option(selector, value)
            else:
                page.fill(selector, value)
        for selector in check:
            page.check(selector)
        with page.expect_navigation():
            page.click(f"[data-testid=step-{action}]")
        page.wait_for_selector("[data-testid=status]")
        self.case_loads += 1
        assert page.locator(".messages .success, .w-messages .success, [class*=success]").count()

    def open_steps(self) -> None:
        """Unfold every step's form (for a screenshot)."""
        self.page.eval_on_selector_all(
            "details.dv-step", "ds => ds.forEach(d => { d.open = true; })"
        )

    def text(self, testid: str) -> str:
        return str(self.page.inner_text(f"[data-testid={testid}]")).strip()

    def shot(self, name: str) -> None:
        """Take a full-page screenshot.

        The admin scrolls inside its own panel, not the window, so the
        viewport is stretched to the tallest content first.
        """
        page = self.page
        size = page.viewport_size
        tallest = page.evaluate(
            "Math.max(...Array.from(document.querySelectorAll('*'), e => e.scrollHeight))"
        )
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], tallest)})
        page.screenshot(path=str(SHOTS / f"j3-{name}.png"), full_page=True)
        page.set_viewport_size(size)

    def close(self) -> None:
        self.context.close()


def _identity_views(user: Any) -> int:
    return AuditEvent.objects.filter(action=IDENTITY_VIEW_ACTION, actor_id=user.pk).count()


@pytest.mark.usefixtures("units_loaded")
def test_denunciation_is_handled_and_its_denouncer_protected(
    live_server: Any, browser: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tree = org_tree()
    office = tree.inspectorate
    head = staff_user(
        office, Role.HEAD, username="chanhthanhtra", last_name="Nguyễn Văn", first_name="Quang"
    )
    handler_a = staff_user(
        office, Role.HANDLER, username="xulya", last_name="Phạm Thị", first_name="Hòa"
    )
    handler_b = staff_user(
        office, Role.HANDLER, username="xulyb", last_name="Lê Văn", first_name="Minh"
    )
    petition = make_petition(
        kind=PetitionKind.DENUNCIATION,
        organization=office,
        petitioners=[DENOUNCER],
        title="Tố cáo cán bộ địa chính nhận tiền",
        content="Cán bộ địa chính phường nhận tiền để làm nhanh hồ sơ đất đai.",
    )
    assert petition.organization == office
    # Two other cases of the office, to see the inbox mark what is late or nearly due.
    today = timezone.localdate()
    late = make_petition(organization=office, title="Cống thoát nước trước chợ bị tắc")
    soon = make_petition(organization=office, title="Đèn chiếu sáng đường Hùng Vương hỏng")
    Petition.objects.filter(pk=late.pk).update(
        expected_response_by=today - datetime.timedelta(days=2)
    )
    Petition.objects.filter(pk=soon.pk).update(
        expected_response_by=today + datetime.timedelta(days=1)
    )
    assert petition.assigned_to is None
    code = petition.code
    base = live_server.url

    # The head opens the inbox: the row is there, the denouncer's name is not.
    chief = Desk(browser, base, head)
    chief.page.wait_for_selector(f"a:has-text('{code}')")
    assert DENOUNCER.name not in chief.page.content()
    with translation.override("vi"):
        overdue_label = translation.pgettext("due state", "Overdue")
    assert overdue_label in chief.page.inner_text(".dv-due--overdue")
    assert chief.page.locator(".dv-due--due_soon").count() == 1
    chief.shot("inbox")
    with chief.page.expect_navigation():
        chief.page.click(f"a:has-text('{code}')")
    chief.page.wait_for_selector("[data-testid=status]")
    chief.case_loads += 1
    assert chief.text("status") == status_vi(Status.RECEIVED)
    # The head of the holding body sees the identity.
    assert DENOUNCER.name in chief.text("petitioner")
    chief.open_steps()
    chief.shot("case-steps-head")
    chief.step("assign", fill={"#id_assign-assignee": str(handler_a.pk)})
    assert chief.text("assigned") == "Phạm Thị Hòa"
    assert Petition.objects.get(pk=petition.pk).assigned_to == handler_a

    chief.page.goto(f"{base}/admin/petitions/receive/")
    chief.page.wait_for_selector("[data-testid=intake-form]")
    chief.shot("intake")
    chief.close()

    # Handler A, assigned, sees the denouncer.
    desk_a = Desk(browser, base, handler_a)
    desk_a.open_case(code)
    assert DENOUNCER.name in desk_a.text("petitioner")
    assert DENOUNCER.identity_number in desk_a.text("petitioner")
    assert desk_a.page.locator("[data-testid=petitioner-redacted]").count() == 0
    desk_a.shot("case-handler-a")

    # Handler B, same office but not assigned, sees a redacted copy.
    desk_b = Desk(browser, base, handler_b)
    desk_b.open_case(code)
    assert desk_b.text("petitioner-redacted") == REDACTED
    html = desk_b.page.content()
    assert DENOUNCER.name not in html
    assert DENOUNCER.identity_number not in html
    assert DENOUNCER.phone not in html
    desk_b.shot("case-handler-b")
    desk_b.close()

    # Handler A handles the case.
    desk_a.step(
        "classify", fill={"#id_classify-category": "Đất đai"}, check=("#id_classify-is_complex",)
    )
    assert desk_a.text("status") == status_vi(Status.CLASSIFIED)

    desk_a.step("accept", fill={"#id_accept-note": "Thụ lý giải quyết tố cáo."})
    assert desk_a.text("status") == status_vi(Status.ACCEPTED)
    due_before = desk_a.text("due")
    desk_a.open_steps()
    desk_a.shot("case-steps-accepted")
    stored = Petition.objects.get(pk=petition.pk)
    assert stored.is_complex
    assert stored.expected_response_by is not None
    assert stored.expected_response_by.strftime("%d/%m/%Y") in due_before

    desk_a.step("extend", fill={"#id_extend-note": "Vụ việc phức tạp, gia hạn lần thứ nhất."})
    assert desk_a.text("status") == status_vi(Status.ACCEPTED)
    due_after = desk_a.text("due")
    assert due_after != due_before
    extended = Petition.objects.get(pk=petition.pk)
    assert extended.extensions == 1
    assert extended.expected_response_by > stored.expected_response_by
    assert extended.expected_response_by.strftime("%d/%m/%Y") in due_after
    assert desk_a.text("extensions") == "1 / 1"  # complex, not especially complex: once
    # Extended once for a complex denunciation: no second extension is offered.
    assert desk_a.page.locator("details[data-step=extend]").count() == 0

    answer = "Kết luận: nội dung tố cáo đúng một phần; đã kiến nghị xử lý kỷ luật cán bộ."
    desk_a.step("decide", fill={"#id_decide-note": answer})
    assert desk_a.text("status") == status_vi(Status.DECIDED)
    assert answer in desk_a.page.content()

    desk_a.step("notify", fill={"#id_notify-note": "Đã gửi thông báo kết quả cho người tố cáo."})
    assert desk_a.text("status") == status_vi(Status.NOTIFIED)
    assert DENOUNCER.name in desk_a.text("petitioner")
    desk_a.shot("case-handler-a-concluded")
    desk_a.close()

    # The head's dashboard counts the case as received, accepted and resolved.
    board = Desk(browser, base, head)
    board.page.goto(f"{base}/admin/petitions/dashboard/")
    board.page.wait_for_selector("[data-testid=totals]")
    totals = board.page.locator("[data-testid=totals] td").all_inner_texts()
    # Received, accepted, resolved, on-time rate, overdue now.
    assert [cell.strip() for cell in totals[:5]] == ["3", "1", "1", "100%", "1"]
    board.shot("dashboard")
    board.close()

    # Every case page that showed the identity was recorded; the redacted one was not.
    assert Petition.objects.get(pk=petition.pk).status == Status.NOTIFIED
    assert _identity_views(head) == chief.case_loads == 2
    assert _identity_views(handler_a) == desk_a.case_loads == 6
    assert _identity_views(handler_b) == 0
    for event in AuditEvent.objects.filter(action=IDENTITY_VIEW_ACTION):
        assert event.data["code"] == code
        assert event.data["where"] == "case_page"
