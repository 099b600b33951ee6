"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Each domain app keeps its endpoints in its own `api.py` as a ninja
`Router`; this module only mounts them.
"""

from functools import partial
from typing import Any

from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from danvan.geo.api import router as units_router
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
api.add_exception_handler(ValidationError, partial(petition_validation_error, api=api))
