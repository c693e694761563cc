from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qiao.core.permissions import ADD, CHANGE, VIEW, can, restrict
from qiao.core.views import render_list

from . import selectors, services
from .forms import MajorFilterForm, OrganizationFilterForm, OrganizationForm, PersonFilterForm, PersonForm
from .models import Major, Organization, Person


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    form = OrganizationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.organization_list(user=request.user, **filters)
    return render_list(request, "directory/organization_list.html", qs, {
        "form": form, "can_add": can(request.user, ADD, Organization),
        "counts": selectors.organization_counts_by_kind(user=request.user),
    })


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(
        restrict(Organization.objects.select_related("parent", "region"), request.user, VIEW), pk=pk)
    context = {
        "org": org,
        "children": restrict(org.children.all(), request.user, VIEW).order_by("kind", "name"),
        "people": restrict(org.people.all(), request.user, VIEW)[:50],
        "majors": restrict(org.majors.select_related("discipline"), request.user, VIEW),
        "industries": org.industries.select_related("parent"),
        "can_change": can(request.user, CHANGE, org),
    }
    return render(request, "directory/organization_detail.html", context)


def _organization_form(request: HttpRequest, org: Organization | None) -> HttpResponse:
    form = OrganizationForm(request.POST or None, instance=org)
    form.fields["parent"].queryset = restrict(Organization.objects.all(), request.user, VIEW)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            if org is None:
                org = services.organization_create(by=request.user, **data)
            else:
                org = services.organization_update(organization=org, by=request.user, **data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Saved."))
            return redirect(org)
    return render(request, "directory/organization_form.html", {"form": form, "org": org})


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, ADD, Organization):
        raise PermissionDenied
    return _organization_form(request, None)


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(restrict(Organization.objects.all(), request.user, CHANGE), pk=pk)
    return _organization_form(request, org)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.person_list(user=request.user, **filters)
    return render_list(request, "directory/person_list.html", qs, {"form": form})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        restrict(Person.objects.select_related("organization", "organization__parent"), request.user, VIEW), pk=pk)
    return render(request, "directory/person_detail.html", {
        "person": person, "disciplines": person.disciplines.all(), "can_change": can(request.user, CHANGE, person),
    })


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(restrict(Person.objects.all(), request.user, CHANGE), pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Saved."))
            return redirect(person)
    return render(request, "directory/person_form.html", {"form": form, "person": person})


@login_required
def major_list(request: HttpRequest) -> HttpResponse:
    form = MajorFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return render_list(request, "directory/major_list.html", selectors.major_list(user=request.user, **filters), {"form": form})


@login_required
def major_detail(request: HttpRequest, pk: int) -> HttpResponse:
    major = get_object_or_404(restrict(Major.objects.select_related("college", "college__parent", "discipline"), request.user, VIEW), pk=pk)
    return render(request, "directory/major_detail.html", {"major": major, "industries": major.industries.all()})


@login_required
def taxonomies(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/taxonomies.html", {
        "industries": selectors.industry_tree(), "disciplines": selectors.discipline_tree(),
    })
