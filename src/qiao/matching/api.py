"""The matching API: the same selectors, permissions and confidentiality as the pages. A need the user may not
see is a 404 (its existence does not leak)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from qiao.catalog.models import Need
from qiao.core.permissions import CHANGE, VIEW, restrict
from qiao.directory.models import Organization, Person

from . import selectors, services
from .models import ConflictOfInterest
from .schemas import (
    ConflictIn,
    ConflictOut,
    ConflictPatch,
    ItemOut,
    MarketOut,
    MatchFilter,
    NeedMatchesOut,
    SearchOut,
)

router = Router(tags=["matching"])


def _expert(m: selectors.ExpertMatch) -> dict[str, Any]:
    return {"person_id": m.person.pk, "name": m.person.display_name, "organization_id": m.person.organization_id,
            "organization": m.person.organization.display_name, "score_100": m.score_100,
            "matched_terms": m.matched_terms,
            "evidence": [vars(e) for e in m.evidence]}


def _item(m: selectors.ItemMatch) -> dict[str, Any]:
    return {"id": m.obj.pk, "kind": m.kind, "title": str(m.obj), "score_100": m.score_100,
            "matched_terms": m.matched_terms, "title_html": m.title_html, "snippet_html": m.snippet_html,
            "url": m.url}


@router.get("/needs/{need_id}/matches", response=NeedMatchesOut)
def need_matches(request: HttpRequest, need_id: int, filters: Query[MatchFilter]) -> dict[str, Any]:
    need = get_object_or_404(restrict(Need.objects.select_related("owner"), request.user, VIEW), pk=need_id)
    data = filters.dict()
    top_k = max(1, min(int(data.pop("top_k") or 10), 50))
    matches = selectors.match_need(need=need, user=request.user, filters=data, top_k=top_k)
    return {"need_id": need.pk, "experts": [_expert(m) for m in matches.experts],
            "achievements": [_item(m) for m in matches.achievements],
            "capabilities": [_item(m) for m in matches.capabilities], "majors": [_item(m) for m in matches.majors]}


@router.get("/for-me", response=list[ItemOut])
def for_me(request: HttpRequest, top_k: int = 10) -> list[dict[str, Any]]:
    person = getattr(request.user, "person", None)
    if person is None:
        return []
    return [_item(m) for m in selectors.needs_for_researcher(person=person, user=request.user,
                                                             top_k=max(1, min(top_k, 50)))]


@router.get("/market", response=MarketOut)
def market(request: HttpRequest, zone: int | None = None) -> dict[str, Any]:
    zone_org = get_object_or_404(Organization, pk=zone) if zone else None
    result = selectors.broker_market(user=request.user, zone=zone_org)
    return {"threshold": result.threshold,
            "rows": [{"need_id": r.need.pk, "title": str(r.need), "enterprise": r.need.owner.display_name,
                      "best_score": r.best_score, "experts": [_expert(m) for m in r.experts]} for r in result.rows],
            "gap_need_ids": [r.need.pk for r in result.gaps]}


@router.get("/search", response=SearchOut)
def search(request: HttpRequest, q: str = "") -> dict[str, Any]:
    results = selectors.search(user=request.user, q=q)
    return {"q": results.q, "total": results.total, "needs": [_item(m) for m in results.needs],
            "achievements": [_item(m) for m in results.achievements],
            "experts": [_expert(m) for m in results.experts]}


# --- conflicts of interest ---

def _conflict(c: ConflictOfInterest) -> dict[str, Any]:
    return {"id": c.pk, "person_id": c.person_id, "person": c.person.display_name,
            "organization_id": c.organization_id, "organization": c.organization.display_name,
            "reason": c.reason, "created": c.created}


@router.get("/conflicts", response=list[ConflictOut])
def conflict_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_conflict(c) for c in selectors.conflict_list(user=request.user)]


@router.post("/conflicts", response={201: ConflictOut})
def conflict_create(request: HttpRequest, payload: ConflictIn) -> Status:
    person = get_object_or_404(restrict(Person.objects.all(), request.user, VIEW), pk=payload.person_id)
    organization = get_object_or_404(restrict(Organization.objects.all(), request.user, VIEW),
                                     pk=payload.organization_id)
    conflict = services.conflict_declare(by=request.user, person=person, organization=organization,
                                         reason=payload.reason)
    return Status(201, _conflict(conflict))


@router.get("/conflicts/{conflict_id}", response=ConflictOut)
def conflict_detail(request: HttpRequest, conflict_id: int) -> dict[str, Any]:
    return _conflict(get_object_or_404(selectors.conflict_list(user=request.user), pk=conflict_id))


@router.patch("/conflicts/{conflict_id}", response=ConflictOut)
def conflict_update(request: HttpRequest, conflict_id: int, payload: ConflictPatch) -> dict[str, Any]:
    conflict = get_object_or_404(restrict(ConflictOfInterest.objects.select_related("person", "organization"),
                                          request.user, CHANGE), pk=conflict_id)
    conflict = services.conflict_declare(by=request.user, person=conflict.person,
                                         organization=conflict.organization, reason=payload.reason)
    return _conflict(conflict)


@router.delete("/conflicts/{conflict_id}", response={204: None})
def conflict_delete(request: HttpRequest, conflict_id: int) -> Status:
    conflict = get_object_or_404(restrict(ConflictOfInterest.objects.all(), request.user, CHANGE), pk=conflict_id)
    services.conflict_withdraw(by=request.user, conflict=conflict)
    return Status(204, None)
