from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from .models import ApiToken, Membership, Role, User


def user_for_token(raw: str, *, now: datetime) -> User | None:
    """The active user a bearer token belongs to, or None (unknown, expired, or inactive user)."""
    if not raw or not raw.startswith("qiao_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.hash(raw), user__is_active=True)
        .filter(Q(expires__isnull=True) | Q(expires__gt=now))
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user


def user_memberships(*, user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organization", "organization__parent")


def primary_role(user: Any) -> str:
    """The role a home page is built for: admin first, then the most specific membership."""
    if getattr(user, "is_superuser", False):
        return "admin"
    order = [Role.BROKER, Role.GOVERNMENT_OFFICER, Role.UNIVERSITY_STAFF, Role.RESEARCHER, Role.ENTERPRISE_MEMBER]
    roles = user.roles() if getattr(user, "is_authenticated", False) else set()
    for role in order:
        if role in roles:
            return str(role)
    return "member"
