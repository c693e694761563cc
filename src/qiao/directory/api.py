from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate

from qiao.core.permissions import VIEW, restrict

from . import selectors, services
from .models import Discipline, IndustryCategory, Organization, Person, Region
from .schemas import (
    MajorOut,
    OrganizationFilter,
    OrganizationIn,
    OrganizationOut,
    PersonFilter,
    PersonIn,
    PersonOut,
    TaxonomyOut,
)

router = Router(tags=["directory"])


def _organization_data(payload: OrganizationIn, user) -> dict:  # type: ignore[no-untyped-def]
    data = payload.dict()
    parent_id = data.pop("parent_id")
    region_code = data.pop("region_code")
    codes = data.pop("industry_codes")
    data["parent"] = get_object_or_404(restrict(Organization.objects.all(), user, VIEW), pk=parent_id) if parent_id else None
    data["region"] = get_object_or_404(Region, code=region_code) if region_code else None
    data["industries"] = list(IndustryCategory.objects.filter(code__in=codes))
    if len(data["industries"]) != len(set(codes)):
        from django.core.exceptions import ValidationError

        raise ValidationError({"industry_codes": ["unknown industry code"]})
    return data


@router.get("/organizations", response=list[OrganizationOut])
@paginate(PageNumberPagination, page_size=50)
def organization_list(request: HttpRequest, filters: Query[OrganizationFilter]):  # type: ignore[no-untyped-def]
    return selectors.organization_list(user=request.user, **filters.dict()).prefetch_related("industries")


@router.get("/organizations/{org_id}", response=OrganizationOut)
def organization_detail(request: HttpRequest, org_id: int):  # type: ignore[no-untyped-def]
    return get_object_or_404(restrict(Organization.objects.all(), request.user, VIEW), pk=org_id)


@router.post("/organizations", response={201: OrganizationOut})
def organization_create(request: HttpRequest, payload: OrganizationIn):  # type: ignore[no-untyped-def]
    org = services.organization_create(by=request.user, **_organization_data(payload, request.user))
    return 201, org


@router.put("/organizations/{org_id}", response=OrganizationOut)
def organization_update(request: HttpRequest, org_id: int, payload: OrganizationIn):  # type: ignore[no-untyped-def]
    org = get_object_or_404(restrict(Organization.objects.all(), request.user, VIEW), pk=org_id)
    return services.organization_update(organization=org, by=request.user, **_organization_data(payload, request.user))


@router.get("/people", response=list[PersonOut])
@paginate(PageNumberPagination, page_size=50)
def person_list(request: HttpRequest, filters: Query[PersonFilter]):  # type: ignore[no-untyped-def]
    return selectors.person_list(user=request.user, **filters.dict()).prefetch_related("disciplines")


@router.get("/people/{person_id}", response=PersonOut)
def person_detail(request: HttpRequest, person_id: int):  # type: ignore[no-untyped-def]
    return get_object_or_404(restrict(Person.objects.all(), request.user, VIEW), pk=person_id)


def _person_data(payload: PersonIn, user) -> dict:  # type: ignore[no-untyped-def]
    data = payload.dict()
    data["organization"] = get_object_or_404(restrict(Organization.objects.all(), user, VIEW), pk=data.pop("organization_id"))
    codes = data.pop("discipline_codes")
    data["disciplines"] = list(Discipline.objects.filter(code__in=codes))
    return data


@router.post("/people", response={201: PersonOut})
def person_create(request: HttpRequest, payload: PersonIn):  # type: ignore[no-untyped-def]
    return 201, services.person_create(by=request.user, **_person_data(payload, request.user))


@router.put("/people/{person_id}", response=PersonOut)
def person_update(request: HttpRequest, person_id: int, payload: PersonIn):  # type: ignore[no-untyped-def]
    person = get_object_or_404(restrict(Person.objects.all(), request.user, VIEW), pk=person_id)
    return services.person_update(person=person, by=request.user, **_person_data(payload, request.user))


@router.get("/majors", response=list[MajorOut])
@paginate(PageNumberPagination, page_size=50)
def major_list(request: HttpRequest, q: str = "", college: int | None = None):  # type: ignore[no-untyped-def]
    return selectors.major_list(user=request.user, q=q, college=college)


@router.get("/industries", response=list[TaxonomyOut])
def industry_list(request: HttpRequest, level: str = ""):  # type: ignore[no-untyped-def]
    qs = restrict(IndustryCategory.objects.select_related("parent"), request.user, VIEW)
    return qs.filter(level=level) if level else qs


@router.get("/disciplines", response=list[TaxonomyOut])
def discipline_list(request: HttpRequest, level: str = ""):  # type: ignore[no-untyped-def]
    qs = restrict(Discipline.objects.select_related("parent"), request.user, VIEW)
    return qs.filter(level=level) if level else qs
