"""Pages for needs, achievements, capabilities and researchers' publications. Thin: every queryset goes through
``restrict`` (a need someone may not see is a 404, so its existence does not leak) and every write through a
service."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.accounts.models import Role, User
from qiao.core.permissions import ADD, CHANGE, DELETE, VIEW, can, is_platform_admin, restrict
from qiao.core.views import render_list
from qiao.directory import services as directory_services
from qiao.directory.models import Organization, OrganizationKind, Person
from qiao.directory.selectors import managed_organization_ids, member_organization_ids

from . import selectors, services
from .forms import (
    AchievementFilterForm,
    AchievementForm,
    CapabilityFilterForm,
    CapabilityForm,
    ExpertiseForm,
    NeedAttachmentForm,
    NeedFilterForm,
    NeedForm,
    PublicationForm,
)
from .models import (
    NEED_TRANSITIONS,
    Achievement,
    Capability,
    CooperationMode,
    Need,
    NeedAttachment,
    NeedEvent,
    NeedStatus,
    Publication,
)
from .permissions import may_manage_publications

#: The lifecycle buttons on a need's page: target status → (button label, style), in display order.
TRANSITION_BUTTONS = {
    NeedStatus.PUBLISHED: "btn",
    NeedStatus.IN_TALKS: "btn btn-secondary",
    NeedStatus.IN_COOPERATION: "btn btn-secondary",
    NeedStatus.CLOSED: "btn btn-secondary",
    NeedStatus.WITHDRAWN: "btn btn-danger",
    NeedStatus.DRAFT: "btn btn-ghost",
}


def transition_label(current: str, to: str) -> str:
    labels: dict[str, str] = {
        NeedStatus.IN_TALKS: _("Mark in talks"),
        NeedStatus.IN_COOPERATION: _("Mark in cooperation"),
        NeedStatus.CLOSED: _("Close"),
        NeedStatus.WITHDRAWN: _("Withdraw"),
        NeedStatus.DRAFT: _("Back to draft"),
    }
    if to == NeedStatus.PUBLISHED:
        return _("Publish") if current == NeedStatus.DRAFT else _("Back to published")
    return labels[to]


def mode_labels(values: list[str]) -> list[str]:
    return [str(CooperationMode(v).label) for v in values or [] if v in CooperationMode.values]


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


# --------------------------------------------------------------------------------------------- needs


def need_list(request: HttpRequest) -> HttpResponse:
    """Open to visitors too: they see public needs only (the policy decides)."""
    form = NeedFilterForm(request.GET or None)
    if not request.user.is_authenticated:
        del form.fields["mine"]  # visitors belong to no organization
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.need_list(user=request.user, **filters).prefetch_related("industries")
    return render_list(request, "catalog/need_list.html", qs, {
        "form": form, "can_add": can(request.user, ADD, Need),
    })


def need_export(request: HttpRequest) -> HttpResponse:
    """The needs list as Excel, with the list's filters; only rows the user may see (restrict via the selector)."""
    from qiao.core.exports import xlsx, xlsx_response

    form = NeedFilterForm(request.GET or None)
    if not request.user.is_authenticated:
        del form.fields["mine"]
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.need_list(user=request.user, **filters).prefetch_related("industries")
    columns = [
        (_("ID"), lambda n: n.pk), (_("Title"), lambda n: n.title), (_("Enterprise"), lambda n: n.owner.display_name),
        (_("Kind"), lambda n: n.get_kind_display()), (_("Status"), lambda n: n.get_status_display()),
        (_("Confidentiality"), lambda n: n.get_confidentiality_display()),
        (_("Industries"), lambda n: ", ".join(c.code for c in n.industries.all())),
        (_("Deadline"), lambda n: n.deadline), (_("Created"), lambda n: n.created),
    ]
    return xlsx_response(xlsx(str(_("Needs")), columns, rows), "needs.xlsx")


