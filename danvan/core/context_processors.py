"""Template context shared by every page."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from danvan.core.formats import page_date_line, today_vn


def site(request: HttpRequest) -> dict[str, Any]:
    """Give templates the site name and today's date line (Asia/Ho_Chi_Minh)."""
    return {
        "site_name": "Dân Vận",
        "date_line": page_date_line(today_vn(), get_language() or "vi"),
    }
