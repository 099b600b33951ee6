"""The rate limit on public intake: petitions filed per client address.

The portal form and `POST /api/v1/petitions` count together, in one
django-ratelimit group, so a client cannot double its share by switching
channel. The rate is the setting `PETITION_RATE_LIMIT` ("20/h" by default),
read at each request; the counter lives in the default cache (see the note
on `RATELIMIT_USE_CACHE` in `config/settings.py`).
"""

from typing import Final

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from django_ratelimit.core import is_ratelimited

from danvan.core.middleware import client_ip

#: The django-ratelimit group shared by every public intake channel.
INTAKE_GROUP: Final = "petitions.intake"
DEFAULT_RATE: Final = "20/h"


def _rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "PETITION_RATE_LIMIT", DEFAULT_RATE))


def _key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def intake_limited(request: HttpRequest) -> bool:
    """Count one filing from the request's client; tell whether it is over the limit."""
    return bool(
        is_ratelimited(
            request, group=INTAKE_GROUP, key=_key, rate=_rate, method="POST", increment=True
        )
    )


def intake_limited_message() -> str:
    """Return the answer to a client over the limit, in the active language."""
    return gettext(
        "Too many petitions were sent from your network in a short time. "
        "Please wait a while and send it again."
    )
