"""Seed the default recognition criteria and the common themes.

The criteria are the common ones of legal-rules.md §8 (a provincial Party
committee's guidance, Quảng Ngãi): no national rubric is known, so these
are the default set (no province) that administrators may edit, and that a
province replaces by adding its own rows. Each is scored out of 10.
"""

from typing import Any

from django.db import migrations

#: (title, description) of the default criteria, in order.
DEFAULT_CRITERIA = (
    ("Có tên gọi, địa chỉ cụ thể", "Mô hình, điển hình có tên gọi rõ ràng và địa chỉ cụ thể."),
    (
        "Nội dung thuộc một trong bốn lĩnh vực",
        "Kinh tế; văn hóa – xã hội; quốc phòng – an ninh; xây dựng hệ thống chính trị.",
    ),
    (
        "Gắn với sự lãnh đạo của cấp ủy, chính quyền và được đăng ký",
        "Có sự lãnh đạo, chỉ đạo của cấp ủy, chính quyền; đã đăng ký với cơ quan phát động.",
    ),
    ("Huy động được nhiều lực lượng tham gia", ""),
    ("Có sức lan tỏa, hiệu quả thiết thực", ""),
    ("Được nhân dân đồng tình, ủng hộ", ""),
    ("Giải quyết được nhiệm vụ khó khăn, bức xúc", ""),
    (
        "Được cấp ủy, chính quyền, Mặt trận hoặc đoàn thể ghi nhận",
        "",
    ),
    ("Bền vững, được duy trì, kế thừa và phát triển", ""),
)

#: (code, name) of the themes many localities add to the four fields.
THEMES = (
    ("nong-thon-moi", "Xây dựng nông thôn mới"),
    ("do-thi-van-minh", "Xây dựng đô thị văn minh"),
    ("chuyen-doi-so", "Chuyển đổi số"),
    ("giam-ngheo", "Giảm nghèo bền vững"),
)


def seed(apps: Any, schema_editor: Any) -> None:
    criterion = apps.get_model("movements", "RecognitionCriterion")
    theme = apps.get_model("movements", "Theme")
    if not criterion.objects.filter(province__isnull=True).exists():
        criterion.objects.bulk_create(
            criterion(province=None, order=index, title=title, description=text, max_score=10)
            for index, (title, text) in enumerate(DEFAULT_CRITERIA, start=1)
        )
    for code, name in THEMES:
        theme.objects.get_or_create(code=code, defaults={"name": name})


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("movements", "RecognitionCriterion").objects.filter(
        province__isnull=True, scores__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("movements", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
