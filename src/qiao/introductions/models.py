"""引荐: an enterprise (or a broker on its behalf) asks to be introduced to an expert or an achievement's owner."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qiao.core.models import Timestamped
from qiao.core.permissions import RestrictedQuerySet
from qiao.directory.models import Organization, Person


class IntroductionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Introduction(Timestamped):
    """A request for an introduction. Accepting it opens a cooperation (which points back here)."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requester_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="introductions_requested",
                                      verbose_name=_("enterprise"))
    broker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("broker"),
                               help_text=_("The broker who asked on the enterprise's behalf, if any."))
    target_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="introductions",
                                      verbose_name=_("expert"))
    achievement = models.ForeignKey("catalog.Achievement", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="introductions", verbose_name=_("achievement"))
    need = models.ForeignKey("catalog.Need", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="introductions", verbose_name=_("need"))
    message = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=16, choices=IntroductionStatus.choices,
                              default=IntroductionStatus.PENDING, db_index=True)
    response_reason = models.TextField(_("answer"), blank=True,
                                       help_text=_("Why it was declined (required), or a note with the acceptance."))
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("answered by"))
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["requester_org", "target_person", "need"],
                                    condition=models.Q(status="pending"), name="introduction_one_pending"),
        ]

    def __str__(self) -> str:
        return str(_("Introduction to %(person)s") % {"person": self.target_person})

    def get_absolute_url(self) -> str:
        return reverse("introductions:detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == IntroductionStatus.PENDING
