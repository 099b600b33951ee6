"""The current request's client address and id, for the audit trail.

Held in a context variable set by `RequestContextMiddleware`, so services
need not take the request as an argument. Outside a request (commands,
tasks) both are empty.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    """What the audit trail records about the request that made a change."""

    ip_address: str | None = None
    request_id: str = ""


_current: ContextVar[RequestInfo] = ContextVar("danvan_request_info", default=RequestInfo())  # noqa: B039 (frozen)


def current_request_info() -> RequestInfo:
    """Return the current request's info, or an empty one outside a request."""
    return _current.get()


def set_request_info(info: RequestInfo) -> object:
    """Set the current request's info; return a token for `reset_request_info`."""
    return _current.set(info)


def reset_request_info(token: object) -> None:
    """Restore the info that was current before `set_request_info`."""
    _current.reset(token)  # type: ignore[arg-type]
