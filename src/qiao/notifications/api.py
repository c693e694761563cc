from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from qiao.core.permissions import CHANGE, restrict

from . import selectors, services
from .models import Notification
from .schemas import (
    MarkedOut,
    NotificationOut,
    NotificationSettingsIn,
    NotificationSettingsOut,
    UnreadCountOut,
)

router = Router(tags=["notifications"])


@router.get("/", response=list[NotificationOut])
@paginate(PageNumberPagination, page_size=50)
def notification_list(request: HttpRequest, unread: bool = False):  # type: ignore[no-untyped-def]
    return selectors.notification_list(user=request.user, unread=unread)


@router.get("/unread-count", response=UnreadCountOut)
def unread_count(request: HttpRequest):  # type: ignore[no-untyped-def]
    return {"unread": selectors.unread_count(user=request.user)}


@router.post("/{notification_id}/read", response=NotificationOut)
def notification_read(request: HttpRequest, notification_id: int):  # type: ignore[no-untyped-def]
    notification = get_object_or_404(
        restrict(Notification.objects.filter(recipient_id=request.user.pk), request.user, CHANGE), pk=notification_id)
    return services.notification_mark_read(notification=notification, by=request.user)


@router.post("/read-all", response=MarkedOut)
def notification_read_all(request: HttpRequest):  # type: ignore[no-untyped-def]
    return {"marked": services.notification_mark_all_read(by=request.user)}


@router.get("/settings", response=NotificationSettingsOut)
def settings_detail(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.notification_settings(user=request.user)


@router.put("/settings", response=NotificationSettingsOut)
def settings_update(request: HttpRequest, payload: NotificationSettingsIn):  # type: ignore[no-untyped-def]
    services.notification_settings_update(
        user=request.user, digest=payload.digest,
        preferences={k.kind: {"in_app": k.in_app, "email": k.email} for k in payload.kinds})
    return selectors.notification_settings(user=request.user)
