"""Pages of the cooperation lifecycle. Thin: load through restrict(), check, call a service, render.

Records a user may not see are 404 (not 403), so their existence is not revealed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.accounts.models import Role, User
from qiao.core.exports import xlsx_response
from qiao.core.permissions import ADD, CHANGE, DELETE, VIEW, can, restrict

from . import exports, selectors, services
from .forms import (
    ActionItemForm,
    ActionStatusForm,
    AgreementForm,
    CooperationFilterForm,
    CooperationForm,
    DealForm,
    DocumentForm,
    EvaluationForm,
    FundingForm,
    MeetingForm,
    MilestoneForm,
    PaymentForm,
    ProjectForm,
    StageForm,
)
from .models import (
    PIPELINE_STAGES,
    ActionItem,
    Agreement,
    AgreementDocument,
    Cooperation,
    DealPayment,
    FundingReceipt,
    Meeting,
    Milestone,
    Project,
    TransferDeal,
)
from .permissions import can_see_terms, party_org_ids

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _get(model: type[Model], request: HttpRequest, pk: int, action: str = VIEW, qs: Any = None) -> Any:
    """The row if the user may ``action`` it; 404 if they may not even see it, 403 if they only see it."""
    base = qs if qs is not None else model._default_manager.all()
    obj = restrict(base, request.user, action).filter(pk=pk).first()
    if obj is not None:
        return obj
    if action != VIEW and restrict(base, request.user, VIEW).filter(pk=pk).exists():
        raise PermissionDenied
    raise Http404


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _form_page(request: HttpRequest, form: Any, *, title: str, save: Callable[[dict[str, Any]], Any],
               cancel_url: str, breadcrumbs: list[tuple[str, str]] | None = None, multipart: bool = False,
               audit: list[Any] | None = None) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(dict(form.cleaned_data))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(obj)
    return render(request, "cooperation/form.html", {
        "form": form, "title": title, "cancel_url": cancel_url, "breadcrumbs": breadcrumbs or [],
        "multipart": multipart, "audit": audit})


def _crumbs(coop: Cooperation | None = None) -> list[tuple[str, str]]:
    out = [(_("Cooperation"), "/cooperation/")]
    if coop is not None:
        out.append((coop.display_title, coop.get_absolute_url()))
    return out




# --------------------------------------------------------------------------------------------- board


@login_required
def board(request: HttpRequest) -> HttpResponse:
    form = CooperationFilterForm(request.GET or None)
    filters = form.filters()
    columns = selectors.board(user=request.user, **filters)
    user = cast(User, request.user)  # login_required
    return render(request, "cooperation/board.html", {
        "form": form, "columns": columns, "total": sum(len(c["cooperations"]) for c in columns),
        "can_add": can(user, ADD, Cooperation),
        "changeable": set(restrict(Cooperation.objects.all(), user, CHANGE).values_list("pk", flat=True)),
        "stages": [(s.value, s.label) for s in PIPELINE_STAGES],
        "zone_counts": selectors.zone_stage_counts(user=user) if user.has_role(Role.GOVERNMENT_OFFICER) else None,
        "querystring": request.GET.urlencode(),
    })


@login_required
def cooperation_export(request: HttpRequest) -> HttpResponse:
    form = CooperationFilterForm(request.GET or None)
    rows = selectors.cooperation_list(user=request.user, **form.filters()).prefetch_related("agreements")
    user = request.user

    def value(coop: Cooperation) -> Any:
        if not can_see_terms(user, coop):
            return ""
        return sum((a.value or 0) for a in coop.agreements.all())

    columns = [
        (_("ID"), lambda c: c.pk), (_("Title"), lambda c: c.display_title), (_("Stage"), lambda c: c.get_stage_display()),
        (_("Parties"), lambda c: ", ".join(str(p) for p in c.parties.all())),
        (_("Owner"), lambda c: str(c.owner or "")), (_("Updated"), lambda c: c.updated),
        (_("Agreement value"), value),
    ]
    return xlsx_response(exports.xlsx(_("Cooperations"), columns, rows), "cooperations.xlsx")


@login_required
def cooperation_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, ADD, Cooperation):
        raise PermissionDenied
    form = CooperationForm(request.POST or None, user=request.user)

    def save(data: dict[str, Any]) -> Cooperation:
        return services.cooperation_create(by=request.user, **data)

    return _form_page(request, form, title=_("New cooperation"), save=save, cancel_url="/cooperation/",
                      breadcrumbs=_crumbs())


@login_required
def cooperation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _get(Cooperation, request, pk, qs=Cooperation.objects.select_related("owner", "centre"))
    user = request.user
    terms = can_see_terms(user, coop)
    agreements = list(restrict(coop.agreements.all(), user, VIEW).prefetch_related("parties", "projects"))
    if not terms:
        for agreement in agreements:
            agreement.value = None
    return render(request, "cooperation/cooperation_detail.html", {
        "coop": coop, "parties": coop.parties.all(), "people": coop.people.select_related("organization"),
        "needs": restrict(coop.needs.all(), user, VIEW), "achievements": restrict(coop.achievements.all(), user, VIEW),
        "meetings": restrict(coop.meetings.all(), user, VIEW),
        "action_items": restrict(ActionItem.objects.filter(cooperation=coop) | ActionItem.objects.filter(
            meeting__cooperations=coop), user, VIEW).select_related("owner_user", "owner_person").distinct(),
        "agreements": agreements,
        "deals": restrict(coop.deals.select_related("achievement"), user, VIEW),
        "timeline": selectors.timeline(cooperation=coop, user=user)[:100],
        "audit": selectors.cooperation_audit(cooperation=coop, user=user),
        "can_change": can(user, CHANGE, coop), "can_delete": can(user, DELETE, coop), "show_terms": terms,
        "stage_form": StageForm(initial={"stage": coop.stage}),
    })


@login_required
def cooperation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _get(Cooperation, request, pk, CHANGE)
    form = CooperationForm(request.POST or None, instance=coop, user=request.user)

    def save(data: dict[str, Any]) -> Cooperation:
        return services.cooperation_update(cooperation=Cooperation.objects.get(pk=coop.pk), by=request.user, **data)

    return _form_page(request, form, title=_("Edit cooperation"), save=save, cancel_url=coop.get_absolute_url(),
                      breadcrumbs=_crumbs(coop))


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
@require_POST
def cooperation_stage(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a cooperation to another stage (a plain POST form; the board sends it with htmx)."""
    coop = _get(Cooperation, request, pk, CHANGE)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.cooperation_change_stage(cooperation=coop, stage=form.cleaned_data["stage"], by=request.user,
                                              reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Stage changed to %(stage)s.") % {"stage": coop.get_stage_display()})
    else:
        messages.error(request, _("Choose a stage."))
    return redirect(_safe_next(request, coop.get_absolute_url()))


# --------------------------------------------------------------------------------------------- meetings


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meeting_list(user=request.user, q=request.GET.get("q", ""))
    return render(request, "cooperation/meeting_list.html", {
        "meetings": meetings[:200], "can_add": can(request.user, ADD, Meeting), "q": request.GET.get("q", "")})


@login_required
def meeting_export(request: HttpRequest) -> HttpResponse:
    rows = selectors.meeting_list(user=request.user, q=request.GET.get("q", "")).prefetch_related("cooperations")
    columns = [
        (_("ID"), lambda m: m.pk), (_("Title"), lambda m: m.display_title), (_("Kind"), lambda m: m.get_kind_display()),
        (_("Starts"), lambda m: m.starts_at), (_("Place"), lambda m: m.display_place or m.online_url),
        (_("Organizer"), lambda m: str(m.organizer or "")),
        (_("Cooperations"), lambda m: ", ".join(str(c) for c in m.cooperations.all())),
    ]
    return xlsx_response(exports.xlsx(_("Meetings"), columns, rows), "meetings.xlsx")


@login_required
def meeting_create(request: HttpRequest, coop_pk: int | None = None) -> HttpResponse:
    coop = _get(Cooperation, request, coop_pk, CHANGE) if coop_pk else None
    if not can(request.user, ADD, Meeting):
        raise PermissionDenied
    initial: dict[str, Any] = {"cooperations": [coop.pk], "participant_organizations": list(coop.parties.values_list("pk", flat=True)),
               "participants": list(coop.people.values_list("pk", flat=True))} if coop else {}
    initial["starts_at"] = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    form = MeetingForm(request.POST or None, user=request.user, initial=initial)

    def save(data: dict[str, Any]) -> Meeting:
        return services.meeting_create(by=request.user, **data)

    return _form_page(request, form, title=_("Record a meeting"), save=save,
                      cancel_url=coop.get_absolute_url() if coop else "/cooperation/meetings/",
                      breadcrumbs=_crumbs(coop))


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(Meeting, request, pk, qs=Meeting.objects.select_related("organizer"))
    user = request.user
    return render(request, "cooperation/meeting_detail.html", {
        "meeting": meeting, "cooperations": restrict(meeting.cooperations.all(), user, VIEW),
        "participants": meeting.participants.select_related("organization"),
        "organizations": meeting.participant_organizations.all(), "external": meeting.external_people(),
        "agenda": meeting.lines("agenda"), "decisions": meeting.lines("decisions"),
        "action_items": restrict(meeting.action_items.select_related("owner_user", "owner_person"), user, VIEW),
        "can_change": can(user, CHANGE, meeting), "audit": selectors.audit_trail(obj=meeting, user=user),
        "status_form": ActionStatusForm(),
    })


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(Meeting, request, pk, CHANGE)
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)

    def save(data: dict[str, Any]) -> Meeting:
        return services.meeting_update(meeting=Meeting.objects.get(pk=meeting.pk), by=request.user, **data)

    return _form_page(request, form, title=_("Edit meeting"), save=save, cancel_url=meeting.get_absolute_url(),
                      breadcrumbs=_crumbs())


