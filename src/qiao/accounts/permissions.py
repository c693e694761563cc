"""Who may see and change accounts: yourself, and the managers of your organizations."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from qiao.core.permissions import ADD, VIEW, register
from qiao.directory.selectors import managed_organization_ids

from .models import ApiToken, Membership, User


@register(User)
def user_policy(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        return Q(pk=user.pk) | Q(memberships__organization_id__in=managed_organization_ids(user))
    if action == "change":
        return Q(pk=user.pk)
    return False


@register(Membership)
def membership_policy(user: Any, action: str) -> Q | bool:
    managed = managed_organization_ids(user)
    if action == VIEW:
        return Q(user_id=user.pk) | Q(organization_id__in=managed)
    if action == ADD:
        return bool(managed)
    return Q(organization_id__in=managed) & ~Q(user_id=user.pk)


@register(ApiToken)
def api_token_policy(user: Any, action: str) -> Q | bool:
    if action == ADD:
        return True
    return Q(user_id=user.pk)
