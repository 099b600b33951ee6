"""What readers do on an article: send it to a friend, write feedback, be counted.

The article page is served from a page cache, so it holds no form and no
CSRF token: its readers' part (`portal/readers/_article_readers.html`)
fetches the forms from the uncached *fragments* here, and links to the
standalone pages, which work without JavaScript. A fragment answers a
POST with itself (errors beside the fields, or the thank-you); a page
answers a successful POST with a redirect to its thank-you page
(Post/Redirect/Get).

The approved feedback comes with the feedback fragment, uncached, so a
newly approved one shows at once; newest first (`feedback.approved_feedback`),
so readers see the latest reactions without paging.

`view_beacon` is the counter's endpoint: exempt from CSRF (it only adds
to a counter, and a cached page has no token to send), refused from other
sites, rate-limited, and it touches no database (`counting.view_count`).
"""

from typing import Any, Final
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from danvan.core.middleware import client_ip
from danvan.portal import counting, feedback, sharing
from danvan.portal.forms_readers import FeedbackForm, ShareForm
from danvan.portal.models import ArticlePage

FEEDBACK_GROUP: Final = "portal.feedback"
DEFAULT_FEEDBACK_RATE: Final = "10/h"
BEACON_GROUP: Final = "portal.views"
DEFAULT_BEACON_RATE: Final = "600/h"
#: What the page's script sends: a request without it did not come from the script.
BEACON_BODY: Final = b"v=1"
PAGE_PARAMETER: Final = "trang"

_ARTICLE_FIELDS: Final = ("id", "title", "lead", "url_path", "allow_feedback", "path", "depth")


def _article(article_id: int) -> ArticlePage:
    article = (
        ArticlePage.objects.live().public().filter(pk=article_id).only(*_ARTICLE_FIELDS).first()
    )
    if article is None:
        raise Http404
    return article


def _setting(name: str, default: str) -> Any:
    return lambda group, request: str(getattr(settings, name, default))


