"""Notifications are private: each user sees and marks only their own, and edits only their own preferences."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from qiao.core.permissions import CHANGE, VIEW, register

from .models import Notification, NotificationPreference, NotificationSettings


@register(Notification)
def notification_policy(user: Any, action: str) -> Q | bool:
    if action in (VIEW, CHANGE):
        return Q(recipient_id=user.pk)
    return False  # created by notify(), never by hand


@register(NotificationPreference)
@register(NotificationSettings)
def notification_preference_policy(user: Any, action: str) -> Q | bool:
    return Q(user_id=user.pk)
