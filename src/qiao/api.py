"""The API: composed once, authenticated by default (session for the browser, bearer token for scripts)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth


class TokenAuth(HttpBearer):
    """``Authorization: Bearer qiao_…``: a token created on the profile page or with ``qiao token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from qiao.accounts.selectors import user_for_token

        user = user_for_token(token, now=timezone.now())
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Qiao API",
    version="1",
    description="Qiao (桥): university–enterprise cooperation. Every endpoint applies the same permissions as the pages.",
    auth=[django_auth, TokenAuth()],
    urls_namespace="api",
)

api.add_router("/accounts/", "qiao.accounts.api.router")
api.add_router("/directory/", "qiao.directory.api.router")
api.add_router("/catalog/", "qiao.catalog.api.router")
api.add_router("/matching/", "qiao.matching.api.router")
api.add_router("/introductions/", "qiao.introductions.api.router")
api.add_router("/notifications/", "qiao.notifications.api.router")
api.add_router("/cooperation/", "qiao.cooperation.api.router")


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: Any):  # type: ignore[no-untyped-def]
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "invalid input", "errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: Any):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": "permission denied"}, status=403)


@api.exception_handler(ValueError)
def value_error(request: HttpRequest, exc: Any):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": str(exc)}, status=400)
