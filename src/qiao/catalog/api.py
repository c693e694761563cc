"""The catalog API: the same permissions as the pages. A need someone may not see is a 404 — never a 403 — so a
confidential need's existence does not leak; a visible need someone may not change is a 403."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from qiao.core.permissions import CHANGE, VIEW, can, restrict
from qiao.directory.models import Discipline, IndustryCategory, Organization, Person

from . import selectors, services
from .models import Achievement, Capability, Need, Publication
from .schemas import (
    AchievementFilter,
    AchievementIn,
    AchievementOut,
    CapabilityFilter,
    CapabilityIn,
    CapabilityOut,
    NeedDetailOut,
    NeedFilter,
    NeedIn,
    NeedOut,
    NeedTransitionIn,
    PublicationIn,
    PublicationOut,
    PublicationPatch,
)

router = Router(tags=["catalog"])


def _codes(model: Any, codes: list[str], field: str) -> list[Any]:
    rows = list(model.objects.filter(code__in=codes))
    if len(rows) != len(set(codes)):
        unknown = sorted(set(codes) - {r.code for r in rows})
        raise ValidationError({field: [f"unknown code(s): {', '.join(unknown)}"]})
    return rows


def _visible(model: Any, user: Any, pk: int, *related: str) -> Any:
    return get_object_or_404(restrict(model.objects.select_related(*related), user, VIEW), pk=pk)


# --------------------------------------------------------------------------------------------- needs


def _need_out(need: Need, user: Any) -> Need:
    need.named_organization_ids = (  # type: ignore[attr-defined]
        list(need.named_organizations.values_list("pk", flat=True)) if can(user, CHANGE, need) else [])
    return need


def _need_data(payload: NeedIn, user: Any) -> dict[str, Any]:
    data = payload.dict()
    for key in ("owner_id", "publish"):
        data.pop(key)
    data["industries"] = _codes(IndustryCategory, data.pop("industry_codes"), "industry_codes")
    data["disciplines"] = _codes(Discipline, data.pop("discipline_codes"), "discipline_codes")
    ids = data.pop("named_organization_ids")
    named = list(restrict(Organization.objects.filter(pk__in=ids), user, VIEW))
    if len(named) != len(set(ids)):
        raise ValidationError({"named_organization_ids": ["unknown organization"]})
    data["named_organizations"] = named
    return data


@router.get("/needs", response=list[NeedOut])
@paginate(PageNumberPagination, page_size=50)
def need_list(request: HttpRequest, filters: Query[NeedFilter]):  # type: ignore[no-untyped-def]
    return selectors.need_list(user=request.user, **filters.dict()).prefetch_related("industries", "disciplines")


@router.get("/needs/{need_id}", response=NeedDetailOut)
def need_detail(request: HttpRequest, need_id: int):  # type: ignore[no-untyped-def]
    return _need_out(_visible(Need, request.user, need_id, "owner"), request.user)


@router.post("/needs", response={201: NeedDetailOut})
def need_create(request: HttpRequest, payload: NeedIn):  # type: ignore[no-untyped-def]
    if payload.owner_id is None:
        raise ValidationError({"owner_id": ["required"]})
    owner = get_object_or_404(restrict(Organization.objects.all(), request.user, VIEW), pk=payload.owner_id)
    need = services.need_create(by=request.user, owner=owner, publish=payload.publish,
                                **_need_data(payload, request.user))
    return Status(201, _need_out(need, request.user))


@router.put("/needs/{need_id}", response=NeedDetailOut)
def need_update(request: HttpRequest, need_id: int, payload: NeedIn):  # type: ignore[no-untyped-def]
    need = _visible(Need, request.user, need_id)
    need = services.need_update(need=need, by=request.user, **_need_data(payload, request.user))
    return _need_out(need, request.user)


@router.post("/needs/{need_id}/transitions", response=NeedDetailOut)
def need_transition(request: HttpRequest, need_id: int, payload: NeedTransitionIn):  # type: ignore[no-untyped-def]
    need = _visible(Need, request.user, need_id)
    need = services.need_transition(need=need, to=payload.to, by=request.user, note=payload.note[:500])
    return _need_out(need, request.user)


@router.delete("/needs/{need_id}", response={204: None})
def need_delete(request: HttpRequest, need_id: int):  # type: ignore[no-untyped-def]
    services.need_delete(need=_visible(Need, request.user, need_id), by=request.user)
    return Status(204, None)


# --------------------------------------------------------------------------------------------- achievements


def _achievement_data(payload: AchievementIn, user: Any) -> dict[str, Any]:
    data = payload.dict()
    data["owner"] = get_object_or_404(restrict(Person.objects.all(), user, VIEW), pk=data.pop("owner_id"))
    ids = data.pop("co_owner_ids")
    data["co_owners"] = list(restrict(Person.objects.filter(pk__in=ids), user, VIEW))
    if len(data["co_owners"]) != len(set(ids)):
        raise ValidationError({"co_owner_ids": ["unknown person"]})
    data["industries"] = _codes(IndustryCategory, data.pop("industry_codes"), "industry_codes")
    data["disciplines"] = _codes(Discipline, data.pop("discipline_codes"), "discipline_codes")
    return data


@router.get("/achievements", response=list[AchievementOut])
@paginate(PageNumberPagination, page_size=50)
def achievement_list(request: HttpRequest, filters: Query[AchievementFilter]):  # type: ignore[no-untyped-def]
    return selectors.achievement_list(user=request.user, **filters.dict()).prefetch_related(
        "co_owners", "industries", "disciplines")


@router.get("/achievements/{achievement_id}", response=AchievementOut)
def achievement_detail(request: HttpRequest, achievement_id: int):  # type: ignore[no-untyped-def]
    return _visible(Achievement, request.user, achievement_id)


@router.post("/achievements", response={201: AchievementOut})
def achievement_create(request: HttpRequest, payload: AchievementIn):  # type: ignore[no-untyped-def]
    return Status(201, services.achievement_create(by=request.user, **_achievement_data(payload, request.user)))


@router.put("/achievements/{achievement_id}", response=AchievementOut)
def achievement_update(request: HttpRequest, achievement_id: int, payload: AchievementIn):  # type: ignore[no-untyped-def]
    achievement = _visible(Achievement, request.user, achievement_id)
    return services.achievement_update(achievement=achievement, by=request.user,
                                       **_achievement_data(payload, request.user))


# --------------------------------------------------------------------------------------------- capabilities


def _capability_data(payload: CapabilityIn, user: Any) -> dict[str, Any]:
    data = payload.dict()
    data["organization"] = get_object_or_404(restrict(Organization.objects.all(), user, VIEW),
                                             pk=data.pop("organization_id"))
    contact_id = data.pop("contact_id")
    data["contact"] = get_object_or_404(restrict(Person.objects.all(), user, VIEW), pk=contact_id) \
        if contact_id else None
    data["industries"] = _codes(IndustryCategory, data.pop("industry_codes"), "industry_codes")
    return data


@router.get("/capabilities", response=list[CapabilityOut])
@paginate(PageNumberPagination, page_size=50)
def capability_list(request: HttpRequest, filters: Query[CapabilityFilter]):  # type: ignore[no-untyped-def]
    return selectors.capability_list(user=request.user, **filters.dict()).prefetch_related("industries")


@router.get("/capabilities/{capability_id}", response=CapabilityOut)
def capability_detail(request: HttpRequest, capability_id: int):  # type: ignore[no-untyped-def]
    return _visible(Capability, request.user, capability_id)


@router.post("/capabilities", response={201: CapabilityOut})
def capability_create(request: HttpRequest, payload: CapabilityIn):  # type: ignore[no-untyped-def]
    return Status(201, services.capability_create(by=request.user, **_capability_data(payload, request.user)))


@router.put("/capabilities/{capability_id}", response=CapabilityOut)
def capability_update(request: HttpRequest, capability_id: int, payload: CapabilityIn):  # type: ignore[no-untyped-def]
    capability = _visible(Capability, request.user, capability_id)
    return services.capability_update(capability=capability, by=request.user,
                                      **_capability_data(payload, request.user))


# --------------------------------------------------------------------------------------------- publications


@router.get("/people/{person_id}/publications", response=list[PublicationOut])
def publication_list(request: HttpRequest, person_id: int):  # type: ignore[no-untyped-def]
    person = _visible(Person, request.user, person_id)
    return selectors.publications_of(person=person, user=request.user)


@router.post("/people/{person_id}/publications", response={201: PublicationOut})
def publication_create(request: HttpRequest, person_id: int, payload: PublicationIn):  # type: ignore[no-untyped-def]
    person = _visible(Person, request.user, person_id)
    return Status(201, services.publication_create(by=request.user, person=person, **payload.dict()))


@router.patch("/publications/{publication_id}", response=PublicationOut)
def publication_update(request: HttpRequest, publication_id: int, payload: PublicationPatch):  # type: ignore[no-untyped-def]
    publication = _visible(Publication, request.user, publication_id)
    return services.publication_update(publication=publication, by=request.user,
                                       **payload.dict(exclude_unset=True))


@router.delete("/publications/{publication_id}", response={204: None})
def publication_delete(request: HttpRequest, publication_id: int):  # type: ignore[no-untyped-def]
    services.publication_delete(publication=_visible(Publication, request.user, publication_id), by=request.user)
    return Status(204, None)
