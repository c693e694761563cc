"""The cooperation API: the same permissions as the pages (404 for records a user may not see, 403 for records
they see but may not change) and confidential terms set to ``null`` for viewers who may not see them."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from qiao.accounts.models import User
from qiao.catalog.models import Achievement, Need
from qiao.core.permissions import ADD, CHANGE, VIEW, can, restrict
from qiao.directory.models import Organization, Person

from . import selectors, services
from .models import (
    CONFIDENTIAL_FIELDS,
    ActionItem,
    Agreement,
    AgreementDocument,
    Cooperation,
    DealPayment,
    Meeting,
    Milestone,
    Project,
    TransferDeal,
)
from .permissions import can_see_terms
from .schemas import (
    ActionItemIn,
    ActionItemOut,
    ActionItemPatch,
    AgreementIn,
    AgreementOut,
    AgreementPatch,
    AuditOut,
    CooperationFilter,
    CooperationIn,
    CooperationOut,
    CooperationPatch,
    DealIn,
    DealOut,
    DealPatch,
    DocumentOut,
    EvaluationIn,
    EvaluationOut,
    EventOut,
    FundingIn,
    FundingOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MilestoneIn,
    MilestoneOut,
    MilestonePatch,
    PaymentIn,
    PaymentOut,
    PaymentPatch,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    StageIn,
)

router = Router(tags=["cooperation"])


def _get(model: Any, user: Any, pk: int, action: str = VIEW) -> Any:
    obj = restrict(model.objects.all(), user, action).filter(pk=pk).first()
    if obj is not None:
        return obj
    if action != VIEW and restrict(model.objects.all(), user, VIEW).filter(pk=pk).exists():
        raise PermissionDenied
    raise Http404


# payload key → (model field, model, many, action needed on the referenced rows)
_REFS: dict[str, tuple[str, Any, bool, str]] = {
    "party_ids": ("parties", Organization, True, VIEW),
    "person_ids": ("people", Person, True, VIEW),
    "need_ids": ("needs", Need, True, VIEW),
    "achievement_ids": ("achievements", Achievement, True, VIEW),
    "cooperation_ids": ("cooperations", Cooperation, True, CHANGE),
    "participant_ids": ("participants", Person, True, VIEW),
    "participant_organization_ids": ("participant_organizations", Organization, True, VIEW),
    "centre_id": ("centre", Organization, False, VIEW),
    "organizer_id": ("organizer", Organization, False, VIEW),
    "owner_person_id": ("owner_person", Person, False, VIEW),
    "owner_organization_id": ("owner_organization", Organization, False, VIEW),
    "leader_id": ("leader", Person, False, VIEW),
    "licensee_id": ("licensee", Organization, False, VIEW),
    "achievement_id": ("achievement", Achievement, False, VIEW),
}


def _resolve(data: dict[str, Any], user: Any) -> dict[str, Any]:
    """Turn ``*_id``/``*_ids`` keys into rows the user may see (unknown or hidden ids are a validation error)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "owner_user_id":
            owner = User.objects.filter(pk=value, is_active=True).first() if value is not None else None
            if value is not None and owner is None:
                raise ValidationError({key: ["unknown user"]})
            out["owner_user"] = owner
            continue
        if key not in _REFS:
            out[key] = value
            continue
        field, model, many, action = _REFS[key]
        if many:
            rows = list(restrict(model.objects.filter(pk__in=value or []), user, action))
            if len(rows) != len(set(value or [])):
                raise ValidationError({key: ["unknown id(s)"]})
            out[field] = rows
        elif value is None:
            out[field] = None
        else:
            row = restrict(model.objects.filter(pk=value), user, action).first()
            if row is None:
                raise ValidationError({key: ["unknown id"]})
            out[field] = row
    return out


def _guard_terms(model: Any, data: dict[str, Any], user: Any, coop: Cooperation) -> None:
    """Only those who may see confidential terms may set them."""
    if set(data) & CONFIDENTIAL_FIELDS.get(model, set()) and not can_see_terms(user, coop):
        raise PermissionDenied


