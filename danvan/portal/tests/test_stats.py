"""The public statistics: figures equal a hand count, periods, bad input, cache, queries."""

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from danvan.geo.models import Commune
from danvan.petitions.models import Petition
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.tests.factories import make_petition
from danvan.portal import stats
from danvan.portal.views_stats import Period, period_dates

pytestmark = pytest.mark.django_db

URL = "/thong-ke/"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2026, 5, 20)
DONG_THAP = 82


@pytest.fixture(autouse=True)
def _clean_cache_and_clock() -> Any:
    cache.clear()
    with time_machine.travel(datetime.datetime(2026, 5, 20, 9, 0, tzinfo=VN), tick=False):
        yield
    cache.clear()


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST="localhost")


def _petition(
    *,
    commune: int,
    received: datetime.date,
    due: datetime.date | None,
    resolved: datetime.date | None,
) -> Petition:
    petition = make_petition(commune_code=commune)
    Petition.objects.filter(pk=petition.pk).update(
        received_at=datetime.datetime.combine(received, datetime.time(10, 0), tzinfo=VN),
        expected_response_by=due,
        resolved_on=resolved,
    )
    return petition


@pytest.fixture
def built() -> dict[str, Any]:
    """Five petitions in May 2026 in two communes of Đồng Tháp and one elsewhere, one in 2025."""
    other_here = (
        Commune.objects.filter(province_id=DONG_THAP).exclude(code=COMMUNE).order_by("code")[0]
    )
    elsewhere = Commune.objects.exclude(province_id=DONG_THAP).order_by("code")[0]
    may = datetime.date(2026, 5, 4)
    # COMMUNE: 3 received; 2 resolved (one on time in 6 days, one late in 16 days).
    _petition(
        commune=COMMUNE,
        received=may,
        due=may + datetime.timedelta(10),
        resolved=may + datetime.timedelta(6),
    )
    _petition(
        commune=COMMUNE,
        received=may,
        due=may + datetime.timedelta(10),
        resolved=may + datetime.timedelta(16),
    )
    _petition(commune=COMMUNE, received=may, due=may + datetime.timedelta(10), resolved=None)
    # The other commune of Đồng Tháp: 1 received, resolved on its due day in 10 days.
    _petition(
        commune=other_here.code,
        received=may,
        due=may + datetime.timedelta(10),
        resolved=may + datetime.timedelta(10),
    )
    # Another province: 1 received, not resolved.
    _petition(commune=elsewhere.code, received=may, due=None, resolved=None)
    # Last year: outside every period of 2026 but a long range.
    _petition(commune=COMMUNE, received=datetime.date(2025, 6, 1), due=None, resolved=None)
    return {"other_here": other_here, "elsewhere": elsewhere}


def test_figures_per_province_equal_a_hand_count(built: dict[str, Any]) -> None:
    result = stats.statistics(date_from=datetime.date(2026, 5, 1), date_to=TODAY)

    rows = {row.code: row.figures for row in result.rows}
    dong_thap = rows[DONG_THAP]
    assert (dong_thap.received, dong_thap.resolved, dong_thap.on_time) == (4, 3, 2)
    assert dong_thap.average_days == pytest.approx((6 + 16 + 10) / 3)
    elsewhere = rows[built["elsewhere"].province_id]
    assert (elsewhere.received, elsewhere.resolved, elsewhere.average_days) == (1, 0, None)
    assert (result.total.received, result.total.resolved, result.total.on_time) == (5, 3, 2)
    assert result.rows[0].code == DONG_THAP  # most received first


def test_figures_per_commune_of_a_province(built: dict[str, Any]) -> None:
    province = built["other_here"].province
    result = stats.statistics(
        date_from=datetime.date(2026, 5, 1), date_to=TODAY, province=province
    )

    rows = {row.code: row.figures for row in result.rows}
    assert set(rows) == {COMMUNE, built["other_here"].code}
    assert (rows[COMMUNE].received, rows[COMMUNE].resolved, rows[COMMUNE].on_time) == (3, 2, 1)
    assert rows[COMMUNE].average_days == pytest.approx(11)
    assert rows[built["other_here"].code].on_time_rate == 1
    assert result.total.received == 4


