from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import selectors


def render_list(request: HttpRequest, template: str, queryset: Any, context: dict[str, Any], per_page: int = 25) -> HttpResponse:
    """Render a paginated list page; an htmx request gets only the results fragment."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {**context, "page": page, "querystring": query.urlencode()}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, template, {**context, "fragment": True})
    return render(request, template, context)


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/landing.html", {"stats": selectors.public_stats()})
    return render(request, "core/home.html", selectors.dashboard(user=request.user))


def health(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def set_language_redirect(request: HttpRequest) -> HttpResponse:
    return redirect("core:home")
