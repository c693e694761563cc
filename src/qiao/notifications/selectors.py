"""Reads for notifications."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from qiao.core.permissions import VIEW, restrict

from .kinds import KINDS
from .models import Digest, Notification, NotificationPreference, NotificationSettings


def notification_list(*, user: Any, unread: bool = False) -> QuerySet[Notification]:
    """The user's own notifications (even platform admins see only theirs here)."""
    qs = restrict(Notification.objects.filter(recipient_id=user.pk, shown=True), user, VIEW).select_related("actor")
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created", "-pk")


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, shown=True, read_at__isnull=True).count()


def notification_settings(*, user: Any) -> dict[str, Any]:
    """The digest rhythm and, for every registered kind, ``{"label", "in_app", "email"}`` (defaults: on)."""
    prefs = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    digest = NotificationSettings.objects.filter(user=user).values_list("digest", flat=True).first() or Digest.NONE
    kinds = [
        {"kind": kind, "label": str(label),
         "in_app": prefs[kind].in_app if kind in prefs else True,
         "email": prefs[kind].email if kind in prefs else True}
        for kind, label in sorted(KINDS.items())
    ]
    return {"digest": digest, "kinds": kinds}


def pending_digests() -> Iterator[tuple[Any, list[Notification]]]:
    """Each daily-digest user with an email address and the notifications waiting to be emailed."""
    users = NotificationSettings.objects.filter(digest=Digest.DAILY).select_related("user")
    for row in users:
        user = row.user
        if not user.is_active or not user.email:
            continue
        pending = list(Notification.objects.filter(recipient=user, email_pending=True, emailed_at__isnull=True)
                       .order_by("created", "pk"))
        if pending:
            yield user, pending
