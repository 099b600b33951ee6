"""Counting article views: a beacon fills a buffer in the cache, a task empties it.

The article page is served from a page cache, so the count cannot rely on
the page's view running. A few lines of script on the page POST a beacon
(`navigator.sendBeacon`) to `views_readers.view_beacon`, which calls
`view_count` here: no database query at all, only cache operations.

A view counts when it comes from a browser that ran the script (bots are
recognised by their User-Agent), and once per client and article within
`REPEAT_WINDOW` seconds: the client is an HMAC of its address and
User-Agent (the address itself is never stored), remembered with
`cache.add` and a time-to-live.

The buffer is versioned. Counts go to keys named after the current
*generation* and the day of the view (Asia/Ho_Chi_Minh):
`portal:views:g<generation>:<yyyymmdd>:<article id>`. Each flush opens a
new generation (`cache.incr` of the generation key) and empties the
generation closed by the *previous* flush, which no beacon has written to
for a whole flush interval. A key is read, then deleted; only the flush
whose delete succeeds (the cache's delete says whether it removed the key)
adds it to `ArticleViewDay`, so two overlapping flushes never count a key
twice, and a count never goes to a key already emptied. See
docs/decisions/0012-article-view-counting.md.

With Redis `incr` is atomic; with the file cache (one machine) two beacons
at the same instant for the same article may count as one: an
under-count of a statistic, accepted like the rate limits' (see the note
on `RATELIMIT_USE_CACHE` in config/settings.py).
"""

import datetime
import hashlib
import hmac
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from danvan.portal.models import ArticlePage, ArticleViewDay

logger = logging.getLogger(__name__)

#: The same client reading the same article again within this many seconds counts once.
REPEAT_WINDOW: Final = 30 * 60
#: How long a buffered count waits for a flush before the cache may drop it.
BUFFER_TTL: Final = 7 * 24 * 3600
#: How many days back a generation's keys are looked for (a flush stopped for longer loses them).
MAX_DAYS_PER_GENERATION: Final = 7
#: Article ids read from the cache per `get_many`.
CHUNK: Final = 500

_PREFIX: Final = "portal:views"
GENERATION_KEY: Final = f"{_PREFIX}:generation"

#: User-Agents of robots, link previews, scripts and headless browsers.
BOT_PATTERN: Final = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|"
    r"headless|phantom|selenium|puppeteer|playwright|lighthouse|pingdom|"
    r"curl|wget|python|java/|go-http|okhttp|httpclient|libwww|scrapy|axios|node-fetch",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """Tell whether a User-Agent is a robot's (an empty one is)."""
    return not user_agent.strip() or bool(BOT_PATTERN.search(user_agent))


def client_fingerprint(ip_address: str, user_agent: str) -> str:
    """Return an HMAC of the client's address and User-Agent (neither is kept)."""
    message = f"{ip_address}|{user_agent}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def _day_code(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def _count_key(generation: int, day: datetime.date, article_id: int) -> str:
    return f"{_PREFIX}:g{generation}:{_day_code(day)}:{article_id}"


def _opened_key(generation: int) -> str:
    return f"{_PREFIX}:opened:g{generation}"