def _poster_enterprises(user: Any) -> QuerySet[Organization]:
    """Enterprises a user may post needs for: their own; brokers and admins any enterprise they can see."""
    enterprises = restrict(Organization.objects.filter(kind=OrganizationKind.ENTERPRISE), user, VIEW)
    if is_platform_admin(user) or user.has_role(Role.BROKER):
        return enterprises.order_by("name")
    return enterprises.filter(pk__in=member_organization_ids(user)).order_by("name")


def _need_data(form: NeedForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("owner", None)
    return data


def _need_form(request: HttpRequest, need: Need | None) -> HttpResponse:
    owners = _poster_enterprises(request.user)
    form = NeedForm(request.POST or None, instance=need, user=request.user, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            if need is None:
                need = services.need_create(by=request.user, owner=form.cleaned_data["owner"],
                                            publish="publish" in request.POST, **_need_data(form))
            else:
                need = services.need_update(need=need, by=request.user, **_need_data(form))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(need)
    return render(request, "catalog/need_form.html", {"form": form, "need": need})


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, ADD, Need) or not _poster_enterprises(request.user).exists():
        raise PermissionDenied
    return _need_form(request, None)


@login_required
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(restrict(Need.objects.all(), request.user, VIEW), pk=pk)
    if not can(request.user, CHANGE, need):
        raise PermissionDenied
    return _need_form(request, need)


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(restrict(Need.objects.select_related("owner", "owner__parent"), request.user, VIEW),
                             pk=pk)
    can_change = can(request.user, CHANGE, need)
    transitions = []
    if can_change:
        transitions = [(to, transition_label(need.status, to), style) for to, style in TRANSITION_BUTTONS.items()
                       if to in NEED_TRANSITIONS.get(need.status, set())]
    user = request.user
    show_matches = request.user.is_authenticated and (
        can_change or is_platform_admin(user) or cast(User, user).has_role(Role.BROKER))
    return render(request, "catalog/need_detail.html", {
        "need": need,
        "industries": need.industries.all(),
        "disciplines": need.disciplines.all(),
        "named": need.named_organizations.all() if can_change else [],
        "events": NeedEvent.objects.filter(need=need).select_related("by"),
        "attachments": restrict(NeedAttachment.objects.filter(need=need), user, VIEW) if user.is_authenticated
        else [],
        "can_change": can_change,
        "can_delete": can(user, DELETE, need),
        "transitions": transitions,
        "attachment_form": NeedAttachmentForm() if can_change else None,
        "show_matches": show_matches,
        "mode_labels": mode_labels(need.cooperation_modes),
    })


@login_required
@require_POST
def need_transition(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(restrict(Need.objects.all(), request.user, VIEW), pk=pk)
    to = request.POST.get("to", "")
    if to not in NeedStatus.values:
        messages.error(request, _("Unknown status."))
        return redirect(need)
    try:
        services.need_transition(need=need, to=to, by=request.user, note=request.POST.get("note", "")[:500])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The need is now: %(status)s.") % {"status": need.get_status_display()})
    return redirect(need)


@login_required
@require_POST
def need_delete(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(restrict(Need.objects.all(), request.user, VIEW), pk=pk)
    services.need_delete(need=need, by=request.user)
    messages.success(request, _("The draft was deleted."))
    return redirect("catalog:need_list")


@login_required
@require_POST
def need_attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(restrict(Need.objects.all(), request.user, VIEW), pk=pk)
    form = NeedAttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect(need)
    try:
        services.need_attachment_add(need=need, by=request.user, file=form.cleaned_data["file"],
                                     name=form.cleaned_data["name"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The file was attached."))
    return redirect(need)


@login_required
def need_attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Stream an attachment to someone allowed to see its need; files never have a public URL."""
    attachment = get_object_or_404(restrict(NeedAttachment.objects.all(), request.user, VIEW), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    file_name = attachment.file.name
    assert file_name is not None  # the file was just opened
    filename = attachment.name
    suffix = PurePath(file_name).suffix
    if suffix and not filename.lower().endswith(suffix.lower()):
        filename += suffix
    content_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------------------------- achievements


@login_required
def achievement_list(request: HttpRequest) -> HttpResponse:
    form = AchievementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.achievement_list(user=request.user, **filters).select_related("organization__parent")
    return render_list(request, "catalog/achievement_list.html", qs, {
        "form": form, "can_add": can(request.user, ADD, Achievement),
    })


@login_required
def achievement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = get_object_or_404(restrict(
        Achievement.objects.select_related("owner", "organization", "organization__parent"), request.user, VIEW),
        pk=pk)
    return render(request, "catalog/achievement_detail.html", {
        "achievement": achievement,
        "co_owners": achievement.co_owners.all(),
        "industries": achievement.industries.all(),
        "disciplines": achievement.disciplines.all(),
        "can_change": can(request.user, CHANGE, achievement),
        "mode_labels": mode_labels(achievement.transfer_modes),
    })


def _achievement_owners(user: Any) -> QuerySet[Person]:
    """Whom a user may record an achievement for: themselves, and the people of the organizations they manage."""
    people = Person.objects.all() if is_platform_admin(user) else Person.objects.filter(
        organization_id__in=managed_organization_ids(user)) | Person.objects.filter(user_id=user.pk)
    return people.select_related("organization").order_by("name")


def _achievement_form(request: HttpRequest, achievement: Achievement | None) -> HttpResponse:
    form = AchievementForm(request.POST or None, instance=achievement, user=request.user,
                           owners=_achievement_owners(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if achievement is None:
                data["organization"] = data["owner"].organization
                achievement = services.achievement_create(by=request.user, **data)
            else:
                achievement = services.achievement_update(achievement=achievement, by=request.user, **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(achievement)
    return render(request, "catalog/achievement_form.html", {"form": form, "achievement": achievement})


@login_required
def achievement_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, ADD, Achievement) or not _achievement_owners(request.user).exists():
        raise PermissionDenied
    return _achievement_form(request, None)


@login_required
def achievement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = get_object_or_404(restrict(Achievement.objects.all(), request.user, CHANGE), pk=pk)
    return _achievement_form(request, achievement)


# --------------------------------------------------------------------------------------------- capabilities


@login_required
def capability_list(request: HttpRequest) -> HttpResponse:
    form = CapabilityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.capability_list(user=request.user, **filters).select_related("organization__parent")
    return render_list(request, "catalog/capability_list.html", qs, {
        "form": form, "can_add": _capability_organizations(request.user).exists(),
    })


@login_required
def capability_detail(request: HttpRequest, pk: int) -> HttpResponse:
    capability = get_object_or_404(restrict(
        Capability.objects.select_related("organization", "organization__parent", "contact"), request.user, VIEW),
        pk=pk)
    return render(request, "catalog/capability_detail.html", {
        "capability": capability, "industries": capability.industries.all(),
        "can_change": can(request.user, CHANGE, capability),
    })


def _capability_organizations(user: Any) -> QuerySet[Organization]:
    if not can(user, ADD, Capability):
        return Organization.objects.none()
    orgs = Organization.objects.exclude(kind=OrganizationKind.ENTERPRISE)
    if not is_platform_admin(user):
        orgs = orgs.filter(pk__in=managed_organization_ids(user))
    return orgs.order_by("name")


def _capability_form(request: HttpRequest, capability: Capability | None) -> HttpResponse:
    orgs = _capability_organizations(request.user)
    if capability is not None:
        orgs = orgs | Organization.objects.filter(pk=capability.organization_id)
    contacts = restrict(Person.objects.filter(organization__in=orgs), request.user, VIEW).order_by("name")
    form = CapabilityForm(request.POST or None, instance=capability, organizations=orgs, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        try:
            if capability is None:
                capability = services.capability_create(by=request.user, **form.cleaned_data)
            else:
                capability = services.capability_update(capability=capability, by=request.user,
                                                        **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(capability)
    return render(request, "catalog/capability_form.html", {"form": form, "capability": capability})


@login_required
def capability_create(request: HttpRequest) -> HttpResponse:
    if not _capability_organizations(request.user).exists():
        raise PermissionDenied
    return _capability_form(request, None)


@login_required
def capability_edit(request: HttpRequest, pk: int) -> HttpResponse:
    capability = get_object_or_404(restrict(Capability.objects.all(), request.user, CHANGE), pk=pk)
    return _capability_form(request, capability)


# --------------------------------------------------------------------------------------------- publications


@login_required
def my_publications(request: HttpRequest) -> HttpResponse:
    """A researcher's own profile controls: what counts as their expertise when enterprises search."""
    person = Person.objects.filter(user=cast(User, request.user)).first()
    if person is None:
        return render(request, "catalog/no_profile.html", status=404)
    return person_publications(request, person.pk)


@login_required
def person_publications(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(restrict(Person.objects.select_related("organization"), request.user, VIEW), pk=pk)
    can_change = can(request.user, CHANGE, person)
    expertise_form = ExpertiseForm(
        request.POST if request.method == "POST" else None,
        initial={"expertise_keywords": ", ".join(person.expertise_keywords or [])})
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if expertise_form.is_valid():
            directory_services.person_update(person=person, by=request.user,
                                             expertise_keywords=expertise_form.cleaned_data["expertise_keywords"])
            messages.success(request, _("Your expertise keywords were saved."))
            return redirect(request.path)
    publications = selectors.publications_of(person=person, user=request.user)
    may_edit_publications = may_manage_publications(request.user, person)
    counts = {
        "total": len(publications),
        "pinned": sum(1 for p in publications if p.pinned),
        "hidden": sum(1 for p in publications if p.hidden_from_matching),
    }
    return render(request, "catalog/person_publications.html", {
        "person": person, "publications": publications, "counts": counts,
        "can_change": may_edit_publications, "can_change_person": can_change, "expertise_form": expertise_form,
        "is_self": person.user_id == request.user.pk,
    })


def _publication_for_change(request: HttpRequest, pk: int) -> Publication:
    return get_object_or_404(restrict(Publication.objects.select_related("person"), request.user, CHANGE), pk=pk)


def _back_to_publications(request: HttpRequest, person: Person) -> HttpResponse:
    if person.user_id == request.user.pk:
        return redirect("catalog:my_publications")
    return redirect("catalog:person_publications", pk=person.pk)


@login_required
def publication_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(restrict(Person.objects.all(), request.user, VIEW), pk=pk)
    if not may_manage_publications(request.user, person):
        raise PermissionDenied
    form = PublicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_create(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The publication was added."))
            return _back_to_publications(request, person)
    return render(request, "catalog/publication_form.html", {"form": form, "person": person, "publication": None})


@login_required
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication_for_change(request, pk)
    form = PublicationForm(request.POST or None, instance=publication)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_update(publication=publication, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return _back_to_publications(request, publication.person)
    return render(request, "catalog/publication_form.html", {
        "form": form, "person": publication.person, "publication": publication})


TOGGLES = {"pinned", "hidden_from_matching"}


@login_required
@require_POST
def publication_toggle(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """Pin / unpin or hide / show one publication. htmx swaps the row; without JavaScript the page reloads."""
    if field not in TOGGLES:
        raise Http404
    publication = _publication_for_change(request, pk)
    value = request.POST.get("value")
    new = (value == "1") if value in ("0", "1") else not getattr(publication, field)
    services.publication_update(publication=publication, by=request.user, **{field: new})
    if _is_htmx(request):
        return render(request, "catalog/_publication_row.html", {"pub": publication, "can_change": True})
    messages.success(request, _("Saved."))
    return _back_to_publications(request, publication.person)


@login_required
@require_POST
def publication_delete(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication_for_change(request, pk)
    person = publication.person
    services.publication_delete(publication=publication, by=request.user)
    if _is_htmx(request):
        return HttpResponse("")
    messages.success(request, _("The publication was removed from your profile."))
    return _back_to_publications(request, person)

