"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Each domain app keeps its endpoints in its own `api.py` as a ninja
`Router`; this module only mounts them.
"""

from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.renderers import JSONRenderer

from danvan.api.auth import TokenAuth, authentication_error
from danvan.api.auth import router as auth_router
from danvan.geo.api import router as units_router
from danvan.petitions import api_staff
from danvan.petitions.api import petition_validation_error
from danvan.petitions.api import router as petitions_router


class Utf8JSONRenderer(JSONRenderer):
    """JSON in UTF-8 as it is ("Đồng Tháp"), not as \\u escapes: half the bytes."""

    json_dumps_params: Any = {"ensure_ascii": False}


api = NinjaAPI(
    title="Dân Vận API",
    version="1",
    description=(
        "API of Dân Vận: administrative units, petitions, reception, movements and briefings. "
        "Errors carry a Vietnamese message by default and an English one with "
        "`Accept-Language: en`."
    ),
    urls_namespace="api",
    renderer=Utf8JSONRenderer(),
)
api.add_router("/units/", units_router, tags=["units"])
api.add_router("/petitions", petitions_router, tags=["petitions"])
api.add_router("/auth", auth_router, tags=["auth"])
api.add_router("/staff/", api_staff.router, auth=TokenAuth(), tags=["staff"])

#: Operations whose invalid input answers `{"detail": …, "errors": [{"field", "message"}]}`.
FIELD_ERROR_URL_NAMES = api_staff.URL_NAMES | {"api_token_issue"}


def validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
    """Shape ninja's validation errors (`exc`) as the endpoint's own 422 answers."""
    match = request.resolver_match
    if match is not None and match.url_name in FIELD_ERROR_URL_NAMES:
        return api_staff.validation_error(request, exc, api=api)
    return petition_validation_error(request, exc, api=api)


api.add_exception_handler(ValidationError, validation_error)
api.add_exception_handler(AuthenticationError, partial(authentication_error, api=api))
