"""Let the administrators' group keep the working-day calendar (extra days
off, working Saturdays) and read the audit trail.

Frozen copy of `danvan.orgs.roles` as of this migration; re-running adds
nothing twice.
"""

from django.db import migrations

ADMINISTRATORS = "Quản trị viên"
PERMISSIONS = [
    ("core", "calendaroverride", "add", "Can add calendar override"),
    ("core", "calendaroverride", "change", "Can change calendar override"),
    ("core", "calendaroverride", "delete", "Can delete calendar override"),
    ("core", "calendaroverride", "view", "Can view calendar override"),
    ("core", "auditevent", "view", "Can view audit event"),
]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    for app_label, model, action, name in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_{model}", defaults={"name": name}
        )
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=ADMINISTRATORS).first()
    if group is None:
        return
    for app_label, model, action, _name in PERMISSIONS:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename=f"{action}_{model}"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_role_groups"),
        ("core", "0003_calendaroverride_new_year_2026"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
