"""The demo's cluster briefings: the Mekong Delta cluster's briefing of the
first six months of 2026, and the old 13-province cluster's of the first six
months of 2025.

Made through the briefing services, as the demo accounts would: Cần Thơ
hosts (its "Ban Tuyên giáo và Dân vận" issues in the Party format), each of
the six members writes its report from the figures the system holds (one
corrects a figure, with its reason), four are accepted, one waits for the
host, one was returned. The meeting, its conclusion and three items with a
task per member follow, one task already followed up; the conclusion is
issued, so the portal gets a draft article. The legacy briefing's figures
are entered by the host (the system holds nothing of that time) and add up
on today's provinces. Every text and figure is invented. Nothing is added
again once the 2026 briefing is there.
"""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from danvan.briefings import services
from danvan.briefings.models import Briefing, DocumentFormat, IssuingBody, TaskStatus
from danvan.core.periods import period_parse
from danvan.demo import data
from danvan.geo.models import Province
from danvan.geo.selectors import cluster_get
from danvan.orgs.models import Organization

CLUSTER = "dbscl"
LEGACY_CLUSTER = "dbscl-2020"
PERIOD = "2026-H1"
LEGACY_PERIOD = "2025-H1"
HOST = "can-tho"

#: What each member writes (results, limitations, lessons, proposals).
NARRATIVES: dict[str, tuple[str, str, str, str]] = {
    "dong-thap": (
        "Duy trì 46 hội quán nông dân; tổ chức 18 cuộc đối thoại giữa người đứng đầu cấp ủy "
        "với nhân dân, tập trung vào giải phóng mặt bằng tuyến cao tốc.",
        "Một số xã mới sáp nhập còn lúng túng trong tiếp nhận, chuyển đơn; nguyên nhân là "
        "cán bộ mới đảm nhiệm, chưa quen phần mềm.",
        "Đối thoại sớm, công khai phương án bồi thường thì đơn khiếu nại giảm rõ rệt.",
        "Đề nghị Trung ương sớm ban hành hướng dẫn tiêu chí công nhận mô hình dân vận khéo.",
    ),
    "an-giang": (
        "Nhân rộng mô hình “Tổ tự quản thắp sáng đường quê” ra 27 xã; giải quyết đúng hạn "
        "phần lớn đơn kiến nghị về đất đai vùng biên.",
        "Địa bàn rộng, đi lại khó khăn ở các đặc khu nên việc tiếp dân định kỳ còn chậm.",
        "Phát huy vai trò người có uy tín trong đồng bào dân tộc Khmer.",
        "Đề nghị hỗ trợ kinh phí cho điểm tiếp công dân trực tuyến ở đặc khu Phú Quốc.",
    ),
    "can-tho": (
        "Tổ chức thành công Năm Dân vận khéo; 35 mô hình được công nhận cấp thành phố.",
        "Tỷ lệ giải quyết đơn đúng hạn ở một số phường mới còn thấp.",
        "Lãnh đạo trực tiếp tiếp dân giúp tháo gỡ nhanh vụ việc phức tạp.",
        "Đề nghị cụm trao đổi kinh nghiệm về số hóa sổ tiếp công dân.",
    ),
    "vinh-long": (
        "Hoàn thành kiện toàn tổ chức bộ máy sau hợp nhất ba tỉnh; duy trì đều lịch tiếp dân.",
        "Số liệu của ba tỉnh cũ chưa thống nhất cách thống kê.",
        "Thống nhất biểu mẫu ngay từ đầu năm giúp tổng hợp nhanh, chính xác.",
        "Đề nghị hướng dẫn thống nhất bộ chỉ tiêu báo cáo giao ban cụm.",
    ),
    "ca-mau": (
        "Vận động nhân dân hiến đất làm 42 km đường giao thông nông thôn.",
        "Sạt lở ven biển làm phát sinh nhiều kiến nghị về tái định cư.",
        "Gắn công tác dân vận với phòng, chống thiên tai tạo đồng thuận cao.",
        "Đề nghị ưu tiên nguồn vốn cho các khu tái định cư ven biển.",
    ),
    "tay-ninh": (
        "Duy trì mô hình “Dân vận khéo” trong khu công nghiệp; đối thoại với công nhân.",
        "Lượng đơn liên quan tranh chấp lao động tăng.",
        "Phối hợp sớm với công đoàn và doanh nghiệp để hòa giải tại cơ sở.",
        "Đề nghị cụm chia sẻ kinh nghiệm dân vận trong doanh nghiệp FDI.",
    ),
}

ITEMS = (
    (
        "Rà soát, giải quyết dứt điểm đơn quá hạn; báo cáo kết quả về tỉnh chủ trì.",
        datetime.date(2026, 9, 30),
    ),
    (
        "Mỗi tỉnh, thành phố giới thiệu ít nhất hai mô hình dân vận khéo để nhân rộng trong cụm.",
        datetime.date(2026, 10, 31),
    ),
    (
        "Thống nhất biểu mẫu thống kê tiếp công dân, đối thoại theo bộ chỉ tiêu của cụm.",
        datetime.date(2026, 8, 31),
    ),
)

#: Invented figures of the 13 legacy members for the first half of 2025:
#: (petitions received, resolved, resolved on time, visits, dialogues held).
LEGACY_FIGURES: dict[int, tuple[int, int, int, int, int]] = {
    80: (410, 380, 342, 260, 14),
    82: (520, 470, 411, 300, 18),
    83: (300, 270, 250, 190, 11),
    84: (280, 251, 220, 170, 9),
    86: (350, 330, 300, 210, 12),
    87: (430, 401, 370, 240, 16),
    89: (610, 560, 490, 330, 20),
    91: (470, 430, 380, 280, 15),
    92: (640, 600, 552, 350, 22),
    93: (260, 240, 215, 160, 8),
    94: (390, 352, 300, 230, 12),
    95: (240, 222, 200, 150, 7),
    96: (330, 300, 268, 200, 10),
}


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _province_key(slug: str) -> str:
    return next(p.key for p in data.PROVINCES if p.slug == slug)


