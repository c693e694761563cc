"""Notifications: what happened that a user should know about, shown in the app and sent by email."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiao.core.permissions import RestrictedQuerySet

from .kinds import kind_label


class Notification(models.Model):
    """One message to one user. Title and body are stored already rendered in the recipient's language."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    obj = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("by"))
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    shown = models.BooleanField(_("shown in the app"), default=True,
                                help_text=_("False when the user wants this kind by email only."))
    email_pending = models.BooleanField(_("email pending"), default=False,
                                        help_text=_("To be emailed, now or in the next daily digest."))
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


class NotificationPreference(models.Model):
    """Per user and kind: show it in the app? send it by email? (Both default to yes when no row exists.)"""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences", verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=64)
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by email"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


class Digest(models.TextChoices):
    NONE = "none", _("Send each email at once")
    DAILY = "daily", _("One daily digest")


class NotificationSettings(models.Model):
    """A user's email rhythm: each notification at once, or one digest a day."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_settings", verbose_name=_("user"))
    digest = models.CharField(_("email digest"), max_length=8, choices=Digest.choices, default=Digest.NONE)
    last_digest_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user} · {self.digest}"