@login_required
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(Meeting, request, pk)
    data = exports.meeting_ics(meeting, host=request.get_host().split(":")[0] or "qiao.local",
                               url=request.build_absolute_uri(meeting.get_absolute_url()))
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def _minutes_items(meeting: Meeting, user: Any) -> Any:
    return restrict(meeting.action_items.select_related("owner_user", "owner_person"), user, VIEW)


@login_required
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(Meeting, request, pk)
    response = HttpResponse(exports.minutes_pdf(meeting, _minutes_items(meeting, request.user)),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}.pdf"'
    return response


@login_required
def meeting_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(Meeting, request, pk)
    response = HttpResponse(exports.minutes_docx(meeting, _minutes_items(meeting, request.user)), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}.docx"'
    return response


# --------------------------------------------------------------------------------------------- action items


@login_required
def action_item_list(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    if scope not in ("mine", "overdue", "upcoming", "all"):
        scope = "mine"
    items = selectors.action_item_list(user=request.user, scope=scope)
    changeable = set(restrict(ActionItem.objects.all(), request.user, CHANGE).values_list("pk", flat=True))
    return render(request, "cooperation/action_item_list.html", {
        "items": items[:300], "scope": scope, "changeable": changeable, "status_form": ActionStatusForm(),
        "today": timezone.localdate(), "scopes": [("mine", _("My action items")), ("overdue", _("Overdue")),
                                                  ("upcoming", _("Upcoming")), ("all", _("All I can see"))]})


@login_required
def action_item_export(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    rows = selectors.action_item_list(user=request.user, scope=scope)
    columns = [
        (_("ID"), lambda a: a.pk), (_("Title"), lambda a: a.display_title), (_("Owner"), lambda a: a.owner_display),
        (_("Due"), lambda a: a.due), (_("Status"), lambda a: a.get_status_display()),
        (_("Meeting"), lambda a: str(a.meeting or "")), (_("Cooperation"), lambda a: str(a.cooperation or "")),
    ]
    return xlsx_response(exports.xlsx(_("Action items"), columns, rows), "action-items.xlsx")


def _item_form_page(request: HttpRequest, *, meeting: Meeting | None, coop: Cooperation | None,
                    item: ActionItem | None = None, audit: list[Any] | None = None) -> HttpResponse:
    cooperations = list(meeting.cooperations.all()) if meeting else ([coop] if coop else [])
    form = ActionItemForm(request.POST or None, instance=item or ActionItem(meeting=meeting, cooperation=coop),
                          user=request.user, cooperations=cooperations)
    parent = meeting or coop

    def save(data: dict[str, Any]) -> Any:
        if item is None:
            services.action_item_create(by=request.user, meeting=meeting, cooperation=coop, **data)
        else:
            services.action_item_update(item=ActionItem.objects.get(pk=item.pk), by=request.user, **data)
        return parent

    return _form_page(request, form, title=_("Action item"), save=save,
                      cancel_url=parent.get_absolute_url() if parent else "/cooperation/action-items/",
                      breadcrumbs=_crumbs(coop), audit=audit)


@login_required
def action_item_create(request: HttpRequest, meeting_pk: int | None = None, coop_pk: int | None = None) -> HttpResponse:
    meeting = _get(Meeting, request, meeting_pk, CHANGE) if meeting_pk else None
    coop = _get(Cooperation, request, coop_pk, CHANGE) if coop_pk else None
    return _item_form_page(request, meeting=meeting, coop=coop)


@login_required
def action_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get(ActionItem, request, pk, CHANGE, qs=ActionItem.objects.select_related("meeting", "cooperation"))
    return _item_form_page(request, meeting=item.meeting, coop=item.cooperation, item=item,
                           audit=selectors.audit_trail(obj=item, user=request.user))


@login_required
@require_POST
def action_item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get(ActionItem, request, pk, CHANGE)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_item_update(item=item, by=request.user, status=form.cleaned_data["status"])
        messages.success(request, _("Saved."))
    return redirect(_safe_next(request, "/cooperation/action-items/"))


# --------------------------------------------------------------------------------------------- agreements


@login_required
def agreement_create(request: HttpRequest, coop_pk: int) -> HttpResponse:
    coop = _get(Cooperation, request, coop_pk, CHANGE)
    terms = can_see_terms(request.user, coop)
    form = AgreementForm(request.POST or None, user=request.user, cooperation=coop, show_terms=terms)

    def save(data: dict[str, Any]) -> Agreement:
        return services.agreement_create(by=request.user, cooperation=coop, **data)

    return _form_page(request, form, title=_("New agreement"), save=save, cancel_url=coop.get_absolute_url(),
                      breadcrumbs=_crumbs(coop))


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _get(Agreement, request, pk, qs=Agreement.objects.select_related("cooperation"))
    user = request.user
    coop = agreement.cooperation
    terms = can_see_terms(user, coop)
    return render(request, "cooperation/agreement_detail.html", {
        "agreement": agreement, "coop": coop, "parties": agreement.parties.all(), "show_terms": terms,
        "documents": restrict(agreement.documents.all(), user, VIEW),
        "projects": restrict(agreement.projects.all(), user, VIEW),
        "deals": restrict(agreement.deals.select_related("achievement"), user, VIEW),
        "can_change": can(user, CHANGE, agreement), "can_upload": can(user, CHANGE, agreement),
        "document_form": DocumentForm(), "audit": selectors.audit_trail(obj=agreement, user=user),
    })


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _get(Agreement, request, pk, CHANGE)
    coop = agreement.cooperation
    form = AgreementForm(request.POST or None, instance=agreement, user=request.user, cooperation=coop,
                         show_terms=can_see_terms(request.user, coop))

    def save(data: dict[str, Any]) -> Agreement:
        return services.agreement_update(agreement=Agreement.objects.get(pk=agreement.pk), by=request.user, **data)

    return _form_page(request, form, title=_("Edit agreement"), save=save, cancel_url=agreement.get_absolute_url(),
                      breadcrumbs=_crumbs(coop))


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _get(Agreement, request, pk, CHANGE)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.agreement_document_add(agreement=agreement, file=form.cleaned_data["file"], by=request.user,
                                            name=form.cleaned_data["name"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Document uploaded."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect(agreement)


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    doc = _get(AgreementDocument, request, pk)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = doc.name if "." in doc.name else doc.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=filename,
                        content_type=services.document_content_type(doc))


# --------------------------------------------------------------------------------------------- projects


@login_required
def project_create(request: HttpRequest, agreement_pk: int) -> HttpResponse:
    agreement = _get(Agreement, request, agreement_pk, CHANGE)
    form = ProjectForm(request.POST or None, user=request.user)

    def save(data: dict[str, Any]) -> Project:
        return services.project_create(by=request.user, agreement=agreement, **data)

    return _form_page(request, form, title=_("New project"), save=save, cancel_url=agreement.get_absolute_url(),
                      breadcrumbs=_crumbs(agreement.cooperation))


def _sides(user: Any, coop: Cooperation) -> Any:
    """The party organizations a user may rate for."""
    from qiao.core.permissions import is_platform_admin

    parties = coop.parties.all()
    return parties if is_platform_admin(user) else parties.filter(pk__in=party_org_ids(user))


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _get(Project, request, pk, qs=Project.objects.select_related("agreement__cooperation", "leader"))
    user = request.user
    coop = project.agreement.cooperation
    sides = _sides(user, coop)
    return render(request, "cooperation/project_detail.html", {
        "project": project, "coop": coop, "agreement": project.agreement,
        "milestones": restrict(project.milestones.all(), user, VIEW),
        "funding": restrict(project.funding.all(), user, VIEW), "show_terms": can_see_terms(user, coop),
        "evaluations": restrict(project.evaluations.select_related("organization", "by"), user, VIEW),
        "evaluations_complete": services.evaluations_complete(project),
        "evaluation_form": EvaluationForm(sides=sides) if sides.exists() else None,
        "can_change": can(user, CHANGE, project), "audit": selectors.audit_trail(obj=project, user=user),
    })


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _get(Project, request, pk, CHANGE)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)

    def save(data: dict[str, Any]) -> Project:
        return services.project_update(project=Project.objects.get(pk=project.pk), by=request.user, **data)

    return _form_page(request, form, title=_("Edit project"), save=save, cancel_url=project.get_absolute_url(),
                      breadcrumbs=_crumbs(project.cooperation))


@login_required
def milestone_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _get(Project, request, project_pk, CHANGE)
    form = MilestoneForm(request.POST or None, user=request.user)

    def save(data: dict[str, Any]) -> Project:
        services.milestone_create(by=request.user, project=project, **data)
        return project

    return _form_page(request, form, title=_("New milestone or deliverable"), save=save,
                      cancel_url=project.get_absolute_url(), breadcrumbs=_crumbs(project.cooperation))


@login_required
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _get(Milestone, request, pk, CHANGE, qs=Milestone.objects.select_related("project"))
    form = MilestoneForm(request.POST or None, instance=milestone, user=request.user)

    def save(data: dict[str, Any]) -> Project:
        services.milestone_update(milestone=Milestone.objects.get(pk=milestone.pk), by=request.user, **data)
        return milestone.project

    return _form_page(request, form, title=_("Edit milestone"), save=save,
                      cancel_url=milestone.project.get_absolute_url(), breadcrumbs=_crumbs(),
                      audit=selectors.audit_trail(obj=milestone, user=request.user))


@login_required
def funding_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _get(Project, request, project_pk, CHANGE)
    if not can_see_terms(request.user, project.cooperation):
        raise PermissionDenied
    form = FundingForm(request.POST or None, user=request.user)

    def save(data: dict[str, Any]) -> Project:
        services.funding_add(by=request.user, project=project, **data)
        return project

    return _form_page(request, form, title=_("Funding received"), save=save, cancel_url=project.get_absolute_url(),
                      breadcrumbs=_crumbs(project.cooperation))


@login_required
def funding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = _get(FundingReceipt, request, pk, CHANGE, qs=FundingReceipt.objects.select_related("project"))
    if not can_see_terms(request.user, receipt.project.cooperation):
        raise PermissionDenied
    form = FundingForm(request.POST or None, instance=receipt, user=request.user)

    def save(data: dict[str, Any]) -> Project:
        services.funding_update(receipt=FundingReceipt.objects.get(pk=receipt.pk), by=request.user, **data)
        return receipt.project

    return _form_page(request, form, title=_("Funding received"), save=save,
                      cancel_url=receipt.project.get_absolute_url(), breadcrumbs=_crumbs(),
                      audit=selectors.audit_trail(obj=receipt, user=request.user))


@login_required
@require_POST
def project_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    project = _get(Project, request, pk)
    form = EvaluationForm(request.POST, sides=_sides(request.user, project.cooperation))
    if form.is_valid():
        try:
            services.project_evaluate(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you for your evaluation."))
    else:
        messages.error(request, _("Choose your side and a rating."))
    return redirect(project)


# --------------------------------------------------------------------------------------------- deals


@login_required
def deal_create(request: HttpRequest, coop_pk: int) -> HttpResponse:
    coop = _get(Cooperation, request, coop_pk, CHANGE)
    form = DealForm(request.POST or None, user=request.user, cooperation=coop,
                    show_terms=can_see_terms(request.user, coop))

    def save(data: dict[str, Any]) -> TransferDeal:
        return services.deal_create(by=request.user, cooperation=coop, **data)

    return _form_page(request, form, title=_("New technology-transfer deal"), save=save,
                      cancel_url=coop.get_absolute_url(), breadcrumbs=_crumbs(coop))


@login_required
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _get(TransferDeal, request, pk, qs=TransferDeal.objects.select_related("cooperation", "achievement",
                                                                                    "licensee", "agreement"))
    user = request.user
    terms = can_see_terms(user, deal.cooperation)
    payments = list(restrict(deal.payments.all(), user, VIEW))
    received = sum((p.received_amount or 0) for p in payments) if terms else None
    expected = sum((p.expected_amount or 0) for p in payments) if terms else None
    return render(request, "cooperation/deal_detail.html", {
        "deal": deal, "coop": deal.cooperation, "payments": payments, "show_terms": terms,
        "received": received, "expected": expected, "overdue": [p for p in payments if p.is_overdue],
        "can_change": can(user, CHANGE, deal), "audit": selectors.audit_trail(obj=deal, user=user),
    })


@login_required
def deal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _get(TransferDeal, request, pk, CHANGE)
    form = DealForm(request.POST or None, instance=deal, user=request.user, cooperation=deal.cooperation,
                    show_terms=can_see_terms(request.user, deal.cooperation))

    def save(data: dict[str, Any]) -> TransferDeal:
        return services.deal_update(deal=TransferDeal.objects.get(pk=deal.pk), by=request.user, **data)

    return _form_page(request, form, title=_("Edit deal"), save=save, cancel_url=deal.get_absolute_url(),
                      breadcrumbs=_crumbs(deal.cooperation))


@login_required
def payment_create(request: HttpRequest, deal_pk: int) -> HttpResponse:
    deal = _get(TransferDeal, request, deal_pk, CHANGE)
    form = PaymentForm(request.POST or None, user=request.user, show_terms=can_see_terms(request.user, deal.cooperation))

    def save(data: dict[str, Any]) -> TransferDeal:
        services.payment_create(by=request.user, deal=deal, **data)
        return deal

    return _form_page(request, form, title=_("Scheduled payment"), save=save, cancel_url=deal.get_absolute_url(),
                      breadcrumbs=_crumbs(deal.cooperation))


@login_required
def payment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _get(DealPayment, request, pk, CHANGE, qs=DealPayment.objects.select_related("deal__cooperation"))
    form = PaymentForm(request.POST or None, instance=payment, user=request.user,
                       show_terms=can_see_terms(request.user, payment.deal.cooperation))

    def save(data: dict[str, Any]) -> TransferDeal:
        services.payment_update(payment=DealPayment.objects.get(pk=payment.pk), by=request.user, **data)
        return payment.deal

    return _form_page(request, form, title=_("Payment"), save=save, cancel_url=payment.deal.get_absolute_url(),
                      breadcrumbs=_crumbs(payment.deal.cooperation),
                      audit=selectors.audit_trail(obj=payment, user=request.user))
