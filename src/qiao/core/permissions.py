"""One permission mechanism for the whole platform (modelled on NetBox's RestrictedQuerySet).

Every app declares, in its own ``permissions.py``, a *policy* per model: a function
``policy(user, action) -> Q | bool``. ``True`` means every row, ``False`` none, a ``Q`` the rows the
user may act on. Pages, API endpoints, search filters, exports and notifications all call
:func:`restrict` (or :func:`can`) and never check roles themselves, so a rule lives in one place.
Models without a policy are closed to everyone but platform admins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)

Policy = Callable[[Any, str], "Q | bool"]
_POLICIES: dict[type[models.Model], Policy] = {}
_ANONYMOUS: set[type[models.Model]] = set()

M = TypeVar("M", bound=models.Model)


def register(model: type[models.Model], *, anonymous: bool = False) -> Callable[[Policy], Policy]:
    """Decorator: ``@register(Need)`` on ``def need_policy(user, action) -> Q | bool``.

    With ``anonymous=True`` the policy is asked for visitors who are not signed in too (it must then handle
    an anonymous user, e.g. by returning only public rows); otherwise they may do nothing.
    """

    def decorator(policy: Policy) -> Policy:
        _POLICIES[model] = policy
        if anonymous:
            _ANONYMOUS.add(model)
        return policy

    return decorator


def policy_for(model: type[models.Model]) -> Policy | None:
    for klass in model.__mro__:
        if klass in _POLICIES:
            return _POLICIES[klass]
    return None


def is_platform_admin(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def rule(user: Any, model: type[models.Model], action: str) -> Q | bool:
    """The raw rule: what ``user`` may do with rows of ``model`` (platform admins may do anything)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if is_platform_admin(user):
        return True
    if user is None:
        return False
    if not user.is_authenticated:
        anonymous_policy = policy_for(model)
        if anonymous_policy is None or action != VIEW or not any(k in _ANONYMOUS for k in model.__mro__):
            return False
        return anonymous_policy(user, action)
    if not user.is_active:
        return False
    policy = policy_for(model)
    if policy is None:
        return False
    return policy(user, action)


def restrict(queryset: models.QuerySet[M], user: Any, action: str = VIEW) -> models.QuerySet[M]:
    """The rows of ``queryset`` that ``user`` may ``action``. Use it for every queryset a user can reach."""
    allowed = rule(user, queryset.model, action)
    if allowed is True:
        return queryset
    if allowed is False:
        return queryset.none()
    return queryset.filter(allowed).distinct()


def can(user: Any, action: str, obj: models.Model | type[models.Model]) -> bool:
    """May ``user`` do ``action`` on ``obj`` (an instance) or on the model at all (a class, e.g. for ``add``)?"""
    model = obj if isinstance(obj, type) else type(obj)
    allowed = rule(user, model, action)
    if isinstance(allowed, bool):
        return allowed
    if isinstance(obj, type):
        return True  # some rows may qualify; callers check instances before acting
    return model._default_manager.filter(allowed).filter(pk=obj.pk).exists()


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = VIEW) -> models.QuerySet:
        return restrict(self, user, action)  # type: ignore[type-var]
