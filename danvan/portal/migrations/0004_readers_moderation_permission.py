"""Let the news desk moderate reader feedback.

The editors ("Biên tập viên") and the heads who approve news ("Lãnh đạo
duyệt tin") get `portal.change_readerfeedback` (what the moderation queue
checks) and `portal.view_readerfeedback`. Permissions are created here if
`post_migrate` has not made them yet; re-running adds nothing twice.
"""

from django.db import migrations

GROUPS = ("Biên tập viên", "Lãnh đạo duyệt tin")
PERMISSIONS = (
    ("change_readerfeedback", "Can change reader feedback"),
    ("view_readerfeedback", "Can view reader feedback"),
)


def grant(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="portal", model="readerfeedback")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS
    ]
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):  # type: ignore[no-untyped-def]
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = Permission.objects.filter(
        content_type__app_label="portal", codename__in=[c for c, _n in PERMISSIONS]
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_news_moderation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
