"""Pages of the matching domain. Thin: parse, check, call one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.catalog.models import Need
from qiao.core.permissions import CHANGE, VIEW, restrict
from qiao.directory.models import Organization

from . import selectors, services
from .forms import ConflictForm, MarketFilterForm, MatchFilterForm, SearchForm
from .models import ConflictOfInterest


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """htmx requests aimed at #results get only the results block."""
    fragment = bool(request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results")
    return render(request, template, {**context, "fragment": fragment})


@login_required
def need_matches(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(restrict(Need.objects.select_related("owner"), request.user, VIEW), pk=pk)
    form = MatchFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    matches = selectors.match_need(need=need, user=request.user, filters=filters)
    from qiao.introductions.selectors import may_request_for

    return _render(request, "matching/need_matches.html", {
        "need": need, "form": form, "matches": matches, "can_request": may_request_for(need=need, user=request.user)})


@login_required
def for_me(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    needs = selectors.needs_for_researcher(person=person, user=request.user) if person else []
    return render(request, "matching/for_me.html", {"person": person, "needs": needs})


@login_required
def market(request: HttpRequest) -> HttpResponse:
    if not selectors.may_use_market(request.user):
        raise PermissionDenied
    form = MarketFilterForm(request.GET or None)
    zone_id = form.cleaned_data.get("zone") if form.is_valid() else None
    zone = get_object_or_404(Organization, pk=zone_id) if zone_id else None
    return render(request, "matching/market.html", {
        "market": selectors.broker_market(user=request.user, zone=zone), "zone": zone, "form": form})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    results = selectors.search(user=request.user, q=q)
    return _render(request, "matching/search.html", {"form": form, "results": results})


@login_required
def conflicts(request: HttpRequest) -> HttpResponse:
    form = ConflictForm(request.POST or None)
    form.fields["person"].queryset = selectors.declarable_people(user=request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Conflict of interest declared."))
            return redirect("matching:conflicts")
    return render(request, "matching/conflicts.html", {
        "form": form, "conflicts": selectors.conflict_list(user=request.user)})


@login_required
@require_POST
def conflict_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    conflict = restrict(ConflictOfInterest.objects.all(), request.user, CHANGE).filter(pk=pk).first()
    if conflict is None:
        raise Http404
    services.conflict_withdraw(by=request.user, conflict=conflict)
    messages.success(request, _("Conflict of interest withdrawn."))
    return redirect("matching:conflicts")