def current_generation() -> int:
    """Return the generation beacons write to (the first one starts it)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return int(generation)


def _incr(key: str) -> None:
    """Add 1 to `key`, creating it (with its time-to-live) if missing."""
    try:
        cache.incr(key)
    except ValueError:
        if not cache.add(key, 1, timeout=BUFFER_TTL):
            # Another beacon created it between our two calls.
            try:
                cache.incr(key)
            except ValueError:
                cache.add(key, 1, timeout=BUFFER_TTL)


def view_count(*, article_id: int, ip_address: str, user_agent: str) -> bool:
    """Count one view of the article unless it is a bot's or a repeat; tell whether it counted.

    Touches only the cache (never the database): the request that is
    counted costs no write.
    """
    if is_bot(user_agent):
        return False
    seen_key = f"{_PREFIX}:seen:{article_id}:{client_fingerprint(ip_address, user_agent)}"
    if not cache.add(seen_key, 1, timeout=REPEAT_WINDOW):
        return False
    _incr(_count_key(current_generation(), timezone.localdate(), article_id))
    return True


def _generation_open() -> int:
    """Open a new generation; return the one this closed."""
    current_generation()
    try:
        new = int(cache.incr(GENERATION_KEY))
    except ValueError:  # the cache lost the key between the two calls
        cache.add(GENERATION_KEY, 1, timeout=None)
        new = int(cache.incr(GENERATION_KEY))
    cache.set(_opened_key(new), timezone.localdate().isoformat(), timeout=BUFFER_TTL)
    return new - 1


def _days_of(generation: int, today: datetime.date) -> list[datetime.date]:
    """Return the days whose keys a generation may hold, newest first."""
    yesterday = today - datetime.timedelta(days=1)
    opened = cache.get(_opened_key(generation))
    try:
        first = min(datetime.date.fromisoformat(opened), yesterday) if opened else yesterday
    except (TypeError, ValueError):
        first = yesterday
    span = min(max((today - first).days, 0), MAX_DAYS_PER_GENERATION - 1)
    return [today - datetime.timedelta(days=n) for n in range(span + 1)]


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def claim_counts(
    generation: int, article_ids: list[int], days: list[datetime.date]
) -> dict[tuple[int, datetime.date], int]:
    """Read and delete the generation's counts; return those this call removed.

    A count belongs to the caller only if its `delete` removed the key: a
    second, overlapping call reads the same value but fails to delete it,
    so it never counts it too.
    """
    claimed: dict[tuple[int, datetime.date], int] = {}
    for day in days:
        for chunk in _chunks(article_ids, CHUNK):
            keys = {_count_key(generation, day, article_id): article_id for article_id in chunk}
            for key, value in cache.get_many(list(keys)).items():
                if cache.delete(key) and int(value) > 0:
                    claimed[(keys[key], day)] = int(value)
    return claimed


def _store(counts: dict[tuple[int, datetime.date], int]) -> None:
    """Add the counts to `ArticleViewDay`, creating missing rows (one transaction)."""
    by_day: dict[datetime.date, dict[int, int]] = defaultdict(dict)
    for (article_id, day), views in counts.items():
        by_day[day][article_id] = views
    with transaction.atomic():
        for day, views_of in by_day.items():
            existing = set(
                ArticleViewDay.objects.filter(day=day, article_id__in=views_of).values_list(
                    "article_id", flat=True
                )
            )
            ArticleViewDay.objects.bulk_create(
                [
                    ArticleViewDay(article_id=article_id, day=day, views=0)
                    for article_id in views_of
                    if article_id not in existing
                ],
                ignore_conflicts=True,
            )
            for article_id, views in views_of.items():
                ArticleViewDay.objects.filter(article_id=article_id, day=day).update(
                    views=F("views") + views
                )


@dataclass(frozen=True, slots=True)
class FlushResult:
    """What a flush did: the generation it emptied, the rows and views it added."""

    generation: int
    rows: int
    views: int


def views_flush() -> FlushResult:
    """Open a new generation and move the settled one's counts into `ArticleViewDay`.

    The settled generation is the one closed by the previous flush. If the
    database write fails, the counts are put back into the buffer (the
    current generation) and the error is raised.
    """
    closed = _generation_open()
    settled = closed - 1
    if settled < 1:
        return FlushResult(generation=settled, rows=0, views=0)
    today = timezone.localdate()
    article_ids = list(ArticlePage.objects.order_by("pk").values_list("pk", flat=True))
    counts = claim_counts(settled, article_ids, _days_of(settled, today))
    if not counts:
        return FlushResult(generation=settled, rows=0, views=0)
    try:
        _store(counts)
    except Exception:
        generation = current_generation()
        for (article_id, day), views in counts.items():
            key = _count_key(generation, day, article_id)
            if not cache.add(key, views, timeout=BUFFER_TTL):
                cache.incr(key, views)
        raise
    total = sum(counts.values())
    logger.info(
        "Article views flushed: generation %s, %s rows, %s views", settled, len(counts), total
    )
    return FlushResult(generation=settled, rows=len(counts), views=total)
