from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.core.permissions import VIEW, restrict

from . import services
from .forms import ApiTokenForm, ProfileForm
from .models import ApiToken
from .selectors import user_memberships


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=user, **form.cleaned_data)  # type: ignore[arg-type]
        translation.activate(user.preferred_language)  # type: ignore[union-attr]
        response = redirect("accounts:profile")
        response.set_cookie("django_language", user.preferred_language)  # type: ignore[union-attr]
        messages.success(request, _("Your profile was saved."))
        return response
    context = {
        "form": form,
        "memberships": user_memberships(user=user),
        "tokens": restrict(ApiToken.objects.all(), user, VIEW),
        "token_form": ApiTokenForm(),
        "new_token": request.session.pop("new_token", None),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        _token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        request.session["new_token"] = raw
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    else:
        messages.error(request, _("Give the token a name."))
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(restrict(ApiToken.objects.all(), request.user, "delete"), pk=pk)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")
