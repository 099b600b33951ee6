"""Send an article to a friend (Gửi cho bạn bè): one email, nothing stored.

The reader gives their name and email, the friend's email and a short
message. The email (text and HTML, in the site's language) carries the
article's title, lead and full address, and the message, escaped in the
HTML part. The request does not wait for the mail server: a task sends it.

Nothing of the sending is stored in the database: the task's arguments
(kept by the database task backend) are only a random token; the addresses
and the message wait in the cache under that token until the task takes
them (`_PAYLOAD_TTL`), then are deleted. What abuse control needs is in
the cache too: django-ratelimit's counters, per client address and per
friend's address, the latter keyed by an HMAC of the address, never the
address itself.

A send-to-a-friend form is a classic relay for spam, hence the limits, the
short message and no links in it.
"""

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import asdict, dataclass
from typing import Final

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpRequest
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django_ratelimit.core import is_ratelimited

from danvan.core.middleware import client_ip
from danvan.portal.models import ArticlePage
from danvan.portal.readers_links import article_absolute_url

logger = logging.getLogger(__name__)

MESSAGE_MAX_LENGTH: Final = 500
CLIENT_GROUP: Final = "portal.share.client"
RECIPIENT_GROUP: Final = "portal.share.recipient"
DEFAULT_CLIENT_RATE: Final = "10/h"
DEFAULT_RECIPIENT_RATE: Final = "5/d"

_PAYLOAD_PREFIX: Final = "portal:share:"
_PAYLOAD_TTL: Final = 24 * 3600
#: A link in a message: a scheme, "www." or a bare domain name.
LINK: Final = re.compile(
    r"https?://|www\.|\b[a-z0-9-]+\.(?:com|net|org|vn|info|xyz|ru|top)\b", re.IGNORECASE
)


def _client_rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "PORTAL_SHARE_RATE_LIMIT", DEFAULT_CLIENT_RATE))


def _recipient_rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "PORTAL_SHARE_RECIPIENT_RATE_LIMIT", DEFAULT_RECIPIENT_RATE))


def _client_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def recipient_hash(email: str) -> str:
    """Return an HMAC of an email address: what the per-friend limit counts by."""
    message = email.strip().lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def share_client_limited(request: HttpRequest) -> bool:
    """Count one sending attempt from the request's client; tell whether it is over the limit."""
    return bool(
        is_ratelimited(
            request,
            group=CLIENT_GROUP,
            key=_client_key,
            rate=_client_rate,
            method="POST",
            increment=True,
        )
    )


def share_recipient_limited(request: HttpRequest, friend_email: str) -> bool:
    """Count one email to `friend_email`; tell whether that address got too many."""
    digest = recipient_hash(friend_email)
    return bool(
        is_ratelimited(
            request,
            group=RECIPIENT_GROUP,
            key=lambda group, request: digest,
            rate=_recipient_rate,
            method="POST",
            increment=True,
        )
    )


def share_limited_message() -> str:
    """Return the answer to a client over the limit, in the active language."""
    return gettext(
        "Too many emails were sent from your network or to this address in a short time. "
        "Please wait a while and try again."
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Share:
    """One sending: who sends, to whom, with which message."""

    article_id: int
    sender_name: str
    sender_email: str
    friend_email: str
    message: str


def share_send(share: Share) -> None:
    """Queue the email once the current transaction (if any) commits; store nothing."""
    token = secrets.token_urlsafe(24)
    cache.set(_PAYLOAD_PREFIX + token, asdict(share), timeout=_PAYLOAD_TTL)
    transaction.on_commit(lambda: share_email_send.enqueue(token))


def share_email_build(share: Share, article: ArticlePage) -> EmailMultiAlternatives:
    """Return the email to the friend, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "sender_name": share.sender_name,
            "sender_email": share.sender_email,
            "message": share.message,
            "title": article.title,
            "lead": article.lead,
            "url": article_absolute_url(article),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = gettext("%(name)s sends you an article: %(title)s") % {
            "name": share.sender_name,
            "title": article.title,
        }
        email = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("portal/readers/email/share.txt", context),
            to=[share.friend_email],
            reply_to=[share.sender_email],
        )
        email.attach_alternative(
            render_to_string("portal/readers/email/share.html", context), "text/html"
        )
    return email


class ShareEmailFailed(Exception):
    """Sending to a friend failed; the message names no address."""


@task()
def share_email_send(token: str) -> int:
    """Send the email waiting under `token`; return 1 if sent, 0 if it was gone.

    The waiting data is deleted first, so a second run sends nothing.
    """
    key = _PAYLOAD_PREFIX + token
    data = cache.get(key)
    if data is None or not cache.delete(key):
        return 0
    share = Share(**data)
    article = ArticlePage.objects.live().filter(pk=share.article_id).first()
    if article is None:
        return 0
    try:
        share_email_build(share, article).send(fail_silently=False)
    except Exception as error:
        raise ShareEmailFailed(
            f"Email about article {share.article_id} not sent: {type(error).__name__}"
        ) from None
    return 1
