"""Pages for imports: choose a kind, download its template, upload; then follow the job (htmx polls while it runs)."""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from qiao.core.permissions import ADD, CHANGE, VIEW, can, restrict
from qiao.directory.models import Person

from . import imports
from .import_models import ImportJob, ImportKind
from .importers.templates import template_csv, template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"))
    file = forms.FileField(label=_("File"), help_text=_(".xlsx or .csv from the template; for publications also "
                                                         "OpenAlex or ORCID works .json"))
    person = forms.ModelChoiceField(label=_("Researcher (for OpenAlex / ORCID files)"), required=False,
                                    queryset=Person.objects.none())

    def __init__(self, *args, user, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = imports.importable_kinds(user)
        self.fields["person"].queryset = restrict(Person.objects.select_related("organization"), user, CHANGE)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    if not can(request.user, ADD, ImportJob):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user,
                      initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_job_create(by=request.user, kind=form.cleaned_data["kind"],
                                            file=form.cleaned_data["file"], person=form.cleaned_data["person"])
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            imports.import_job_start(job=job)
            return redirect(job)
    jobs = restrict(ImportJob.objects.all(), request.user, VIEW).filter(created_by_id=request.user.pk)[:10]
    return render(request, "catalog/imports/start.html", {
        "form": form, "kinds": imports.importable_kinds(request.user), "jobs": jobs})


@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in ImportKind.values or fmt not in ("xlsx", "csv"):
        raise Http404
    if not imports.may_import(request.user, kind):
        raise PermissionDenied
    if fmt == "xlsx":
        response = HttpResponse(template_xlsx(kind), content_type=XLSX)
    else:
        response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="qiao-{kind}-template.{fmt}"'
    return response


@login_required
def import_job_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """The error list as a CSV that opens in Excel, to work through beside the file."""
    job = get_object_or_404(restrict(ImportJob.objects.all(), request.user, VIEW), pk=pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("File"), _("Row"), _("Column"), _("Problem")])
    for error in job.errors:
        writer.writerow([error.get("file", ""), error.get("row", ""), error.get("column", ""), error.get("message", "")])
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


@login_required
def import_job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(restrict(ImportJob.objects.select_related("person"), request.user, VIEW), pk=pk)
    template = "catalog/imports/_job_status.html" if request.headers.get("HX-Request") else "catalog/imports/job.html"
    return render(request, template, {"job": job})
