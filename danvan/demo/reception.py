"""The demo's citizen reception: duty days, a reception log, a dialogue.

Made once, for the first two demo provinces, through the reception
services and as the demo accounts would (`<province>.tiepdan` at the Ban
Tiếp công dân, `<province>.xuly` at the inspectorate), with dates around
the day of the first load: a duty day of the provincial chairman held on
the last working day (with its visits), three coming ones (one online, one
published late), visits of the last weeks (guided, transferred, refused,
answered), today's visits that became petitions (a land complaint with its
receipt, a group of seven with two representatives, a complaint mixed with
a denunciation, whose people are protected), and a complaint dialogue held
two days ago with one commitment overdue. Every person and text is
invented. The run is recorded in the audit trail (`demo.reception`), and
nothing is added again once it is there.
"""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from danvan.core.audit import audit_record
from danvan.core.calendar import get_calendar
from danvan.core.models import AuditEvent
from danvan.demo import data
from danvan.orgs.models import Organization
from danvan.petitions.models import Petition
from danvan.petitions.services import PetitionPart
from danvan.petitions.workflow import PetitionKind, Status
from danvan.reception import dialogues, schedules, visits
from danvan.reception.models import (
    DialogueKind,
    ParticipantSide,
    ReceptionMode,
    RefusalGround,
    SignatureStatus,
    VisitKind,
    VisitOutcome,
)
from danvan.reception.visits import VisitPersonInput

#: The audit action that marks the demo's reception as loaded.
RUN_ACTION = "demo.reception"
#: How many demo provinces get reception data (the first ones of `data.PROVINCES`).
PROVINCE_COUNT = 2
#: The petitions today's visits bring in each of those provinces: the land
#: complaint, the group's recommendation, and the two parts of the mixed one.
PETITIONS_PER_PROVINCE = 4

D = datetime.date
T = datetime.time


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _working_day_on_or_before(day: D) -> D:
    calendar = get_calendar()
    while not calendar.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _schedules(committee: Organization, officer: Any, chairman: Any, title: str, today: D) -> Any:
    """Create the chairman's duty days; return the one held on the last working day."""
    calendar = get_calendar()
    common = {
        "actor": officer,
        "organization": committee,
        "leader": chairman,
        "leader_title": title,
        "starts_at": T(7, 30),
        "ends_at": T(11, 0),
        "place": "Trụ sở Ban Tiếp công dân tỉnh",
    }
    held = schedules.schedule_create(
        **common,
        date=_working_day_on_or_before(today),
        expected_content="Tiếp công dân định kỳ tháng này.",
    )
    held = schedules.schedule_record_held(
        actor=officer, schedule=held, conclusion_notice_number="12/TB-UBND"
    )
    next_month = schedules.schedule_create(
        **common,
        date=calendar.add_working_days(today, 12),
        expected_content="Tiếp công dân định kỳ; các vụ việc đất đai kéo dài.",
    )
    schedules.schedule_publish(actor=officer, schedule=next_month)
    soon = schedules.schedule_create(
        **common,
        date=calendar.add_working_days(today, 3),
        is_unscheduled=False,
        expected_content="Tiếp đoàn đông người về dự án kè sông.",
    )
    schedules.schedule_publish(actor=officer, schedule=soon)
    online = schedules.schedule_create(
        **{**common, "place": "Phòng họp trực tuyến của UBND tỉnh"},
        date=calendar.add_working_days(today, 20),
        mode=ReceptionMode.ONLINE,
        online_link="https://hop.danvan.example/tiep-cong-dan",
        expected_content="Tiếp công dân trực tuyến.",
    )
    schedules.schedule_publish(actor=officer, schedule=online)
    return held


