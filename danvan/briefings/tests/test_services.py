"""Briefings, member reports, corrections, submission and acceptance, the
conclusion's tasks and their follow-up."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from danvan.briefings import services
from danvan.briefings.models import (
    BriefingKind,
    BriefingStatus,
    IndicatorCorrection,
    ReportStatus,
    TaskStatus,
)
from danvan.briefings.selectors import open_tasks_for
from danvan.briefings.signals import briefing_concluded
from danvan.briefings.tests.factories import AN_GIANG, DONG_THAP, commission, current_cluster
from danvan.core.models import AppendOnlyError, AppendOnlyModel, AuditEvent
from danvan.core.periods import period_parse
from danvan.geo.models import Province
from danvan.orgs.models import Role
from danvan.petitions.tests.factories import staff_user

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    moment = datetime.datetime(2026, 7, 10, 9, tzinfo=TZ)
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def setup() -> dict[str, Any]:
    cluster = current_cluster()
    dong_thap, an_giang = commission(DONG_THAP), commission(AN_GIANG)
    staff = staff_user(dong_thap, Role.COMMISSION_STAFF, username="dt.staff")
    host = staff_user(an_giang, Role.HEAD, username="ag.head")
    briefing = services.briefing_create(
        actor=host,
        cluster=cluster,
        period=period_parse("2026-H1"),
        host_province=Province.objects.get(code=AN_GIANG),
    )
    report = briefing.reports.get(province_id=DONG_THAP)
    return {
        "cluster": cluster,
        "briefing": briefing,
        "report": report,
        "staff": staff,
        "host": host,
    }


def test_a_briefing_has_a_draft_report_per_member_with_system_figures(setup: dict) -> None:
    briefing = setup["briefing"]
    assert briefing.kind == BriefingKind.HALF_YEAR
    assert briefing.host_organization.province_id == AN_GIANG
    reports = list(briefing.reports.order_by("province_id"))
    assert [r.province_id for r in reports] == [DONG_THAP, AN_GIANG]
    assert all(r.status == ReportStatus.DRAFT for r in reports)
    assert reports[0].organization.kind == "party_commission"
    assert reports[0].system_figures["petitions_received"] == 0
    assert AuditEvent.objects.filter(action="briefing.create").count() == 1


def test_the_same_cluster_and_period_cannot_have_two_briefings(setup: dict) -> None:
    with pytest.raises(ValidationError) as error:
        services.briefing_create(
            actor=None, cluster=setup["cluster"], period=period_parse("2026-H1")
        )
    assert "period" in error.value.message_dict


def test_the_next_host_is_the_member_after_the_last_one(setup: dict) -> None:
    later = services.briefing_create(
        actor=None, cluster=setup["cluster"], period=period_parse("2026-H2")
    )
    assert later.host_province_id == DONG_THAP  # after An Giang (91) comes 82 again


def test_a_correction_keeps_the_original_and_recomputes_the_percentage(setup: dict) -> None:
    report, staff = setup["report"], setup["staff"]
    services.report_correct(
        actor=staff, report=report, key="petitions_resolved", value="8", reason="Sổ theo dõi"
    )
    correction = services.report_correct(
        actor=staff,
        report=report,
        key="petitions_resolved_on_time",
        value="6",
        reason="Đơn chuyển từ huyện cũ chưa nhập",
    )
    report.refresh_from_db()
    assert correction.original_value == 0
    assert correction.corrected_by == staff
    assert report.system_figures["petitions_resolved_on_time"] == 0
    assert report.figures["petitions_resolved_on_time"] == 6
    assert report.figures["petitions_on_time_percent"] == 75.0
    second = services.report_correct(
        actor=staff, report=report, key="petitions_resolved_on_time", value=7, reason="Soát lại"
    )
    assert (second.original_value, second.previous_value, second.value) == (0, 6, 7)
    with pytest.raises(AppendOnlyError):
        correction.save()
    assert isinstance(correction, AppendOnlyModel)
    # Reading the figures again keeps the corrections on top.
    report = services.report_refresh(actor=staff, report=report)
    assert report.figures["petitions_resolved_on_time"] == 7
    assert IndicatorCorrection.objects.filter(report=report).count() == 3


@pytest.mark.parametrize(
    ("key", "value", "reason", "field"),
    [
        ("petitions_on_time_percent", "90", "x", "key"),
        ("no_such_key", "1", "x", "key"),
        ("visits", "mười", "x", "value"),
        ("visits", "-2", "x", "value"),
        ("visits", "3", "  ", "reason"),
    ],
)
def test_a_bad_correction_says_which_field(
    setup: dict, key: str, value: str, reason: str, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.report_correct(
            actor=setup["staff"], report=setup["report"], key=key, value=value, reason=reason
        )
    assert field in error.value.message_dict
    assert not IndicatorCorrection.objects.exists()


def test_submission_acceptance_and_return(setup: dict) -> None:
    report, staff, host = setup["report"], setup["staff"], setup["host"]
    with pytest.raises(ValidationError) as error:
        services.report_submit(actor=staff, report=report)
    assert "results" in error.value.message_dict
    services.report_write(actor=staff, report=report, results="Tổ chức 12 hội nghị đối thoại.")
    report = services.report_submit(actor=staff, report=report)
    assert report.status == ReportStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.report_write(actor=staff, report=report, lessons="Sửa sau khi gửi")
    with pytest.raises(ValidationError) as error:
        services.report_return(actor=host, report=report, reason="")
    assert "reason" in error.value.message_dict
    report = services.report_return(actor=host, report=report, reason="Thiếu số liệu tháng 6")
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason == "Thiếu số liệu tháng 6"
    with pytest.raises(ValidationError):
        services.report_accept(actor=host, report=report)
    services.report_write(actor=staff, report=report, limitations="Nhân lực mỏng")
    report = services.report_submit(actor=staff, report=report)
    assert report.return_reason == ""
    report = services.report_accept(actor=host, report=report)
    assert report.status == ReportStatus.ACCEPTED
    assert report.accepted_by == host
    actions = list(
        AuditEvent.objects.filter(target_id=str(report.pk), action__startswith="briefing_report")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "briefing_report.write",
        "briefing_report.submit",
        "briefing_report.return",
        "briefing_report.write",
        "briefing_report.submit",
        "briefing_report.accept",
    ]


def _conclude(setup: dict) -> Any:
    briefing, host = setup["briefing"], setup["host"]
    services.meeting_save(
        actor=host,
        briefing=briefing,
        date=datetime.date(2026, 7, 8),
        place="Hội trường Tỉnh ủy An Giang",
        chair="Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy An Giang",
        conclusion="Hội nghị thống nhất các nhiệm vụ trọng tâm 6 tháng cuối năm.",
    )
    everyone = services.conclusion_item_add(
        actor=host,
        briefing=briefing,
        text="Rà soát đơn tồn đọng, quá hạn.",
        due_on=datetime.date(2026, 9, 30),
    )
    only_dt = services.conclusion_item_add(
        actor=host,
        briefing=briefing,
        text="Chia sẻ kinh nghiệm mô hình hội quán.",
        provinces=[Province.objects.get(code=DONG_THAP)],
    )
    return everyone, only_dt


def test_conclusion_items_become_tasks_followed_up_into_the_next_period(setup: dict) -> None:
    everyone, only_dt = _conclude(setup)
    assert sorted(everyone.tasks.values_list("province_id", flat=True)) == [DONG_THAP, AN_GIANG]
    assert list(only_dt.tasks.values_list("province_id", flat=True)) == [DONG_THAP]
    task = everyone.tasks.get(province_id=DONG_THAP)
    assert task.due_on == datetime.date(2026, 9, 30)
    services.task_follow_up(
        actor=setup["staff"], task=task, note="Đã rà soát 40 đơn", status=TaskStatus.IN_PROGRESS
    )
    next_start = datetime.date(2026, 7, 1)
    assert {t.pk for t in open_tasks_for(DONG_THAP, before=next_start)} == {
        task.pk,
        only_dt.tasks.get().pk,
    }
    services.task_follow_up(
        actor=setup["staff"], task=task, note="Hoàn thành", status=TaskStatus.DONE
    )
    assert [t.pk for t in open_tasks_for(DONG_THAP, before=next_start)] == [only_dt.tasks.get().pk]
    assert list(task.updates.values_list("status", flat=True)) == ["in_progress", "done"]
    with pytest.raises(ValidationError) as error:
        services.task_follow_up(actor=None, task=task, note="", status="unknown")
    assert set(error.value.message_dict) == {"note", "status"}


def test_concluding_needs_the_meeting_then_sends_the_signal(
    setup: dict, django_capture_on_commit_callbacks: Any
) -> None:
    briefing = setup["briefing"]
    with pytest.raises(ValidationError):
        services.briefing_conclude(actor=setup["host"], briefing=briefing)
    _conclude(setup)
    received = []

    def listen(sender: Any, briefing: Any, actor: Any, **kwargs: Any) -> None:
        received.append(briefing.pk)

    briefing_concluded.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            done = services.briefing_conclude(
                actor=setup["host"], briefing=briefing, notice_number="7"
            )
    finally:
        briefing_concluded.disconnect(listen)
    assert done.status == BriefingStatus.CONCLUDED
    assert done.notice_number == "7"
    assert received == [briefing.pk]
    with pytest.raises(ValidationError):
        services.briefing_conclude(actor=setup["host"], briefing=briefing)


def test_meeting_requires_date_place_and_chair(setup: dict) -> None:
    with pytest.raises(ValidationError) as error:
        services.meeting_save(
            actor=None, briefing=setup["briefing"], date=None, place="", chair=""
        )
    assert set(error.value.message_dict) == {"date", "place", "chair"}


def test_tasks_go_to_members_only(setup: dict) -> None:
    with pytest.raises(ValidationError) as error:
        services.conclusion_item_add(
            actor=None,
            briefing=setup["briefing"],
            text="Việc cho tỉnh ngoài cụm",
            provinces=[Province.objects.get(code=1)],
        )
    assert "provinces" in error.value.message_dict
