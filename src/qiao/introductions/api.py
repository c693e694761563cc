from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from qiao.catalog.models import Achievement, Need
from qiao.core.permissions import VIEW, restrict
from qiao.directory.models import Organization, Person

from . import selectors, services
from .models import Introduction
from .schemas import AcceptIn, DeclineIn, IntroductionIn, IntroductionOut

router = Router(tags=["introductions"])


def _get(request: HttpRequest, introduction_id: int) -> Introduction:
    return get_object_or_404(restrict(Introduction.objects.select_related("requester_org", "target_person"),
                                      request.user, VIEW), pk=introduction_id)


@router.get("/", response=list[IntroductionOut])
@paginate(PageNumberPagination, page_size=50)
def introduction_list(request: HttpRequest, box: str = "", status: str = ""):  # type: ignore[no-untyped-def]
    return selectors.introduction_list(user=request.user, box=box, status=status)


@router.post("/", response={201: IntroductionOut})
def introduction_request(request: HttpRequest, payload: IntroductionIn):  # type: ignore[no-untyped-def]
    user = request.user
    need = get_object_or_404(restrict(Need.objects.all(), user, VIEW), pk=payload.need_id) if payload.need_id else None
    achievement = get_object_or_404(restrict(Achievement.objects.all(), user, VIEW), pk=payload.achievement_id) \
        if payload.achievement_id else None
    person = get_object_or_404(restrict(Person.objects.all(), user, VIEW), pk=payload.person_id) \
        if payload.person_id else None
    org = get_object_or_404(restrict(Organization.objects.all(), user, VIEW), pk=payload.on_behalf_of_id) \
        if payload.on_behalf_of_id else None
    introduction = services.introduction_request(by=user, target_person=person, need=need, achievement=achievement,
                                                 message=payload.message, on_behalf_of=org)
    return 201, introduction


@router.get("/{introduction_id}", response=IntroductionOut)
def introduction_detail(request: HttpRequest, introduction_id: int):  # type: ignore[no-untyped-def]
    return _get(request, introduction_id)


@router.post("/{introduction_id}/accept", response=IntroductionOut)
def introduction_accept(request: HttpRequest, introduction_id: int, payload: AcceptIn):  # type: ignore[no-untyped-def]
    introduction = services.introduction_accept(introduction=_get(request, introduction_id), by=request.user,
                                                message=payload.message)
    return introduction


@router.post("/{introduction_id}/decline", response=IntroductionOut)
def introduction_decline(request: HttpRequest, introduction_id: int, payload: DeclineIn):  # type: ignore[no-untyped-def]
    introduction = services.introduction_decline(introduction=_get(request, introduction_id), by=request.user,
                                                 reason=payload.reason)
    return introduction


@router.post("/{introduction_id}/withdraw", response=IntroductionOut)
def introduction_withdraw(request: HttpRequest, introduction_id: int):  # type: ignore[no-untyped-def]
    introduction = services.introduction_withdraw(introduction=_get(request, introduction_id), by=request.user)
    return introduction
