"""The leaders' minimum duty days of Luật Tiếp công dân 2013, as rows.

Whether Luật 136/2025/QH15 changed them from 2026-07-01 is UNCONFIRMED
(legal-rules.md §3.1, §11 item 1): an administrator closes a row and adds
the new figure when the text is checked.
"""

import datetime

from django.db import migrations

_LAW = "Luật Tiếp công dân 2013 (42/2013/QH13)"
_CHECK = (
    "Whether Luật 136/2025/QH15 (in force 2026-07-01) changed this figure is unconfirmed: "
    "check its full text and close this row if it did."
)

SEED = [
    ("commune_chairman", 1, "week", f"{_LAW} Art. 15(2)(d)", datetime.date(2014, 7, 1), _CHECK),
    ("province_chairman", 1, "month", f"{_LAW} Art. 12(5)", datetime.date(2014, 7, 1), _CHECK),
    ("agency_head", 1, "month", f"{_LAW} Art. 18(2)", datetime.date(2014, 7, 1), _CHECK),
    ("public_unit_head", 1, "month", "NĐ 154/2026/NĐ-CP Art. 10(2)", datetime.date(2026, 7, 1), ""),
]


def seed(apps, schema_editor):
    DutyRule = apps.get_model("reception", "DutyRule")
    for category, days, period, basis, valid_from, note in SEED:
        DutyRule.objects.get_or_create(
            category=category,
            valid_from=valid_from,
            defaults={
                "days": days,
                "period": period,
                "legal_basis": basis,
                "status": "confirmed",
                "note": note,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reception", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
