"""Middleware of the platform core."""

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from danvan.core.request_context import RequestInfo, reset_request_info, set_request_info


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address (REMOTE_ADDR; a trusted proxy sets it)."""
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Give each request an id and remember its client for the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID", "")[:32] or uuid.uuid4().hex
        token = set_request_info(RequestInfo(ip_address=client_ip(request), request_id=request_id))
        try:
            response = self.get_response(request)
        finally:
            reset_request_info(token)
        response["X-Request-ID"] = request_id
        return response
