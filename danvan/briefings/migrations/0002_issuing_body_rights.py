"""Let the administrators' group choose the issuing bodies' document formats (`viewsets.py`).

Re-running adds nothing twice.
"""

from typing import Any

from django.db import migrations

ADMINISTRATORS = "Quản trị viên"
PERMISSIONS = [
    ("add", "Can add issuing body"),
    ("change", "Can change issuing body"),
    ("delete", "Can delete issuing body"),
    ("view", "Can view issuing body"),
]


def grant(apps: Any, schema_editor: Any) -> None:
    content_type, _created = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="briefings", model="issuingbody"
    )
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=ADMINISTRATORS)
    permission_model = apps.get_model("auth", "Permission")
    for action, name in PERMISSIONS:
        permission, _created = permission_model.objects.get_or_create(
            content_type=content_type, codename=f"{action}_issuingbody", defaults={"name": name}
        )
        group.permissions.add(permission)


def revoke(apps: Any, schema_editor: Any) -> None:
    group = apps.get_model("auth", "Group").objects.filter(name=ADMINISTRATORS).first()
    if group is not None:
        group.permissions.remove(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="briefings",
                codename__in=[f"{action}_issuingbody" for action, _n in PERMISSIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0001_initial"),
        ("orgs", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
