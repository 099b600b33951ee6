"""Public pages of the platform core."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """Show the home page: what the site offers and where to go next."""
    return render(request, "core/home.html")
