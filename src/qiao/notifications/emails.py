"""Composing notification emails, always in the recipient's preferred language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Notification
from .services import recipient_language


def absolute(url: str) -> str:
    """Links in emails need the site's address (``SITE_URL`` in settings, e.g. ``https://qiao.example.cn``)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return getattr(settings, "SITE_URL", "").rstrip("/") + url


def link_for(notification: Notification) -> str:
    """The email link opens the notification (marking it read) and goes on to its target."""
    return absolute(reverse("notifications:open", args=[notification.pk])) if notification.url else ""


def send_notification(notification: Notification) -> None:
    user = notification.recipient
    with translation.override(recipient_language(user)):
        subject = _("[Qiao] %(title)s") % {"title": notification.title}
        body = render_to_string("notifications/email/notification.txt", {
            "user": user, "notification": notification, "link": link_for(notification),
            "settings_link": absolute(reverse("notifications:settings")),
        })
    send_mail(subject, body, None, [user.email])


def send_digest(user: Any, notifications: list[Notification]) -> None:
    with translation.override(recipient_language(user)):
        subject = _("[Qiao] Your daily digest: %(count)s notifications") % {"count": len(notifications)}
        body = render_to_string("notifications/email/digest.txt", {
            "user": user, "items": [(n, link_for(n)) for n in notifications],
            "list_link": absolute(reverse("notifications:list")),
            "settings_link": absolute(reverse("notifications:settings")),
        })
    send_mail(subject, body, None, [user.email])
