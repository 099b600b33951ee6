"""Make the portal's home page the root of the default site.

A fresh `migrate` gives a working portal, demo or not: a live `HomePage`
("Dân Vận") with the default news sections replaces Wagtail's welcome page
as the default site's root. A site whose root is already something else
than the welcome page (a project that has content) is left as it is.

Historical models have no tree methods, so the tree paths are written as
Wagtail's own initial migration writes them (four base-36 digits a level).
"""

from django.db import migrations

HOME_TITLE = "Dân Vận"
#: (title, slug, introduction) of the default sections, in menu order.
SECTIONS = (
    (
        "Công tác dân vận",
        "cong-tac-dan-van",
        "Tin hoạt động công tác dân vận của hệ thống chính trị các cấp.",
    ),
    (
        "Dân vận khéo",
        "dan-van-kheo",
        "Những mô hình, cách làm hay trong phong trào thi đua “Dân vận khéo”.",
    ),
    (
        "Dân chủ ở cơ sở",
        "dan-chu-o-co-so",
        "Thực hiện dân chủ ở cơ sở: nhân dân biết, nhân dân bàn, nhân dân làm, "
        "nhân dân kiểm tra, nhân dân giám sát, nhân dân thụ hưởng.",
    ),
    ("Thông báo", "thong-bao", "Thông báo, lịch công tác và văn bản mới."),
)
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number: int) -> str:
    """Return the 4-character base-36 tree step of `number` (1 → "0001")."""
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = _ALPHABET[rest] + digits
    return digits.rjust(4, "0")


def _next_child_path(Page, parent) -> str:  # type: ignore[no-untyped-def]
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-4:], 36) + 1 if last else 1
    return parent.path + _step(number)


def create_portal_root(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("portal", "HomePage")
    SectionPage = apps.get_model("portal", "SectionPage")

    if HomePage.objects.exists():
        return
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    home_type, _ = ContentType.objects.get_or_create(app_label="portal", model="homepage")
    section_type, _ = ContentType.objects.get_or_create(app_label="portal", model="sectionpage")
    locale = Locale.objects.order_by("pk").first()
    if locale is None:
        locale = Locale.objects.create(language_code="vi")

    site = Site.objects.filter(is_default_site=True).first()
    welcome = None
    if site is not None:
        current = site.root_page
        if current.content_type_id != page_type.pk or current.depth != 2:
            return  # the site already has content of its own: leave it
        welcome = current

    home = HomePage.objects.create(
        title=HOME_TITLE,
        draft_title=HOME_TITLE,
        slug="trang-chu",
        content_type=home_type,
        path=_next_child_path(Page, root),
        depth=2,
        numchild=len(SECTIONS),
        url_path="/trang-chu/",
        live=True,
        has_unpublished_changes=False,
        locale=locale,
        intro="",
    )
    for number, (title, slug, intro) in enumerate(SECTIONS, start=1):
        SectionPage.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=section_type,
            path=home.path + _step(number),
            depth=3,
            numchild=0,
            url_path=f"/trang-chu/{slug}/",
            live=True,
            has_unpublished_changes=False,
            locale=locale,
            intro=intro,
            show_in_menus=True,
        )
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True
        )
    else:
        site.root_page_id = home.pk
        site.site_name = HOME_TITLE
        site.save(update_fields=["root_page", "site_name"])
    if (
        welcome is not None
        and not Page.objects.filter(path__startswith=welcome.path, depth__gt=2).exists()
    ):
        welcome.delete()
    root.numchild = Page.objects.filter(path__startswith=root.path, depth=root.depth + 1).count()
    root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_portal_root, migrations.RunPython.noop)]
