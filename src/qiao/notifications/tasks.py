"""Background jobs: one email per notification, and the daily digest."""

from __future__ import annotations

from django_tasks import task

from . import selectors


@task()
def send_notification_email(*, notification_id: int) -> bool:
    """Email one notification (skipped if already sent, or no longer wanted)."""
    from django.utils import timezone

    from .emails import send_notification
    from .models import Notification

    notification = Notification.objects.select_related("recipient").filter(
        pk=notification_id, email_pending=True, emailed_at__isnull=True).first()
    if notification is None or not notification.recipient.email:
        return False
    send_notification(notification)
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now(), email_pending=False)
    return True


@task()
def send_daily_digest() -> int:
    """Send every digest user one email with what is pending; returns how many emails were sent."""
    return digest_send_all()


def digest_send_all() -> int:
    from django.db import transaction
    from django.utils import timezone

    from .emails import send_digest
    from .models import Notification, NotificationSettings

    sent = 0
    for user, pending in selectors.pending_digests():
        with transaction.atomic():
            send_digest(user, pending)
            now = timezone.now()
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now, email_pending=False)
            NotificationSettings.objects.filter(user=user).update(last_digest_at=now)
        sent += 1
    return sent
