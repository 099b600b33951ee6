"""The health check used by load balancers and `make run`."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database answers, 503 with the reason otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("health check: database unavailable: %s", error)
        return JsonResponse(
            {
                "status": "error",
                "database": "unavailable",
                "reason": f"{type(error).__name__}: {error}"[:300],
            },
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})
