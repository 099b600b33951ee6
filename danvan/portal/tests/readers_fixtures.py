"""Fixtures of the readers' tests: an article under a section under the home page.

Imported by the `test_readers_*` modules (the fixtures under names of
their own, `article_fixture`…, so that a test's `article` argument does
not shadow an import). The home page, section and site
are reused when the migrations made them, created otherwise (a
transactional test empties every table).
"""

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from danvan.core.models import User
from danvan.portal.models import ArticlePage, HomePage, ReaderFeedback, SectionPage

PASSWORD = "Thu-Nghiem@2026"


def _root() -> Page:
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant("vi"))
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def home_page() -> HomePage:
    """Return the portal's home page, the default site's root (created if missing)."""
    home = HomePage.objects.order_by("path").first()
    if home is None:
        home = _root().add_child(instance=HomePage(title="Dân Vận", slug="dan-van"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home


def section_page() -> SectionPage:
    """Return a news section under the home page (created if missing)."""
    home = home_page()
    section = SectionPage.objects.child_of(home).order_by("path").first()  # type: ignore[attr-defined]
    if section is None:
        section = home.add_child(
            instance=SectionPage(title="Công tác dân vận", slug="cong-tac-dan-van")
        )
    return section


def make_article(
    title: str = "Xã Mỹ Thọ đối thoại với nông dân về giá lúa",
    *,
    slug: str = "",
    allow_feedback: bool = True,
    lead: str = "Hơn 80 nông dân đã trao đổi thẳng thắn với lãnh đạo xã về đầu ra cho lúa vụ mùa.",
) -> ArticlePage:
    """Create a live article in the section."""
    section = section_page()
    article = ArticlePage(
        title=title,
        slug=slug or f"bai-{ArticlePage.objects.count() + 1}",
        lead=lead,
        body=[("paragraph", RichText("<p>Buổi đối thoại diễn ra tại hội trường ấp.</p>"))],
        allow_feedback=allow_feedback,
    )
    section.add_child(instance=article)
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def make_feedback(article: ArticlePage, **fields: Any) -> ReaderFeedback:
    """Create a feedback on `article` (pending unless `status` says otherwise)."""
    values: dict[str, Any] = {
        "name": "Nguyễn Thị Lan",
        "email": "lan.nguyen@example.vn",
        "phone": "0918 111 222",
        "address": "Ấp Tân Thuận, xã Mỹ Thọ",
        "content": "Bài viết rất thiết thực, mong xã tổ chức đối thoại thường xuyên hơn.",
    }
    values.update(fields)
    return ReaderFeedback.objects.create(article=article, **values)


def make_user(username: str, *, moderator: bool = False, access_admin: bool = True) -> User:
    """Create a back-office user, a feedback moderator if `moderator`."""
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.vn"
    )
    user.first_name, user.last_name = "Minh", "Trần"
    user.save()
    codenames = []
    if access_admin:
        codenames.append(("wagtailadmin", "access_admin"))
    if moderator:
        codenames.append(("portal", "change_readerfeedback"))
    if codenames:
        group, _ = Group.objects.get_or_create(name=f"test-{username}")
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        user.groups.add(group)
    return user


@pytest.fixture(name="article")
def article_fixture(db: Any) -> ArticlePage:
    """A live article that takes feedback."""
    return make_article()


@pytest.fixture(name="editor")
def editor_fixture(db: Any) -> User:
    """A back-office user who may moderate reader feedback."""
    return make_user("bientap.thu", moderator=True)


@pytest.fixture(name="officer")
def officer_fixture(db: Any) -> User:
    """A back-office user without the moderation permission."""
    return make_user("tiepdan.thu")