def _issuer(host: Organization) -> None:
    IssuingBody.objects.get_or_create(
        organization=host,
        defaults={
            "document_format": DocumentFormat.PARTY,
            "parent_name": "Thành ủy Cần Thơ",
            "body_name": "Ban Tuyên giáo và Dân vận",
            "symbol": "BTGDVTU",
            "place_name": "Cần Thơ",
            "signer_authority": "K/T Trưởng ban",
            "signer_title": "Phó Trưởng ban",
            "signer_name": "Châu Gia Huy",
        },
    )


def _legacy(report: Any) -> None:
    cluster = cluster_get(LEGACY_CLUSTER)
    if (
        cluster is None
        or Briefing.objects.filter(cluster=cluster, period_code=LEGACY_PERIOD).exists()
    ):
        return
    briefing = services.briefing_create(
        actor=None, cluster=cluster, period=period_parse(LEGACY_PERIOD)
    )
    keys = (
        "petitions_received",
        "petitions_resolved",
        "petitions_resolved_on_time",
        "visits",
        "dialogues_held",
    )
    services.reports_enter_legacy(
        actor=None,
        briefing=briefing,
        figures=[
            (code, dict(zip(keys, values, strict=True)), "Báo cáo 6 tháng đầu năm 2025 của tỉnh")
            for code, values in LEGACY_FIGURES.items()
        ],
    )
    report.count("briefings", created=True)


@transaction.atomic
def load_briefings(report: Any) -> None:
    """Add the demo's briefings once (see the module docstring)."""
    cluster = cluster_get(CLUSTER)
    if cluster is None:
        return
    _legacy(report)
    if Briefing.objects.filter(cluster=cluster, period_code=PERIOD).exists():
        report.count("briefings", created=False)
        return
    host = Organization.objects.get(code=f"bantgdv-{HOST}")
    _issuer(host)
    host_user = _user(f"{_province_key(HOST)}.danvan")
    briefing = services.briefing_create(
        actor=host_user,
        cluster=cluster,
        period=period_parse(PERIOD),
        host_province=Province.objects.get(code=host.province_id or 0),
        host_organization=host,
    )
    briefing.report_number = "24"
    briefing.save(update_fields=["report_number"])
    slugs = {p.code: p.slug for p in data.PROVINCES}
    for member in briefing.reports.select_related("province").order_by("province_id"):
        slug = slugs.get(member.province_id or 0)
        if slug is None:
            continue
        writer = _user(f"{_province_key(slug)}.danvan")
        results, limitations, lessons, proposals = NARRATIVES[slug]
        if slug == "vinh-long":
            services.report_correct(
                actor=writer,
                report=member,
                key="dialogues_held",
                value=9,
                reason="Bổ sung 9 cuộc đối thoại của ba tỉnh cũ chưa nhập vào hệ thống.",
            )
        services.report_write(
            actor=writer,
            report=member,
            results=results,
            limitations=limitations,
            lessons=lessons,
            proposals=proposals,
        )
        services.report_submit(actor=writer, report=member)
        if slug == "tay-ninh":
            services.report_return(
                actor=host_user,
                report=member,
                reason="Đề nghị bổ sung số liệu đối thoại với công nhân trong khu công nghiệp.",
            )
        elif slug != "ca-mau":
            services.report_accept(actor=host_user, report=member)
    services.meeting_save(
        actor=host_user,
        briefing=briefing,
        date=datetime.date(2026, 7, 16),
        place="Hội trường Thành ủy Cần Thơ",
        chair="Đồng chí Phó Trưởng ban Tuyên giáo và Dân vận Thành ủy Cần Thơ",
        attending_organizations="\n".join(
            [
                "Ban Tuyên giáo và Dân vận Trung ương",
                "Văn phòng thường trực Ban Tuyên giáo và Dân vận Trung ương tại phía Nam",
                *[f"Ban Tuyên giáo và Dân vận {p.party_committee}" for p in data.PROVINCES],
            ]
        ),
        attending_people="Châu Gia Huy, Phó Trưởng ban\nNgô Thị Diễm My, chuyên viên",
        agenda="1. Báo cáo tổng hợp của cụm\n2. Tham luận của các tỉnh\n3. Kết luận",
        speeches="Đồng Tháp: hội quán nông dân\nAn Giang: tổ tự quản vùng biên",
        discussion_topics="Đơn quá hạn sau sáp nhập\nThống nhất bộ chỉ tiêu\nNhân rộng mô hình",
        conclusion=(
            "Hội nghị ghi nhận các tỉnh, thành phố trong cụm đã chủ động thích ứng với tổ chức "
            "bộ máy mới, giữ vững ổn định ở cơ sở; đồng thời thống nhất ba nhóm nhiệm vụ trọng "
            "tâm cho 6 tháng cuối năm."
        ),
    )
    items = [
        services.conclusion_item_add(actor=host_user, briefing=briefing, text=text, due_on=due)
        for text, due in ITEMS
    ]
    first = items[0].tasks.get(province_id=82)
    services.task_follow_up(
        actor=_user(f"{_province_key('dong-thap')}.danvan"),
        task=first,
        note="Đã rà soát 37 đơn quá hạn, giải quyết xong 21 đơn.",
        status=TaskStatus.IN_PROGRESS,
    )
    services.briefing_conclude(actor=host_user, briefing=briefing, notice_number="31")
    report.count("briefings", created=True)
