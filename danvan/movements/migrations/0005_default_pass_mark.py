"""Seed the default pass mark, date the earlier evaluations with it, and let
the administrators' group edit the pass marks (see `viewsets.py`).

Until this migration the pass mark was the constant 70 % of the code: the
default row keeps that value (a local choice: legal-rules.md §8 knows no
national scoring rubric), and the evaluations recorded before it were
decided at 70 %. Re-running adds nothing twice.
"""

from typing import Any

from django.db import migrations

#: The pass mark evaluations used before it became data, in percent.
DEFAULT_PASS_PERCENT = 70
ADMINISTRATORS = "Quản trị viên"
PERMISSIONS = [
    ("add", "Can add pass mark"),
    ("change", "Can change pass mark"),
    ("delete", "Can delete pass mark"),
    ("view", "Can view pass mark"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    rule = apps.get_model("movements", "RecognitionRule")
    if not rule.objects.filter(province__isnull=True).exists():
        rule.objects.create(
            province=None,
            pass_percent=DEFAULT_PASS_PERCENT,
            basis="Mặc định của hệ thống (chưa có quy định chung toàn quốc).",
        )
    apps.get_model("movements", "Evaluation").objects.filter(pass_percent__isnull=True).update(
        pass_percent=DEFAULT_PASS_PERCENT
    )


def grant(apps: Any, schema_editor: Any) -> None:
    content_type, _created = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="movements", model="recognitionrule"
    )
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=ADMINISTRATORS)
    permission_model = apps.get_model("auth", "Permission")
    for action, name in PERMISSIONS:
        permission, _created = permission_model.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_recognitionrule",
            defaults={"name": name},
        )
        group.permissions.add(permission)


def forwards(apps: Any, schema_editor: Any) -> None:
    seed(apps, schema_editor)
    grant(apps, schema_editor)


def backwards(apps: Any, schema_editor: Any) -> None:
    group = apps.get_model("auth", "Group").objects.filter(name=ADMINISTRATORS).first()
    if group is not None:
        group.permissions.remove(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="movements",
                codename__in=[f"{action}_recognitionrule" for action, _n in PERMISSIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("movements", "0004_recognition_rule"),
        ("orgs", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
