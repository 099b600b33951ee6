"""Let the administrators' group edit the recognition criteria (see `viewsets.py`).

Re-running adds nothing twice.
"""

from typing import Any

from django.db import migrations

ADMINISTRATORS = "Quản trị viên"
PERMISSIONS = [
    ("add", "Can add recognition criterion"),
    ("change", "Can change recognition criterion"),
    ("delete", "Can delete recognition criterion"),
    ("view", "Can view recognition criterion"),
]


def grant(apps: Any, schema_editor: Any) -> None:
    content_type, _created = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="movements", model="recognitioncriterion"
    )
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=ADMINISTRATORS)
    permission_model = apps.get_model("auth", "Permission")
    for action, name in PERMISSIONS:
        permission, _created = permission_model.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_recognitioncriterion",
            defaults={"name": name},
        )
        group.permissions.add(permission)


def revoke(apps: Any, schema_editor: Any) -> None:
    group = apps.get_model("auth", "Group").objects.filter(name=ADMINISTRATORS).first()
    if group is not None:
        group.permissions.remove(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="movements",
                codename__in=[f"{action}_recognitioncriterion" for action, _n in PERMISSIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("movements", "0002_default_criteria"),
        ("orgs", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
