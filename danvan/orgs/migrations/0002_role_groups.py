"""Create one Django group per role, each allowed into the Wagtail admin;
administrators also manage organizations and memberships.

Frozen copy of `danvan.orgs.roles` as of this migration. The permissions
of this app are created here (post_migrate would create them only after
every migration has run); re-running adds nothing twice.
"""

from django.db import migrations

GROUPS = {
    "reception_officer": "Cán bộ tiếp công dân",
    "handler": "Chuyên viên xử lý đơn",
    "head": "Lãnh đạo cơ quan",
    "commission_staff": "Cán bộ Ban Tuyên giáo và Dân vận",
    "editor": "Biên tập viên",
    "administrator": "Quản trị viên",
}

ADMINISTRATOR_PERMISSIONS = [
    ("organization", "add", "Can add organization"),
    ("organization", "change", "Can change organization"),
    ("organization", "view", "Can view organization"),
    ("membership", "add", "Can add membership"),
    ("membership", "change", "Can change membership"),
    ("membership", "delete", "Can delete membership"),
    ("membership", "view", "Can view membership"),
]


def create_role_groups(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    orgs_permissions = []
    for model, action, name in ADMINISTRATOR_PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label="orgs", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_{model}",
            defaults={"name": name},
        )
        orgs_permissions.append(permission)

    for role, name in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        if role == "administrator":
            group.permissions.add(*orgs_permissions)


def remove_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=GROUPS.values()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
