from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.accounts.models import Role
from qiao.catalog.models import Achievement, Need
from qiao.core.permissions import ADD, CHANGE, VIEW, can, restrict
from qiao.core.views import render_list
from qiao.directory.models import Organization, OrganizationKind, Person
from qiao.directory.selectors import member_organization_ids

from . import selectors, services
from .forms import IntroductionAcceptForm, IntroductionDeclineForm, IntroductionRequestForm
from .models import Introduction, IntroductionStatus
from .permissions import introduction_withdraw_q


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def introduction_list(request: HttpRequest) -> HttpResponse:
    box = request.GET.get("box") or ""
    if box not in (selectors.SENT, selectors.RECEIVED):
        box = selectors.RECEIVED if selectors.introduction_list(user=request.user, box=selectors.RECEIVED).exists() \
            else selectors.SENT
    status = request.GET.get("status", "")
    qs = selectors.introduction_list(user=request.user, box=box, status=status)
    return render_list(request, "introductions/introduction_list.html", qs, {
        "box": box, "status": status, "statuses": IntroductionStatus.choices,
        "pending_received": selectors.pending_received_count(user=request.user),
    })


@login_required
def introduction_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not can(user, ADD, Introduction):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    need = achievement = None
    if (need_id := _int(source.get("need"))) is not None:
        need = get_object_or_404(restrict(Need.objects.select_related("owner"), user, VIEW), pk=need_id)
    if (achievement_id := _int(source.get("achievement"))) is not None:
        achievement = get_object_or_404(restrict(Achievement.objects.select_related("owner"), user, VIEW),
                                        pk=achievement_id)
    person = None
    if (person_id := _int(source.get("person"))) is not None:
        person = get_object_or_404(restrict(Person.objects.select_related("organization"), user, VIEW), pk=person_id)
    elif achievement is not None:
        person = achievement.owner
    if person is None:
        messages.info(request, _("Choose an expert or an achievement first, e.g. from the matches for a need."))
        return redirect("directory:person_list")

    member_of = member_organization_ids(user)
    ask_enterprise = need is None and user.has_role(Role.BROKER) and not user.has_role(Role.ENTERPRISE_MEMBER)
    enterprises = restrict(Organization.objects.filter(kind=OrganizationKind.ENTERPRISE), user, VIEW) \
        if ask_enterprise else None
    form = IntroductionRequestForm(request.POST or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        try:
            introduction = services.introduction_request(
                by=user, target_person=person, need=need, achievement=achievement,
                message=form.cleaned_data["message"], on_behalf_of=form.cleaned_data.get("on_behalf_of"))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your introduction request was sent."))
            return redirect(introduction)
    return render(request, "introductions/introduction_form.html", {
        "form": form, "person": person, "need": need, "achievement": achievement,
        "on_behalf_of_need_owner": need is not None and need.owner_id not in member_of,
    })


@login_required
def introduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = get_object_or_404(
        restrict(Introduction.objects.select_related(
            "requester_org", "target_person", "target_person__organization", "requested_by", "broker",
            "responded_by"), request.user, VIEW), pk=pk)
    may_answer = introduction.is_pending and can(request.user, CHANGE, introduction)
    may_withdraw = introduction.is_pending and (request.user.is_superuser or Introduction.objects.filter(
        introduction_withdraw_q(request.user), pk=introduction.pk).exists())
    return render(request, "introductions/introduction_detail.html", {
        "introduction": introduction,
        "need": selectors.visible_need(introduction, request.user),
        "achievement": selectors.visible_achievement(introduction, request.user),
        "cooperations": selectors.cooperations_for(introduction, request.user),
        "may_answer": may_answer, "may_withdraw": may_withdraw,
        "accept_form": IntroductionAcceptForm(), "decline_form": IntroductionDeclineForm(),
    })


def _answerable(request: HttpRequest, pk: int) -> Introduction:
    return get_object_or_404(restrict(Introduction.objects.all(), request.user, VIEW), pk=pk)


@login_required
@require_POST
def introduction_accept(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = _answerable(request, pk)
    form = IntroductionAcceptForm(request.POST)
    if form.is_valid():
        try:
            services.introduction_accept(introduction=introduction, by=request.user,
                                         message=form.cleaned_data["message"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if selectors.cooperations_for(introduction, request.user):
                messages.success(request, _("You accepted the introduction. A cooperation record was opened."))
            else:
                messages.success(request, _("You accepted the introduction."))
    return redirect(introduction)


@login_required
@require_POST
def introduction_decline(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = _answerable(request, pk)
    form = IntroductionDeclineForm(request.POST)
    if form.is_valid():
        try:
            services.introduction_decline(introduction=introduction, by=request.user,
                                          reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("You declined the introduction; the asker sees your reason."))
            return redirect(introduction)
    introduction.refresh_from_db()
    return render(request, "introductions/introduction_detail.html", {
        "introduction": introduction,
        "need": selectors.visible_need(introduction, request.user),
        "achievement": selectors.visible_achievement(introduction, request.user),
        "cooperations": selectors.cooperations_for(introduction, request.user),
        "may_answer": introduction.is_pending and can(request.user, CHANGE, introduction), "may_withdraw": False,
        "accept_form": IntroductionAcceptForm(), "decline_form": form,
    }, status=400)


@login_required
@require_POST
def introduction_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = _answerable(request, pk)
    try:
        services.introduction_withdraw(introduction=introduction, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your introduction request was withdrawn."))
    return redirect(introduction)
