"""Answer templates offered on the case page for the decide and notify steps.

A handler picks one to fill the note with a draft, then edits it. The
texts are Vietnamese administrative prose, as sent to citizens; they are
data, not interface strings, hence not in the translation catalogue. The
placeholders are filled by `answer_render`: `{code}`, `{received_on}`
(d/m/yyyy), `{title}`, `{organization}` and `{today}`.
"""

import datetime
from dataclasses import dataclass
from typing import Final

from django.utils import timezone

from danvan.petitions.models import Petition
from danvan.petitions.workflow import PetitionKind


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerTemplate:
    """One draft answer for a kind of petition."""

    key: str
    label: str
    text: str


_FEEDBACK: Final = (
    AnswerTemplate(
        key="feedback.resolved",
        label="Đã xử lý xong",
        text=(
            "{organization} đã nhận phản ánh mã số {code} ngày {received_on} về việc "
            "“{title}”. Sau khi kiểm tra thực tế, cơ quan đã chỉ đạo bộ phận chuyên môn "
            "khắc phục. Đến ngày {today}, nội dung phản ánh đã được xử lý xong. Cảm ơn "
            "ông/bà đã quan tâm, phản ánh."
        ),
    ),
    AnswerTemplate(
        key="feedback.planned",
        label="Đã đưa vào kế hoạch",
        text=(
            "{organization} đã nhận phản ánh mã số {code} ngày {received_on} về việc "
            "“{title}”. Nội dung phản ánh là có cơ sở và đã được đưa vào kế hoạch xử lý; "
            "cơ quan sẽ thông báo khi hoàn thành. Cảm ơn ông/bà đã phản ánh."
        ),
    ),
    AnswerTemplate(
        key="feedback.unfounded",
        label="Không có cơ sở",
        text=(
            "{organization} đã nhận phản ánh mã số {code} ngày {received_on} về việc "
            "“{title}”. Qua kiểm tra, nội dung phản ánh chưa có cơ sở để xử lý. Nếu có "
            "thêm thông tin, đề nghị ông/bà cung cấp để cơ quan xem xét lại."
        ),
    ),
)

_RECOMMENDATION: Final = (
    AnswerTemplate(
        key="recommendation.accepted",
        label="Tiếp thu kiến nghị",
        text=(
            "{organization} đã nhận kiến nghị mã số {code} ngày {received_on} về việc "
            "“{title}”. Cơ quan ghi nhận và tiếp thu kiến nghị của ông/bà; nội dung sẽ "
            "được nghiên cứu, đưa vào kế hoạch thực hiện. Trân trọng cảm ơn."
        ),
    ),
    AnswerTemplate(
        key="recommendation.explained",
        label="Giải thích, trả lời",
        text=(
            "{organization} đã nhận kiến nghị mã số {code} ngày {received_on} về việc "
            "“{title}”. Căn cứ quy định hiện hành, cơ quan trả lời như sau: … "
            "Trân trọng thông báo để ông/bà được biết."
        ),
    ),
)

_COMPLAINT: Final = (
    AnswerTemplate(
        key="complaint.decision",
        label="Quyết định giải quyết khiếu nại",
        text=(
            "Ngày {today}, {organization} đã ban hành quyết định giải quyết khiếu nại "
            "đối với đơn mã số {code} nhận ngày {received_on} về việc “{title}”. "
            "Nội dung kết luận: … Nếu không đồng ý với quyết định này, ông/bà có quyền "
            "khiếu nại lần hai hoặc khởi kiện vụ án hành chính tại Tòa án theo quy định "
            "của Luật Khiếu nại năm 2011."
        ),
    ),
    AnswerTemplate(
        key="complaint.notice",
        label="Thông báo kết quả giải quyết",
        text=(
            "{organization} thông báo: đơn khiếu nại mã số {code} nhận ngày {received_on} "
            "về việc “{title}” đã được giải quyết bằng quyết định ngày {today}. Quyết định "
            "được gửi kèm thông báo này."
        ),
    ),
)

_DENUNCIATION: Final = (
    AnswerTemplate(
        key="denunciation.conclusion",
        label="Kết luận nội dung tố cáo",
        text=(
            "Ngày {today}, {organization} đã ban hành kết luận nội dung tố cáo đối với "
            "đơn mã số {code} nhận ngày {received_on}. Kết luận: nội dung tố cáo … "
            "(đúng / đúng một phần / sai). Các biện pháp xử lý theo thẩm quyền: …"
        ),
    ),
    AnswerTemplate(
        key="denunciation.notice",
        label="Thông báo kết quả giải quyết tố cáo",
        text=(
            "{organization} thông báo kết quả giải quyết tố cáo đối với đơn mã số {code} "
            "nhận ngày {received_on}: cơ quan đã ban hành kết luận nội dung tố cáo ngày "
            "{today}. Thông tin về người tố cáo được giữ bí mật theo Điều 47 Luật Tố cáo "
            "năm 2018."
        ),
    ),
)

#: The templates of each kind, in the order offered.
ANSWER_TEMPLATES: Final[dict[str, tuple[AnswerTemplate, ...]]] = {
    PetitionKind.FEEDBACK.value: _FEEDBACK,
    PetitionKind.RECOMMENDATION.value: _RECOMMENDATION,
    PetitionKind.COMPLAINT.value: _COMPLAINT,
    PetitionKind.DENUNCIATION.value: _DENUNCIATION,
}


def _day(day: datetime.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def answer_templates_for(kind: str) -> tuple[AnswerTemplate, ...]:
    """Return the templates offered for a petition of `kind`."""
    return ANSWER_TEMPLATES.get(kind, ())


def answer_render(template: AnswerTemplate, petition: Petition) -> str:
    """Fill the placeholders of `template` with the facts of `petition`."""
    organization = petition.organization.name if petition.organization else "Cơ quan"
    return template.text.format(
        code=petition.code,
        received_on=_day(timezone.localdate(petition.received_at)),
        title=petition.title,
        organization=organization,
        today=_day(timezone.localdate()),
    )


def answer_drafts(petition: Petition) -> list[tuple[str, str, str]]:
    """Return (key, label, filled text) for each template of the petition's kind."""
    return [
        (template.key, template.label, answer_render(template, petition))
        for template in answer_templates_for(petition.kind)
    ]
