"""Who may see and change conflicts of interest: the person themself, managers of the person's organization
(and university staff for their university), platform admins. Search results are not a model: their visibility is
the visibility of the records they show (``selectors.py``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from qiao.core.permissions import ADD, register
from qiao.directory.selectors import managed_organization_ids

from .models import ConflictOfInterest


@register(ConflictOfInterest)
def conflict_policy(user: Any, action: str) -> Q | bool:
    if action == ADD:  # for whom exactly is checked by the service
        return bool(managed_organization_ids(user)) or hasattr(user, "person")
    return Q(person__user_id=user.pk) | Q(person__organization_id__in=managed_organization_ids(user))
