"""The news desk's groups and the "Duyệt tin" workflow (an editor writes, a head approves).

- "Biên tập viên" (editors): sign in to the back-office, add and edit pages
  under the portal's home page, pictures and documents; they cannot publish:
  they submit to moderation.
- "Lãnh đạo duyệt tin" (heads): the same, and publish.
- Workflow "Duyệt tin": one `GroupApprovalTask` ("Lãnh đạo duyệt tin duyệt"),
  assigned to the home page, so every article submitted under it waits for
  a head's approval.

Permissions are created here if `post_migrate` has not made them yet (a
fresh database). Reversing removes the workflow and the groups.
"""

from django.db import migrations

EDITORS = "Biên tập viên"
HEADS = "Lãnh đạo duyệt tin"
WORKFLOW = "Duyệt tin"
TASK = "Lãnh đạo duyệt tin duyệt"


def _permission(apps, app_label: str, model: str, codename: str, name: str):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def create_news_desk(apps, schema_editor):  # type: ignore[no-untyped-def]
    Group = apps.get_model("auth", "Group")
    HomePage = apps.get_model("portal", "HomePage")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    home = HomePage.objects.order_by("path").first()
    if home is None:
        return
    access_admin = _permission(
        apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"
    )
    page_permissions = {
        codename: _permission(apps, "wagtailcore", "page", codename, f"Can {codename} page")
        for codename in ("add_page", "change_page", "publish_page")
    }
    image_permissions = [
        _permission(apps, "wagtailimages", "image", codename, f"Can {codename} image")
        for codename in ("add_image", "change_image", "choose_image")
    ]
    document_permissions = [
        _permission(apps, "wagtaildocs", "document", codename, f"Can {codename} document")
        for codename in ("add_document", "change_document", "choose_document")
    ]
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    heads, _ = Group.objects.get_or_create(name=HEADS)
    for group, codenames in (
        (editors, ("add_page", "change_page")),
        (heads, ("add_page", "change_page", "publish_page")),
    ):
        group.permissions.add(access_admin)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=home.pk, permission=page_permissions[codename]
            )
        if root_collection is not None:
            for permission in (*image_permissions, *document_permissions):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )

    if Workflow.objects.filter(name=WORKFLOW).exists():
        return
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.set([heads])
    workflow = Workflow.objects.create(name=WORKFLOW, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page_id=home.pk, defaults={"workflow": workflow})


def remove_news_desk(apps, schema_editor):  # type: ignore[no-untyped-def]
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow.objects.filter(name=WORKFLOW).delete()
    Task.objects.filter(name=TASK).delete()
    Group.objects.filter(name__in=[EDITORS, HEADS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_site_root"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_news_desk, remove_news_desk)]