@pytest.mark.parametrize(
    ("period", "first"),
    [
        (Period.MONTH, datetime.date(2026, 5, 1)),
        (Period.QUARTER, datetime.date(2026, 4, 1)),
        (Period.HALF, datetime.date(2026, 1, 1)),
        (Period.YEAR, datetime.date(2026, 1, 1)),
    ],
)
def test_named_periods_start_on_their_first_day(period: str, first: datetime.date) -> None:
    assert period_dates(period, TODAY) == (first, TODAY)
    assert period_dates(Period.HALF, datetime.date(2026, 8, 3))[0] == datetime.date(2026, 7, 1)


def test_the_page_shows_totals_table_chart_cache_note_and_schedules_link(
    client: Client, built: dict[str, Any]
) -> None:
    html = client.get(URL, {"period": "year"}).content.decode()

    assert re.search(r'data-testid="total-received">5<', html)
    assert re.search(r'data-testid="total-resolved">3<', html)
    assert re.search(r'data-testid="total-on-time">67%<', html)
    assert re.search(r'data-testid="total-days">10[,.]7<', html)
    assert "<svg" in html
    assert 'role="img"' in html
    assert re.search(
        rf'<tr data-code="{DONG_THAP}">\s*<th scope="row">'
        rf'<a href="\?period=year&amp;province={DONG_THAP}">',
        html,
    )
    note = re.search(r'data-testid="cache-note">([^<]*)<', html)
    assert note is not None
    assert str(stats.CACHE_SECONDS // 60) in note.group(1)
    assert 'href="/lich-tiep-cong-dan/"' in html
    assert "1/1/2026 – 20/5/2026" in html


def test_a_range_and_a_province_drill_down(client: Client, built: dict[str, Any]) -> None:
    html = client.get(
        URL,
        {
            "period": "range",
            "date_from": "2025-01-01",
            "date_to": "2026-05-20",
            "province": str(DONG_THAP),
        },
    ).content.decode()

    assert re.search(r'data-testid="total-received">5<', html)  # 4 in 2026 and 1 in 2025
    assert re.search(rf'<tr data-code="{COMMUNE}">', html)
    assert f'data-code="{built["elsewhere"].code}"' not in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "range", "date_from": "2026-05-10", "date_to": "2026-05-01"}, "date_to"),
        ({"period": "range", "date_from": "", "date_to": "2026-05-01"}, "date_from"),
        ({"period": "range", "date_from": "hôm qua", "date_to": "2026-05-01"}, "date_from"),
        ({"period": "decade"}, "period"),
        ({"period": "month", "province": "999"}, "province"),
    ],
)
def test_bad_input_gets_a_message_beside_the_field_and_this_month(
    client: Client, params: dict[str, str], field: str
) -> None:
    response = client.get(URL, params)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in html
    assert re.search(rf'id="field-{field}">.*?class="field-error"', html, re.S)
    assert "1/5/2026 – 20/5/2026" in html
    if params.get("date_from") == "hôm qua":
        assert 'value="hôm qua"' in html


def test_the_english_page(client: Client) -> None:
    response = client.get("/en/thong-ke/")

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_the_figures_are_cached_and_the_page_costs_few_queries(
    client: Client,
    built: dict[str, Any],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client.get(URL)  # the site's header reads its sections once per process
    cache.clear()
    # Ours: provinces of the form, the period's one grouped query, the communes' provinces,
    # the provinces' names; the rest is the site's header (base.html).
    with django_assert_max_num_queries(11) as first:
        assert client.get(URL, {"period": "year"}).status_code == 200
    grouped = [q for q in first.captured_queries if "petitions_petition" in q["sql"]]
    assert len(grouped) == 1
    assert "GROUP BY" in grouped[0]["sql"]
    with django_assert_max_num_queries(len(first.captured_queries) - 2) as again:
        assert client.get(URL, {"period": "year"}).status_code == 200
    assert not [q for q in again.captured_queries if "petitions_petition" in q["sql"]]
    with django_assert_max_num_queries(11):
        assert client.get(URL, {"period": "year", "province": str(DONG_THAP)}).status_code == 200