def _mask(obj: Any, user: Any, coop: Cooperation) -> Any:
    visible = can_see_terms(user, coop)
    obj.terms_visible = visible
    if not visible:
        for name in CONFIDENTIAL_FIELDS.get(type(obj), set()):
            setattr(obj, name, None)
    return obj


# --------------------------------------------------------------------------------------------- cooperations


@router.get("/cooperations", response=list[CooperationOut])
@paginate(PageNumberPagination, page_size=50)
def cooperation_list(request: HttpRequest, filters: Query[CooperationFilter]):  # type: ignore[no-untyped-def]
    return selectors.cooperation_list(user=request.user, **filters.dict()).prefetch_related(
        "people", "needs", "achievements", "zones")


@router.post("/cooperations", response={201: CooperationOut})
def cooperation_create(request: HttpRequest, payload: CooperationIn):  # type: ignore[no-untyped-def]
    if not can(request.user, ADD, Cooperation):
        raise PermissionDenied
    return 201, services.cooperation_create(by=request.user, **_resolve(payload.dict(), request.user))


@router.get("/cooperations/{cooperation_id}", response=CooperationOut)
def cooperation_detail(request: HttpRequest, cooperation_id: int):  # type: ignore[no-untyped-def]
    return _get(Cooperation, request.user, cooperation_id)


@router.patch("/cooperations/{cooperation_id}", response=CooperationOut)
def cooperation_update(request: HttpRequest, cooperation_id: int, payload: CooperationPatch):  # type: ignore[no-untyped-def]
    coop = _get(Cooperation, request.user, cooperation_id, CHANGE)
    data = _resolve(payload.dict(exclude_unset=True), request.user)
    return services.cooperation_update(cooperation=coop, by=request.user, **data)


@router.post("/cooperations/{cooperation_id}/stage", response=CooperationOut)
def cooperation_stage(request: HttpRequest, cooperation_id: int, payload: StageIn):  # type: ignore[no-untyped-def]
    coop = _get(Cooperation, request.user, cooperation_id, CHANGE)
    return services.cooperation_change_stage(cooperation=coop, stage=payload.stage, reason=payload.reason,
                                             by=request.user)


@router.get("/cooperations/{cooperation_id}/timeline", response=list[EventOut])
def cooperation_timeline(request: HttpRequest, cooperation_id: int):  # type: ignore[no-untyped-def]
    coop = _get(Cooperation, request.user, cooperation_id)
    return list(selectors.timeline(cooperation=coop, user=request.user)[:500])


@router.get("/cooperations/{cooperation_id}/audit", response=list[AuditOut])
def cooperation_audit(request: HttpRequest, cooperation_id: int):  # type: ignore[no-untyped-def]
    coop = _get(Cooperation, request.user, cooperation_id)
    return selectors.cooperation_audit(cooperation=coop, user=request.user)


# --------------------------------------------------------------------------------------------- meetings


def _meeting_out(meeting: Meeting, user: Any) -> Meeting:
    meeting.visible_cooperation_ids = list(  # type: ignore[attr-defined]
        restrict(meeting.cooperations.all(), user, VIEW).values_list("pk", flat=True))
    return meeting


@router.get("/meetings", response=list[MeetingOut])
@paginate(PageNumberPagination, page_size=50)
def meeting_list(request: HttpRequest, q: str = ""):  # type: ignore[no-untyped-def]
    return [_meeting_out(m, request.user) for m in selectors.meeting_list(user=request.user, q=q)
            .prefetch_related("participants", "participant_organizations")]


@router.post("/meetings", response={201: MeetingOut})
def meeting_create(request: HttpRequest, payload: MeetingIn):  # type: ignore[no-untyped-def]
    if not can(request.user, ADD, Meeting):
        raise PermissionDenied
    meeting = services.meeting_create(by=request.user, **_resolve(payload.dict(), request.user))
    return 201, _meeting_out(meeting, request.user)


