"""Enter the 2026 New Year swap that the `holidays` library does not know.

Friday 2026-01-02 is a day off in exchange for Saturday 2026-01-10, a working
day (Văn bản 12729/VPCP-KGVX ngày 25/12/2025 of the Government Office).
"""

from django.db import migrations

BASIS = "Văn bản 12729/VPCP-KGVX ngày 25/12/2025"
ROWS = [
    ("2026-01-02", "day_off", "Nghỉ Tết Dương lịch 2026 (hoán đổi với thứ Bảy 10/01/2026)"),
    ("2026-01-10", "working_day", "Làm bù cho thứ Sáu 02/01/2026 (Tết Dương lịch 2026)"),
]


def add(apps, schema_editor):
    override = apps.get_model("core", "CalendarOverride")
    for day, kind, reason in ROWS:
        override.objects.get_or_create(
            date=day, defaults={"kind": kind, "reason": reason, "legal_basis": BASIS}
        )


def remove(apps, schema_editor):
    override = apps.get_model("core", "CalendarOverride")
    for day, kind, _reason in ROWS:
        override.objects.filter(date=day, kind=kind, legal_basis=BASIS).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_auditevent_append_only")]
    operations = [migrations.RunPython(add, remove)]