def _past_visits(
    office: Organization, officer: Any, held: Any, agency: Organization, today: D
) -> None:
    """Visits of the last weeks that did not become petitions here, oldest first
    (the log is numbered in the order visits are recorded)."""
    visits.visit_record(
        actor=officer,
        organization=office,
        received_on=today - datetime.timedelta(days=16),
        people=[VisitPersonInput(name="Võ Văn Được", address="Tổ 5, khóm 3")],
        summary="Tiếp tục khiếu nại việc thu hồi đất năm 2019 đã có quyết định cuối cùng.",
        kind=VisitKind.COMPLAINT,
        outcome=VisitOutcome.REFUSED,
        refusal_ground=RefusalGround.ALREADY_RESOLVED,
        previously_handled_by="UBND tỉnh (quyết định giải quyết lần hai năm 2021)",
    )
    visits.visit_record(
        actor=officer,
        organization=office,
        received_on=today - datetime.timedelta(days=9),
        people=[VisitPersonInput(name="Phạm Văn Sang", address="Ấp Long Thạnh")],
        summary="Đề nghị nạo vét kênh nội đồng bị bồi lắng, ảnh hưởng tưới tiêu.",
        kind=VisitKind.RECOMMENDATION,
        outcome=VisitOutcome.TRANSFERRED,
        accepted_by=agency,
        transfer_document_number="102/PC-BTCD",
    )
    visits.visit_record(
        actor=officer,
        organization=office,
        received_on=held.date,
        schedule=held,
        people=[VisitPersonInput(name="Trần Văn Lộc", address="Ấp Bình Hòa, xã Tân Hòa")],
        summary="Hỏi về thời gian chi trả tiền hỗ trợ di dời nhà ven kênh.",
        kind=VisitKind.RECOMMENDATION,
        outcome=VisitOutcome.INFORMED,
        notes="Đã giải thích kế hoạch chi trả của huyện cũ, nay do xã thực hiện.",
    )
    visits.visit_record(
        actor=officer,
        organization=office,
        received_on=held.date,
        schedule=held,
        people=[VisitPersonInput(name="Nguyễn Thị Hoa", address="Khóm 2, phường Mỹ Phước")],
        summary="Tranh chấp lối đi chung với hộ liền kề, đã có bản án sơ thẩm.",
        kind=VisitKind.COMPLAINT,
        outcome=VisitOutcome.GUIDED,
        guided_to="Tòa án nhân dân khu vực 1",
        guidance_document_number="45/HD-BTCD",
    )


