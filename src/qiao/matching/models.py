"""Models of the matching domain. The index itself lives on disk (see ``index.py``), not in the database."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiao.core.permissions import RestrictedQuerySet
from qiao.directory.models import Organization, Person


class ConflictOfInterest(models.Model):
    """利益冲突: a person who must never be suggested for an organization's needs (or its sub-organizations')."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conflicts_of_interest",
                               verbose_name=_("person"))
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="conflicts_of_interest",
                                     verbose_name=_("organization"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("declared by"))
    created = models.DateTimeField(_("created"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["person", "organization"], name="conflict_unique")]

    def __str__(self) -> str:
        return f"{self.person} ↔ {self.organization}"