@router.get("/meetings/{meeting_id}", response=MeetingOut)
def meeting_detail(request: HttpRequest, meeting_id: int):  # type: ignore[no-untyped-def]
    return _meeting_out(_get(Meeting, request.user, meeting_id), request.user)


@router.patch("/meetings/{meeting_id}", response=MeetingOut)
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingPatch):  # type: ignore[no-untyped-def]
    meeting = _get(Meeting, request.user, meeting_id, CHANGE)
    data = _resolve(payload.dict(exclude_unset=True), request.user)
    return _meeting_out(services.meeting_update(meeting=meeting, by=request.user, **data), request.user)


@router.get("/action-items", response=list[ActionItemOut])
@paginate(PageNumberPagination, page_size=100)
def action_item_list(request: HttpRequest, scope: str = "mine", status: str = ""):  # type: ignore[no-untyped-def]
    return selectors.action_item_list(user=request.user, scope=scope, status=status)


@router.post("/action-items", response={201: ActionItemOut})
def action_item_create(request: HttpRequest, payload: ActionItemIn):  # type: ignore[no-untyped-def]
    data = payload.dict()
    meeting_id, coop_id = data.pop("meeting_id"), data.pop("cooperation_id")
    meeting = _get(Meeting, request.user, meeting_id, CHANGE) if meeting_id else None
    coop = _get(Cooperation, request.user, coop_id, CHANGE) if coop_id else None
    if not can(request.user, ADD, ActionItem):
        raise PermissionDenied
    return 201, services.action_item_create(by=request.user, meeting=meeting, cooperation=coop,
                                            **_resolve(data, request.user))


@router.patch("/action-items/{item_id}", response=ActionItemOut)
def action_item_update(request: HttpRequest, item_id: int, payload: ActionItemPatch):  # type: ignore[no-untyped-def]
    item = _get(ActionItem, request.user, item_id, CHANGE)
    return services.action_item_update(item=item, by=request.user,
                                       **_resolve(payload.dict(exclude_unset=True), request.user))


# --------------------------------------------------------------------------------------------- agreements


@router.get("/agreements", response=list[AgreementOut])
@paginate(PageNumberPagination, page_size=50)
def agreement_list(request: HttpRequest, cooperation_id: int | None = None):  # type: ignore[no-untyped-def]
    qs = restrict(Agreement.objects.select_related("cooperation").prefetch_related("parties"), request.user, VIEW)
    if cooperation_id:
        qs = qs.filter(cooperation_id=cooperation_id)
    return [_mask(a, request.user, a.cooperation) for a in qs]


@router.post("/agreements", response={201: AgreementOut})
def agreement_create(request: HttpRequest, payload: AgreementIn):  # type: ignore[no-untyped-def]
    data = payload.dict()
    coop = _get(Cooperation, request.user, data.pop("cooperation_id"), CHANGE)
    _guard_terms(Agreement, {k: v for k, v in data.items() if v not in (None, "")}, request.user, coop)
    agreement = services.agreement_create(by=request.user, cooperation=coop, **_resolve(data, request.user))
    return 201, _mask(agreement, request.user, coop)


@router.get("/agreements/{agreement_id}", response=AgreementOut)
def agreement_detail(request: HttpRequest, agreement_id: int):  # type: ignore[no-untyped-def]
    agreement = _get(Agreement, request.user, agreement_id)
    return _mask(agreement, request.user, agreement.cooperation)