def _todays_visits(office: Organization, officer: Any, commune_code: int, today: D) -> None:
    """Today's visits that became petitions, one with a receipt."""
    land = visits.visit_record(
        actor=officer,
        organization=office,
        received_on=today,
        people=[
            VisitPersonInput(
                name="Lê Thị Mai",
                address="Ấp Tân Thuận, xã Tân Hòa",
                identity_document="CCCD 087190001234",
                phone="0909 123 456",
            )
        ],
        summary="Khiếu nại quyết định thu hồi đất làm đường, cho rằng diện tích bị đo sai.",
        kind=VisitKind.COMPLAINT,
        outcome=VisitOutcome.RECORDED,
        is_signed=True,
        commune_code=commune_code,
        parts=[
            PetitionPart(
                kind=PetitionKind.COMPLAINT,
                title="Khiếu nại quyết định thu hồi đất làm đường",
                content="Bà Mai cho rằng diện tích đất bị thu hồi được đo thiếu 120 m² so với "
                "giấy chứng nhận và đề nghị đo đạc lại trước khi chi trả bồi thường.",
                category="Đất đai",
            )
        ],
    )
    visits.receipt_issue(
        actor=officer,
        visit=land.visit,
        handed_over_by="Lê Thị Mai",
        documents=[
            {"title": "Đơn khiếu nại", "pages": 2, "copy": "original"},
            {"title": "Giấy chứng nhận quyền sử dụng đất", "pages": 4, "copy": "certified_copy"},
            {"title": "Quyết định thu hồi đất", "pages": 3, "copy": "copy"},
        ],
    )
    group = [
        VisitPersonInput(name="Huỳnh Văn Tâm", address="Ấp 4", is_representative=True),
        VisitPersonInput(name="Đặng Thị Lan", address="Ấp 4", is_representative=True),
        VisitPersonInput(name="Trương Văn Hậu", address="Ấp 4"),
    ]
    visits.visit_record(
        actor=officer,
        organization=office,
        received_on=today,
        people=group,
        people_count=7,
        summary="Bảy hộ dân kiến nghị sửa tuyến đường đất ngập sau mỗi đợt triều cường.",
        kind=VisitKind.RECOMMENDATION,
        outcome=VisitOutcome.RECORDED,
        commune_code=commune_code,
        parts=[
            PetitionPart(
                kind=PetitionKind.RECOMMENDATION,
                title="Kiến nghị nâng cấp đường đất ấp 4",
                content="Tuyến đường đất dài khoảng 800 m ngập mỗi đợt triều cường; các hộ "
                "đề nghị nâng nền và đổ đá, sẵn sàng góp ngày công.",
                category="Giao thông",
            )
        ],
    )
    visits.visit_record(
        actor=officer,
        organization=office,
        received_on=today,
        people=[VisitPersonInput(name="Nguyễn Văn Khánh", address="Khóm 1")],
        summary="Khiếu nại việc cấp phép xây dựng và tố cáo cán bộ địa chính nhận tiền.",
        kind=VisitKind.MIXED,
        outcome=VisitOutcome.RECORDED,
        is_signed=True,
        commune_code=commune_code,
        parts=[
            PetitionPart(
                kind=PetitionKind.COMPLAINT,
                title="Khiếu nại giấy phép xây dựng nhà xưởng",
                content="Nhà xưởng được cấp phép sát ranh đất, gây tiếng ồn và bụi.",
                category="Xây dựng",
            ),
            PetitionPart(
                kind=PetitionKind.DENUNCIATION,
                title="Tố cáo cán bộ địa chính nhận tiền khi đo đạc",
                content="Người tố cáo cho biết một cán bộ địa chính đã nhận tiền khi đo đạc "
                "ranh đất cho chủ nhà xưởng.",
                category="Tham nhũng, tiêu cực",
            ),
        ],
    )


#: Who may organize a complaint dialogue in the demo: (body code prefix, account suffix).
DIALOGUE_ORGANIZERS = (("thanhtra", "xuly"), ("bantcd", "tiepdan"), ("ubnd", "lanhdao"))
#: How many complaint dialogues the demo holds at most (as many as there are
#: demo complaints being resolved, which depends on the generated petitions).
DIALOGUE_COUNT = 2


def _dialogues(today: D) -> int:
    """Hold up to `DIALOGUE_COUNT` complaint dialogues on demo complaints being resolved."""
    held = 0
    for province in data.PROVINCES:
        for prefix, suffix in DIALOGUE_ORGANIZERS:
            if held == DIALOGUE_COUNT:
                return held
            body = Organization.objects.get(code=f"{prefix}-{province.slug}")
            petition = (
                Petition.objects.filter(
                    organization=body,
                    kind=PetitionKind.COMPLAINT,
                    status__in=[Status.VERIFYING, Status.ACCEPTED],
                    received_at__date__lte=today - datetime.timedelta(days=30),
                )
                .order_by("-status", "received_at")
                .first()
            )
            if petition is not None:
                _dialogue(body, _user(f"{province.key}.{suffix}"), petition, today)
                held += 1
    return held


