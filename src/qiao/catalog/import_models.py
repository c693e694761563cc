"""An import of a spreadsheet or a works file, and its progress (see ``qiao.catalog.imports``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiao.core.models import UnicodeJSONEncoder
from qiao.core.permissions import ADD, VIEW, RestrictedQuerySet, register


class ImportKind(models.TextChoices):
    ENTERPRISES = "enterprises", _("Enterprises")
    RESEARCHERS = "researchers", _("Researchers")
    PUBLICATIONS = "publications", _("Publications")
    ACHIEVEMENTS = "achievements", _("Achievements")
    NEEDS = "needs", _("Needs")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    VALIDATING = "validating", _("Validating")
    FAILED = "failed", _("Failed")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Done")


class ImportJob(models.Model):
    """One uploaded file: validated row by row, then written all at once or not at all."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs",
                                   verbose_name=_("created by"))
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    person = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("researcher"), help_text=_("For OpenAlex and ORCID works files: whose works they are."))
    language = models.CharField(_("language"), max_length=10, default="zh-hans",
                                help_text=_("Errors are written in the language of the person who uploaded."))
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED,
                              db_index=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    summary = models.JSONField(_("summary"), default=dict, blank=True, encoder=UnicodeJSONEncoder)
    created = models.DateTimeField(_("created"), default=timezone.now)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:job_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.IMPORTING)

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


@register(ImportJob)
def import_job_policy(user: Any, action: str) -> Q | bool:
    """People see their own imports (platform admins all); who may import what is ``imports.may_import``."""
    if action == VIEW:
        return Q(created_by_id=user.pk)
    if action == ADD:
        from .imports import importable_kinds

        return bool(importable_kinds(user))
    return False
