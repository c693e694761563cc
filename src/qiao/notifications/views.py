from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.core.permissions import CHANGE, restrict
from qiao.core.views import render_list

from . import selectors, services
from .forms import NotificationSettingsForm
from .models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread = request.GET.get("unread") == "1"
    qs = selectors.notification_list(user=request.user, unread=unread)
    return render_list(request, "notifications/notification_list.html", qs, {
        "unread": unread, "unread_count": selectors.unread_count(user=request.user)})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(
        restrict(Notification.objects.filter(recipient_id=request.user.pk), request.user, CHANGE), pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "notifications/_notification.html", {"n": notification})
    follow = request.POST.get("next", "")
    if follow and url_has_allowed_host_and_scheme(follow, allowed_hosts={request.get_host()}):
        return redirect(follow)
    return redirect("notifications:list")


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way (the links in the list and in emails)."""
    notification = get_object_or_404(
        restrict(Notification.objects.filter(recipient_id=request.user.pk), request.user, CHANGE), pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(by=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notifications:list")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    current = selectors.notification_settings(user=request.user)
    form = NotificationSettingsForm(request.POST or None, kinds=current["kinds"],
                                    initial={"digest": current["digest"]})
    if request.method == "POST" and form.is_valid():
        services.notification_settings_update(user=request.user, digest=form.cleaned_data["digest"],
                                              preferences=form.preferences())
        messages.success(request, _("Saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
