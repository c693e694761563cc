"""Writes for accounts: users, memberships, API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from qiao.core.permissions import ADD, DELETE, can

from .models import ApiToken, Membership, User


@transaction.atomic
def user_create(*, username: str, password: str | None, email: str = "", display_name: str = "",
                is_superuser: bool = False, preferred_language: str = "zh-hans") -> User:
    user = User(
        username=username, email=email, display_name=display_name, is_superuser=is_superuser,
        is_staff=is_superuser, preferred_language=preferred_language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def membership_create(*, user: User, organization: Any, role: str, is_manager: bool = False, title: str = "",
                      by: Any | None = None) -> Membership:
    membership = Membership(user=user, organization=organization, role=role, is_manager=is_manager, title=title)
    if by is not None:
        from qiao.directory.selectors import managed_organization_ids

        if not (can(by, ADD, Membership) and (by.is_superuser or organization.pk in managed_organization_ids(by))):
            raise PermissionDenied
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def api_token_create(*, user: User, name: str, expires: datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns it and the raw secret, which is shown once and never stored."""
    raw = ApiToken.generate()
    token = ApiToken(user=user, name=name, digest=ApiToken.hash(raw), prefix=raw[5:13], expires=expires)
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Any) -> None:
    if not can(by, DELETE, token):
        raise PermissionDenied
    token.delete()


@transaction.atomic
def profile_update(*, user: User, display_name: str, email: str, phone: str, preferred_language: str) -> User:
    user.display_name = display_name
    user.email = email
    user.phone = phone
    user.preferred_language = preferred_language
    user.full_clean()
    user.save()
    return user
