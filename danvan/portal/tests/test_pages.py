"""The news pages: home at "/", sections, articles, RSS, sitemap and the page cache."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import Site

from danvan.core.formats import today_vn
from danvan.portal.models import ArticlePage, HomePage, SectionPage
from danvan.portal.tests.news_factories import (
    _empty_page_cache,  # noqa: F401 (autouse fixture)
    article,
    days_ago,
    home,
    picture,
    section,
    views,
)

pytestmark = pytest.mark.django_db
VN = datetime.timezone(datetime.timedelta(hours=7))


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- A fresh installation ---------------------------------------------------------------


def test_fresh_migrate_serves_the_portal_home_with_its_sections(client: Client) -> None:
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert [s.title for s in SectionPage.objects.child_of(home()).order_by("path")] == [
        "Công tác dân vận",
        "Dân vận khéo",
        "Dân chủ ở cơ sở",
        "Thông báo",
    ]
    html = _html(client, "/")
    for title in ("Công tác dân vận", "Dân vận khéo", "Dân chủ ở cơ sở", "Thông báo"):
        assert title in html  # in the menu
    for url in (
        "/phan-anh-kien-nghi/gui/",
        "/phan-anh-kien-nghi/tra-cuu/",
        "/lich-tiep-cong-dan/",
        "/thong-ke/",
    ):
        assert f'href="{url}"' in html
    assert _html(client, "/cong-tac-dan-van/")


@time_machine.travel(datetime.datetime(2024, 6, 21, 8, 0, tzinfo=VN), tick=False)
def test_every_news_page_shows_todays_date_line(client: Client) -> None:
    page = article(title="Tin có ngày")
    for url in ("/", "/cong-tac-dan-van/", page.url, "/tim-kiem/?q=tin"):
        assert 'data-testid="date-line">Thứ Sáu, 21/6/2024<' in _html(client, url), url


def test_english_home_lives_under_en(client: Client) -> None:
    html = _html(client, "/en/")
    assert '<html lang="en">' in html
    assert 'href="/en/phan-anh-kien-nghi/gui/"' in html


# --- Home -----------------------------------------------------------------------------------


def test_home_shows_the_lead_article_newest_per_section_and_most_viewed(client: Client) -> None:
    kheo = section("dan-van-kheo")
    lead = article(
        title="Tin mới nhất",
        published=days_ago(0),
        image=picture(),
        image_alt="Hội nghị sơ kết",
    )
    older = article(kheo, title="Mô hình hay", published=days_ago(3))
    read = article(title="Được đọc nhiều", published=days_ago(9))
    views(read, today_vn(), 40)
    response = client.get("/")
    html = response.content.decode()
    assert response.context["lead_article"] == lead
    assert 'data-testid="lead-article"' in html
    assert "Tin mới nhất" in html
    blocks = {b["section"].slug: b["articles"] for b in response.context["section_blocks"]}
    assert blocks["dan-van-kheo"] == [older]
    assert lead not in blocks["cong-tac-dan-van"]  # shown once, as the lead
    assert response.context["most_viewed"] == [read]
    assert "Được đọc nhiều" in html.split('data-testid="most-viewed"')[1]


# --- Section --------------------------------------------------------------------------------


def test_section_lists_its_articles_newest_first_twelve_a_page(client: Client) -> None:
    for number in range(13):
        article(title=f"Bài {number:02d}", published=days_ago(number))
    article(section("thong-bao"), title="Thông báo lạc mục")
    first = client.get("/cong-tac-dan-van/")
    titles = [a.title for a in first.context["articles"].object_list]
    assert titles == [f"Bài {n:02d}" for n in range(12)]
    assert "Thông báo lạc mục" not in first.content.decode()
    second = client.get("/cong-tac-dan-van/?page=2")
    assert [a.title for a in second.context["articles"].object_list] == ["Bài 12"]
    assert client.get("/cong-tac-dan-van/?page=abc").status_code == 200


def test_section_most_viewed_counts_thirty_days_of_its_own_articles(client: Client) -> None:
    today = today_vn()
    month = article(title="Đọc nhiều trong tháng")
    week = article(title="Đọc nhiều trong tuần")
    outside = article(section("thong-bao"), title="Mục khác")
    views(month, today - datetime.timedelta(days=20), 50)
    views(week, today, 10)
    views(outside, today, 999)
    response = client.get("/cong-tac-dan-van/")
    assert response.context["most_viewed"] == [month, week]
    assert response.context["most_viewed_days"] == 30


# --- Article --------------------------------------------------------------------------------


def test_article_page_shows_everything_a_reader_expects(client: Client) -> None:
    body_picture = picture("Ảnh trong bài")
    page = article(
        title="Cụm thi đua sơ kết 6 tháng",
        lead="Sáu tỉnh cùng nhìn lại nửa năm.",
        paragraphs=("Đoạn một.", "Đoạn hai."),
        image=picture("Ảnh chính"),
        image_alt="Biểu đồ kết quả của sáu tỉnh",
        image_caption="Kết quả 6 tháng của các tỉnh trong Cụm.",
        body_images=[(body_picture, "Hội trường hội nghị", "Quang cảnh hội nghị.")],
        source="Báo Đồng Tháp",
        author="Minh Khang",
        tags=("Cụm thi đua", "Sơ kết"),
    )
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=datetime.datetime(2024, 6, 21, 1, 30, tzinfo=datetime.UTC)
    )
    html = _html(client, page.url)
    assert "<h1>Cụm thi đua sơ kết 6 tháng</h1>" in html
    assert "Sáu tỉnh cùng nhìn lại nửa năm." in html
    assert 'alt="Biểu đồ kết quả của sáu tỉnh"' in html
    assert "<figcaption>Kết quả 6 tháng của các tỉnh trong Cụm.</figcaption>" in html
    assert 'alt="Hội trường hội nghị"' in html
    assert "Quang cảnh hội nghị." in html
    body = html.split('class="article-body"')[1].split("</div>")[0]
    assert 'loading="lazy"' in body  # pictures of the body load when scrolled to
    assert 'data-testid="source-line">(Báo Đồng Tháp)</p>' in html
    assert "Minh Khang" in html
    assert "Cụm thi đua</a>" in html
    assert "Sơ kết</a>" in html
    # Published 01:30 UTC = 08:30 in Vietnam, a Friday.
    assert 'data-testid="published">Thứ Sáu, 21/6/2024 08:30</time>' in html


def test_article_without_source_has_no_source_line(client: Client) -> None:
    page = article(title="Tin của cổng")
    assert 'data-testid="source-line"' not in _html(client, page.url)


def test_article_open_graph_and_twitter_tags(client: Client) -> None:
    page = article(
        title="Tin chia sẻ",
        lead="Tóm tắt để chia sẻ.",
        image=picture(size=(1600, 900)),
        image_alt="Cánh đồng lúa",
    )
    html = _html(client, page.url)
    assert '<meta property="og:title" content="Tin chia sẻ">' in html
    assert '<meta property="og:description" content="Tóm tắt để chia sẻ.">' in html
    assert f'<meta property="og:url" content="http://testserver{page.url}">' in html
    assert '<meta property="og:image" content="http://testserver/' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:image:alt" content="Cánh đồng lúa">' in html


def test_article_other_news_and_most_viewed_of_seven_days(client: Client) -> None:
    today = today_vn()
    current = article(title="Đang đọc", published=days_ago(2))
    other = article(title="Tin khác cùng mục", published=days_ago(1))
    elsewhere = article(section("thong-bao"), title="Tin mục khác", published=days_ago(0))
    views(elsewhere, today, 30)
    views(other, today - datetime.timedelta(days=8), 500)  # outside the 7 days
    response = client.get(current.url)
    assert response.context["other_news"] == [other]
    assert response.context["most_viewed"] == [elsewhere]
    html = response.content.decode()
    assert "Tin khác cùng mục" in html.split('data-testid="other-news"')[1]


def test_a_main_picture_needs_its_alternative_text() -> None:
    page = ArticlePage(
        title="Ảnh thiếu mô tả", slug="anh", lead="x", image=picture(), image_alt=" "
    )
    page.body = []
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "image_alt" in error.value.message_dict


# --- RSS and sitemap --------------------------------------------------------------------------


def test_section_rss_is_valid_and_lists_the_newest_first(client: Client) -> None:
    article(title="Cũ hơn", published=days_ago(4), author="Ngọc Trâm")
    article(title="Mới hơn", published=days_ago(1))
    article(section("thong-bao"), title="Mục khác")
    response = client.get("/cong-tac-dan-van/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 (our own feed)
    assert channel is not None
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Mới hơn", "Cũ hơn"]
    assert items[0].findtext("link") == "http://testserver/cong-tac-dan-van/moi-hon/"
    assert items[0].findtext("pubDate")
    assert 'rel="alternate" type="application/rss+xml"' in _html(client, "/cong-tac-dan-van/")


def test_sitemap_lists_the_articles(client: Client) -> None:
    page = article(title="Trong sơ đồ trang")
    hidden = article(title="Đã gỡ khỏi trang")
    hidden.unpublish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    content = response.content.decode()
    # The addresses use the Wagtail site's host name.
    assert f"{page.url}</loc>" in content
    assert "da-go-khoi-trang" not in content
    assert "/dan-van-kheo/</loc>" in content


# --- Query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/cong-tac-dan-van/", "article"])
def test_news_pages_read_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries, settings, url: str
) -> None:  # type: ignore[no-untyped-def]
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # measure the uncached page
    first = article(title="Bài đầu", image=picture(), image_alt="Ảnh")
    target = first.url if url == "article" else url
    client.get(target)  # renditions are made on the first view
    with django_assert_max_num_queries(20) as few:
        assert client.get(target).status_code == 200
    baseline = len(few.captured_queries)
    for number in range(6):
        page = article(title=f"Bài {number}", image=picture(), image_alt="Ảnh")
        views(page, today_vn(), number + 1)
        article(section("dan-van-kheo"), title=f"Khéo {number}", image=picture(), image_alt="Ảnh")
    for warm in ("/", "/cong-tac-dan-van/", "/dan-van-kheo/", target):
        client.get(warm)
    with django_assert_max_num_queries(baseline):
        assert client.get(target).status_code == 200


# --- The page cache -------------------------------------------------------------------------


def test_anonymous_pages_come_from_the_cache_without_queries(
    client: Client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    page = article(title="Tin được lưu đệm")
    for url in ("/", "/cong-tac-dan-van/", page.url, "/cong-tac-dan-van/rss/"):
        first = client.get(url)
        assert first["X-Portal-Cache"] == "miss", url
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again["X-Portal-Cache"] == "hit"
        assert again.content == first.content
        assert "csrfmiddlewaretoken" not in again.content.decode()
        assert "csrftoken" not in again.cookies


def test_publishing_and_unpublishing_refresh_the_cached_pages(client: Client) -> None:
    first = article(title="Tin thứ nhất")
    assert "Tin thứ nhất" in _html(client, "/")
    assert client.get("/")["X-Portal-Cache"] == "hit"
    article(title="Tin thứ hai")
    response = client.get("/")
    assert response["X-Portal-Cache"] == "miss"
    assert "Tin thứ hai" in response.content.decode()
    client.get(first.url)
    first.unpublish()
    assert client.get(first.url).status_code == 404
    assert "Tin thứ nhất" not in _html(client, "/cong-tac-dan-van/")


def test_signed_in_users_and_other_query_strings_are_not_cached(client: Client) -> None:
    page = article(title="Tin")
    assert "X-Portal-Cache" not in client.get(page.url + "?utm_source=zalo")
    user = get_user_model().objects.create_user("bientap", password="x-Strong-Pass-1")
    client.force_login(user)
    response = client.get(page.url)
    assert "X-Portal-Cache" not in response
    assert "bientap" in response.content.decode()


def test_a_page_behind_a_password_is_never_cached(client: Client) -> None:
    from wagtail.models import PageViewRestriction

    page = article(title="Tin nội bộ")
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="mk")
    response = client.get(page.url)
    assert "Tin nội bộ" not in response.content.decode() or "password" in response.content.decode()
    assert "X-Portal-Cache" not in response
