"""Writes for notifications. ``notify`` is what every other app calls.

Confidentiality: ``notify`` must never be called with content a recipient may not see. The caller decides who
is told and what the text says; pass only recipients who may view ``obj`` and everything the title and body
mention (e.g. a confidential need's title). As a safety net, when ``obj`` is given and its model has a
permission policy, recipients who may not view it are dropped (and logged) rather than told.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone, translation

from qiao.core.permissions import VIEW, can, policy_for

from .kinds import KINDS, register_kind  # noqa: F401  (re-exported for callers)
from .models import Digest, Notification, NotificationPreference, NotificationSettings

logger = logging.getLogger(__name__)

Text = Any  # str, a lazy translation (gettext_lazy / format_lazy), or a callable(recipient) -> str


def recipient_language(user: Any) -> str:
    return getattr(user, "preferred_language", "") or "zh-hans"


def render_text(value: Text, recipient: Any) -> str:
    """Render ``value`` for ``recipient``; call it inside ``translation.override(recipient's language)``."""
    if value is None:
        return ""
    if callable(value) and not isinstance(value, str):
        try:
            takes_arg = bool(inspect.signature(value).parameters)
        except (TypeError, ValueError):
            takes_arg = True
        return str(value(recipient) if takes_arg else value())
    return str(value)


def lazy_message(template: Any, **params: Any) -> Callable[[Any], str]:
    """A message rendered later, in the recipient's language: ``lazy_message(_("%(name)s asks…"), name=person)``.

    ``template`` is a ``gettext_lazy`` string with ``%(name)s`` placeholders; each param may be a string, a lazy
    string, a model (rendered with ``str()`` in the recipient's language) or a callable(recipient).
    """

    def render(recipient: Any) -> str:
        values = {key: render_text(value, recipient) if callable(value) else str(value)
                  for key, value in params.items()}
        return str(template) % values

    return render


def preferences_for(user: Any) -> tuple[dict[str, NotificationPreference], str]:
    prefs = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    digest = NotificationSettings.objects.filter(user=user).values_list("digest", flat=True).first() or Digest.NONE
    return prefs, digest


@transaction.atomic
def notify(*, recipients: Iterable[Any], kind: str, title: Text, body: Text = "", url: str = "",
           obj: models.Model | None = None, actor: Any = None) -> list[Notification]:
    """Tell each recipient (once, never the actor themself) that ``kind`` happened.

    Stores an in-app notification rendered in the recipient's preferred language, and emails it after the
    transaction commits (a background task) unless the recipient turned email off for this kind or chose the
    daily digest. See the module docstring on confidentiality.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}; register it with register_kind()")
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    check_view = obj is not None and policy_for(type(obj)) is not None
    seen: set[int] = set()
    created: list[Notification] = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if actor is not None and user.pk == actor.pk:
            continue
        if check_view and not can(user, VIEW, obj):  # type: ignore[arg-type]
            logger.warning("notify(%s): dropped recipient %s who may not view %r", kind, user.pk, obj)
            continue
        prefs, digest = preferences_for(user)
        pref = prefs.get(kind)
        in_app = pref.in_app if pref else True
        wants_email = (pref.email if pref else True) and bool(user.email)
        if not in_app and not wants_email:
            continue
        with translation.override(recipient_language(user)):
            rendered_title = render_text(title, user)[:300]
            rendered_body = render_text(body, user)
        notification = Notification.objects.create(
            recipient=user, kind=kind, title=rendered_title, body=rendered_body, url=url,
            content_type=content_type, object_id=obj.pk if obj is not None else None, actor=actor,
            shown=in_app, email_pending=wants_email, read_at=None if in_app else timezone.now(),
        )
        created.append(notification)
        if wants_email and digest == Digest.NONE:
            transaction.on_commit(partial(_enqueue_email, notification.pk))
    return created


def _enqueue_email(notification_id: int) -> None:
    from .tasks import send_notification_email

    send_notification_email.enqueue(notification_id=notification_id)


def notification_mark_read(*, notification: Notification, by: Any) -> Notification:
    if notification.recipient_id != by.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, by: Any) -> int:
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notification_settings_update(*, user: Any, digest: str | None = None,
                                 preferences: dict[str, dict[str, bool]] | None = None) -> NotificationSettings:
    """Set the digest rhythm and, per kind, ``{"in_app": bool, "email": bool}`` (missing keys keep their value)."""
    settings_row, _created = NotificationSettings.objects.get_or_create(user=user)
    if digest is not None:
        settings_row.digest = digest
        settings_row.full_clean()
        settings_row.save()
    for kind, values in (preferences or {}).items():
        if kind not in KINDS:
            raise ValueError(f"unknown notification kind {kind!r}")
        pref, _created = NotificationPreference.objects.get_or_create(user=user, kind=kind)
        for field in ("in_app", "email"):
            if field in values:
                setattr(pref, field, bool(values[field]))
        pref.save()
    return settings_row