@router.patch("/agreements/{agreement_id}", response=AgreementOut)
def agreement_update(request: HttpRequest, agreement_id: int, payload: AgreementPatch):  # type: ignore[no-untyped-def]
    agreement = _get(Agreement, request.user, agreement_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    _guard_terms(Agreement, data, request.user, agreement.cooperation)
    agreement = services.agreement_update(agreement=agreement, by=request.user, **_resolve(data, request.user))
    return _mask(agreement, request.user, agreement.cooperation)


@router.get("/agreements/{agreement_id}/documents", response=list[DocumentOut])
def document_list(request: HttpRequest, agreement_id: int):  # type: ignore[no-untyped-def]
    agreement = _get(Agreement, request.user, agreement_id)
    return list(restrict(agreement.documents.all(), request.user, VIEW))


@router.post("/agreements/{agreement_id}/documents", response={201: DocumentOut})
def document_upload(request: HttpRequest, agreement_id: int, file: UploadedFile = File(...)):  # type: ignore[no-untyped-def]  # noqa: B008
    agreement = _get(Agreement, request.user, agreement_id, CHANGE)
    if not can(request.user, ADD, AgreementDocument):
        raise PermissionDenied
    return 201, services.agreement_document_add(agreement=agreement, file=file, by=request.user)


# --------------------------------------------------------------------------------------------- projects


def _project_out(project: Project, user: Any) -> Project:
    coop = project.agreement.cooperation
    project.milestones_list = list(restrict(project.milestones.all(), user, VIEW))  # type: ignore[attr-defined]
    project.funding_list = list(restrict(project.funding.all(), user, VIEW)) if can_see_terms(user, coop) else []  # type: ignore[attr-defined]
    project.evaluations_list = list(restrict(project.evaluations.all(), user, VIEW))  # type: ignore[attr-defined]
    return project


@router.get("/projects", response=list[ProjectOut])
def project_list(request: HttpRequest, agreement_id: int | None = None):  # type: ignore[no-untyped-def]
    qs = restrict(Project.objects.select_related("agreement__cooperation"), request.user, VIEW)
    if agreement_id:
        qs = qs.filter(agreement_id=agreement_id)
    return [_project_out(p, request.user) for p in qs[:200]]


@router.post("/projects", response={201: ProjectOut})
def project_create(request: HttpRequest, payload: ProjectIn):  # type: ignore[no-untyped-def]
    data = payload.dict()
    agreement = _get(Agreement, request.user, data.pop("agreement_id"), CHANGE)
    project = services.project_create(by=request.user, agreement=agreement, **_resolve(data, request.user))
    return 201, _project_out(project, request.user)


@router.get("/projects/{project_id}", response=ProjectOut)
def project_detail(request: HttpRequest, project_id: int):  # type: ignore[no-untyped-def]
    return _project_out(_get(Project, request.user, project_id), request.user)


@router.patch("/projects/{project_id}", response=ProjectOut)
def project_update(request: HttpRequest, project_id: int, payload: ProjectPatch):  # type: ignore[no-untyped-def]
    project = _get(Project, request.user, project_id, CHANGE)
    project = services.project_update(project=project, by=request.user,
                                      **_resolve(payload.dict(exclude_unset=True), request.user))
    return _project_out(project, request.user)


@router.post("/projects/{project_id}/milestones", response={201: MilestoneOut})
def milestone_create(request: HttpRequest, project_id: int, payload: MilestoneIn):  # type: ignore[no-untyped-def]
    project = _get(Project, request.user, project_id, CHANGE)
    return 201, services.milestone_create(by=request.user, project=project, **payload.dict())


@router.patch("/milestones/{milestone_id}", response=MilestoneOut)
def milestone_update(request: HttpRequest, milestone_id: int, payload: MilestonePatch):  # type: ignore[no-untyped-def]
    milestone = _get(Milestone, request.user, milestone_id, CHANGE)
    return services.milestone_update(milestone=milestone, by=request.user, **payload.dict(exclude_unset=True))


@router.post("/projects/{project_id}/funding", response={201: FundingOut})
def funding_create(request: HttpRequest, project_id: int, payload: FundingIn):  # type: ignore[no-untyped-def]
    project = _get(Project, request.user, project_id, CHANGE)
    if not can_see_terms(request.user, project.cooperation):
        raise PermissionDenied
    return 201, services.funding_add(by=request.user, project=project, **payload.dict())


@router.post("/projects/{project_id}/evaluations", response={201: EvaluationOut})
def evaluation_create(request: HttpRequest, project_id: int, payload: EvaluationIn):  # type: ignore[no-untyped-def]
    project = _get(Project, request.user, project_id)
    organization = Organization.objects.filter(pk=payload.organization_id).first()
    if organization is None:
        raise ValidationError({"organization_id": ["unknown organization"]})
    return 201, services.project_evaluate(project=project, organization=organization, rating=payload.rating,
                                          comment=payload.comment, by=request.user)


# --------------------------------------------------------------------------------------------- deals


def _deal_out(deal: TransferDeal, user: Any) -> TransferDeal:
    _mask(deal, user, deal.cooperation)
    deal.payments_list = [_mask(p, user, deal.cooperation) for p in restrict(deal.payments.all(), user, VIEW)]  # type: ignore[attr-defined]
    return deal


@router.get("/deals", response=list[DealOut])
def deal_list(request: HttpRequest, cooperation_id: int | None = None):  # type: ignore[no-untyped-def]
    qs = restrict(TransferDeal.objects.select_related("cooperation"), request.user, VIEW)
    if cooperation_id:
        qs = qs.filter(cooperation_id=cooperation_id)
    return [_deal_out(d, request.user) for d in qs[:200]]


@router.post("/deals", response={201: DealOut})
def deal_create(request: HttpRequest, payload: DealIn):  # type: ignore[no-untyped-def]
    data = payload.dict()
    coop = _get(Cooperation, request.user, data.pop("cooperation_id"), CHANGE)
    agreement_id = data.pop("agreement_id")
    agreement = _get(Agreement, request.user, agreement_id) if agreement_id else None
    _guard_terms(TransferDeal, {k: v for k, v in data.items() if v not in (None, "")}, request.user, coop)
    data = _resolve(data, request.user)
    deal = services.deal_create(by=request.user, cooperation=coop, agreement=agreement, **data)
    return 201, _deal_out(deal, request.user)


@router.get("/deals/{deal_id}", response=DealOut)
def deal_detail(request: HttpRequest, deal_id: int):  # type: ignore[no-untyped-def]
    return _deal_out(_get(TransferDeal, request.user, deal_id), request.user)


@router.patch("/deals/{deal_id}", response=DealOut)
def deal_update(request: HttpRequest, deal_id: int, payload: DealPatch):  # type: ignore[no-untyped-def]
    deal = _get(TransferDeal, request.user, deal_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    _guard_terms(TransferDeal, data, request.user, deal.cooperation)
    if "agreement_id" in data:
        agreement_id = data.pop("agreement_id")
        data["agreement"] = _get(Agreement, request.user, agreement_id) if agreement_id else None
    deal = services.deal_update(deal=deal, by=request.user, **_resolve(data, request.user))
    return _deal_out(deal, request.user)


@router.post("/deals/{deal_id}/payments", response={201: PaymentOut})
def payment_create(request: HttpRequest, deal_id: int, payload: PaymentIn):  # type: ignore[no-untyped-def]
    deal = _get(TransferDeal, request.user, deal_id, CHANGE)
    data = payload.dict()
    _guard_terms(DealPayment, {k: v for k, v in data.items() if v is not None}, request.user, deal.cooperation)
    payment = services.payment_create(by=request.user, deal=deal, **data)
    return 201, _mask(payment, request.user, deal.cooperation)


@router.patch("/payments/{payment_id}", response=PaymentOut)
def payment_update(request: HttpRequest, payment_id: int, payload: PaymentPatch):  # type: ignore[no-untyped-def]
    payment = _get(DealPayment, request.user, payment_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    _guard_terms(DealPayment, data, request.user, payment.deal.cooperation)
    payment = services.payment_update(payment=payment, by=request.user, **data)
    return _mask(payment, request.user, payment.deal.cooperation)
