"""Users, their memberships in organizations (with a role) and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiao.core.permissions import RestrictedQuerySet


class Role(models.TextChoices):
    ENTERPRISE_MEMBER = "enterprise_member", _("Enterprise member")
    RESEARCHER = "researcher", _("University researcher")
    UNIVERSITY_STAFF = "university_staff", _("University staff")
    BROKER = "broker", _("Innovation-centre broker")
    GOVERNMENT_OFFICER = "government_officer", _("Government officer")


class User(AbstractUser):
    """A person who logs in. Platform admins are superusers; every other power comes from memberships."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=[("zh-hans", "简体中文"), ("en", "English")], default="zh-hans"
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)


    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser

    def roles(self) -> set[str]:
        cache = getattr(self, "_roles_cache", None)
        if cache is None:
            cache = set(self.memberships.values_list("role", flat=True))
            self._roles_cache = cache
        return cache

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))


class Membership(models.Model):
    """A user's place in an organization, with the role that decides what they may do there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_manager = models.BooleanField(
        _("manages the organization"), default=False, help_text=_("May edit the organization and its members.")
    )
    title = models.CharField(_("job title"), max_length=100, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role"),
        ]
        ordering = ["organization_id", "user_id"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"


class ApiToken(models.Model):
    """A bearer token for scripts. Only a SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "qiao_" + secrets.token_urlsafe(32)