def _client(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Send to a friend -------------------------------------------------------------------


def _share_post(request: HttpRequest, article: ArticlePage) -> tuple[ShareForm, int, bool]:
    """Check and send; return the form, the status code and whether it was sent."""
    form = ShareForm(request.POST)
    if sharing.share_client_limited(request):
        form.limited = True  # type: ignore[attr-defined]
        return form, 429, False
    if not form.is_valid():
        return form, 200, False
    data = form.cleaned_data
    if sharing.share_recipient_limited(request, data["friend_email"]):
        form.limited = True  # type: ignore[attr-defined]
        return form, 429, False
    sharing.share_send(
        sharing.Share(
            article_id=article.pk,
            sender_name=data["sender_name"],
            sender_email=data["sender_email"],
            friend_email=data["friend_email"],
            message=data["message"],
        )
    )
    return form, 200, True


@never_cache
@require_http_methods(["GET", "POST"])
def share(request: HttpRequest, article_id: int) -> HttpResponse:
    """The standalone "send to a friend" page (works without JavaScript)."""
    article = _article(article_id)
    form, status = ShareForm(), 200
    if request.method == "POST":
        form, status, sent = _share_post(request, article)
        if sent:
            return redirect("portal_readers:share_sent", article_id=article.pk)
    context = {"article": article, "form": form}
    return _noindex(render(request, "portal/readers/share.html", context, status=status))


@never_cache
def share_sent(request: HttpRequest, article_id: int) -> HttpResponse:
    """Say the email is on its way."""
    article = _article(article_id)
    return _noindex(render(request, "portal/readers/share_sent.html", {"article": article}))


@never_cache
@require_http_methods(["GET", "POST"])
def share_fragment(request: HttpRequest, article_id: int) -> HttpResponse:
    """The form alone, fetched by the article page's script; a POST answers with it again."""
    article = _article(article_id)
    form, status, sent = ShareForm(), 200, False
    if request.method == "POST":
        form, status, sent = _share_post(request, article)
        if sent:
            form = ShareForm()
    context = {"article": article, "form": form, "sent": sent, "fragment": True}
    return _noindex(render(request, "portal/readers/_share_form.html", context, status=status))


# --- Feedback ---------------------------------------------------------------------------


def _feedback_limited(request: HttpRequest) -> bool:
    return bool(
        is_ratelimited(
            request,
            group=FEEDBACK_GROUP,
            key=_client,
            rate=_setting("PORTAL_FEEDBACK_RATE_LIMIT", DEFAULT_FEEDBACK_RATE),
            method="POST",
            increment=True,
        )
    )


def _feedback_post(request: HttpRequest, article: ArticlePage) -> tuple[FeedbackForm, int, bool]:
    """Check and store; return the form, the status code and whether it was stored."""
    form = FeedbackForm(request.POST)
    if not article.allow_feedback:
        raise Http404
    if _feedback_limited(request):
        form.limited = True  # type: ignore[attr-defined]
        return form, 429, False
    if not form.is_valid():
        return form, 200, False
    try:
        feedback.feedback_submit(article=article, **form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            for message in error.messages:
                form.add_error(None, message)
        return form, 200, False
    return form, 200, True


def _approved_page(request: HttpRequest, article: ArticlePage) -> Page:
    paginator = Paginator(feedback.approved_feedback(article), feedback.PUBLIC_PAGE_SIZE)
    return paginator.get_page(request.GET.get(PAGE_PARAMETER))


def _feedback_context(
    request: HttpRequest, article: ArticlePage, form: FeedbackForm, **extra: Any
) -> dict[str, Any]:
    return {
        "article": article,
        "form": form,
        "approved": _approved_page(request, article),
        "page_parameter": PAGE_PARAMETER,
        **extra,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def feedback_page(request: HttpRequest, article_id: int) -> HttpResponse:
    """The standalone feedback page: the published feedback and the form."""
    article = _article(article_id)
    form, status = FeedbackForm(), 200
    if request.method == "POST":
        form, status, stored = _feedback_post(request, article)
        if stored:
            return redirect("portal_readers:feedback_sent", article_id=article.pk)
    context = _feedback_context(request, article, form)
    return _noindex(render(request, "portal/readers/feedback.html", context, status=status))


@never_cache
def feedback_sent(request: HttpRequest, article_id: int) -> HttpResponse:
    """Thank the reader: the feedback shows once approved."""
    article = _article(article_id)
    return _noindex(render(request, "portal/readers/feedback_sent.html", {"article": article}))


@never_cache
@require_http_methods(["GET", "POST"])
def feedback_fragment(request: HttpRequest, article_id: int) -> HttpResponse:
    """The published feedback and the form alone, for the article page's script."""
    article = _article(article_id)
    form, status, stored = FeedbackForm(), 200, False
    if request.method == "POST":
        form, status, stored = _feedback_post(request, article)
    context = _feedback_context(request, article, form, stored=stored, fragment=True)
    return _noindex(render(request, "portal/readers/_feedback.html", context, status=status))


# --- The view counter's beacon ----------------------------------------------------------


def _from_this_site(request: HttpRequest) -> bool:
    """Tell whether a browser says the request comes from a page of this site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        try:
            return urlsplit(origin).netloc == request.get_host()
        except Exception:
            return False
    return True


@csrf_exempt
@require_POST
def view_beacon(request: HttpRequest, article_id: int) -> HttpResponse:
    """Count a view of the article (204, no content); no database query.

    Not counted, still 204: robots, requests without the script's body,
    other sites' pages, the same client again within 30 minutes. Over the
    rate limit: 429.
    """
    if not _from_this_site(request):
        return HttpResponse(status=204)
    if is_ratelimited(
        request,
        group=BEACON_GROUP,
        key=_client,
        rate=_setting("PORTAL_VIEW_RATE_LIMIT", DEFAULT_BEACON_RATE),
        method="POST",
        increment=True,
    ):
        return HttpResponse(status=429)
    if request.body[: len(BEACON_BODY) + 8].strip() != BEACON_BODY:
        return HttpResponse(status=204)
    counting.view_count(
        article_id=article_id,
        ip_address=client_ip(request) or "",
        user_agent=request.headers.get("User-Agent", "")[:512],
    )
    return HttpResponse(status=204)