def _dialogue(inspectorate: Organization, handler: Any, petition: Petition, today: D) -> None:
    """A dialogue on `petition` held two days ago, one commitment already overdue."""
    held_on = today - datetime.timedelta(days=2)
    dialogue = dialogues.dialogue_plan(
        actor=handler,
        organization=inspectorate,
        kind=DialogueKind.COMPLAINT,
        subject=f"Đối thoại giải quyết khiếu nại {petition.code}",
        date=held_on,
        starts_at=T(8, 30),
        place=f"Phòng họp {inspectorate.short_name or inspectorate.name}",
        chair_name="Phó Chánh Thanh tra",
        chair_title="Chủ trì đối thoại",
        petition=petition,
        notice_number="21/TB-TTr",
        notice_sent_on=today - datetime.timedelta(days=9),
    )
    dialogues.dialogue_record_held(
        actor=handler,
        dialogue=dialogue,
        participants=[
            dialogues.ParticipantInput(
                side=ParticipantSide.CITIZEN,
                name="Người khiếu nại",
                signature=SignatureStatus.SIGNED,
            ),
            dialogues.ParticipantInput(
                side=ParticipantSide.OFFICIAL,
                name="Trưởng đoàn xác minh",
                title=inspectorate.name,
                signature=SignatureStatus.SIGNED,
            ),
            dialogues.ParticipantInput(
                side=ParticipantSide.ORGANIZATION,
                name="Đại diện UBND xã",
                signature=SignatureStatus.REFUSED,
                refusal_reason="Cho rằng biên bản chưa ghi đủ ý kiến giải trình của xã.",
            ),
        ],
        issues=[
            dialogues.IssueInput(
                question="Diện tích đo đạc thực tế khác với hồ sơ địa chính.",
                answer="Đoàn xác minh sẽ mời đơn vị đo đạc độc lập đo lại có mặt các bên.",
                raised_by="Người khiếu nại",
                answered_by="Trưởng đoàn xác minh",
            ),
            dialogues.IssueInput(
                question="Chưa được thông báo kết quả xác minh lần trước.",
                answer="Kết quả sẽ được gửi bằng văn bản trong tuần.",
                raised_by="Người khiếu nại",
                answered_by="Phó Chánh Thanh tra",
            ),
        ],
        minutes_summary="Các bên thống nhất đo đạc lại; kết quả là căn cứ ban hành quyết định.",
        commitments=[
            dialogues.CommitmentInput(
                description="Gửi văn bản báo kết quả xác minh lần trước cho người khiếu nại.",
                owner=inspectorate,
                due_on=held_on + datetime.timedelta(days=1),
                issue=1,
            ),
            dialogues.CommitmentInput(
                description="Tổ chức đo đạc lại thửa đất với đơn vị đo đạc độc lập.",
                owner=inspectorate,
                due_on=held_on + datetime.timedelta(days=30),
                issue=0,
            ),
        ],
    )


def load_reception(report: Any) -> None:
    """Add the demo's reception data once (see the module docstring)."""
    if AuditEvent.objects.filter(action=RUN_ACTION).exists():
        report.count("reception runs", created=False)
        return
    today = timezone.localdate()
    for province in data.PROVINCES[:PROVINCE_COUNT]:
        slug, key = province.slug, province.key
        committee = Organization.objects.get(code=f"ubnd-{slug}")
        office = Organization.objects.get(code=f"bantcd-{slug}")
        officer = _user(f"{key}.tiepdan")
        chairman = _user(f"{key}.lanhdao")
        held = _schedules(committee, officer, chairman, f"Chủ tịch UBND {province.title}", today)
        report.created["duty days"] += 4
        _past_visits(office, officer, held, Organization.objects.get(code=f"sonnmt-{slug}"), today)
        commune_code = (
            Organization.objects.filter(parent=committee, commune__isnull=False)
            .order_by("code")
            .values_list("commune__code", flat=True)[0]
        )
        _todays_visits(office, officer, commune_code, today)
        report.created["visits"] += 7
    report.created["dialogues"] += _dialogues(today)
    audit_record(actor=None, action=RUN_ACTION, data={"provinces": PROVINCE_COUNT})
    report.count("reception runs", created=True)
