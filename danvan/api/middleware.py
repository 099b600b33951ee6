"""Language of API answers.

Pages choose their language by URL (`/en/…`), but the API lives outside
`i18n_patterns`, where `LocaleMiddleware` always activates the default
language. API clients choose with `Accept-Language` instead: Vietnamese by
default, English with `Accept-Language: en`.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"


def api_language(accept_language: str) -> str:
    """Return the first supported language of an `Accept-Language` header."""
    supported = {code for code, _name in settings.LANGUAGES}
    for tag, _quality in parse_accept_lang_header(accept_language):
        if tag == "*":
            break
        base = tag.split("-")[0].lower()
        if base in supported:
            return base
    return settings.LANGUAGE_CODE


class ApiLanguageMiddleware:
    """Activate the language a client asks for on API URLs (after LocaleMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        language = api_language(request.headers.get("Accept-Language", ""))
        with translation.override(language):
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["Content-Language"] = language
        response.headers.setdefault("Vary", "Accept-Language")
        if "Accept-Language" not in response["Vary"]:
            response["Vary"] += ", Accept-Language"
        return response
