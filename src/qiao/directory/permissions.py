"""Who may do what in the directory. Read by :func:`qiao.core.permissions.restrict`.

Everyone signed in may read the directory (it is the platform's shared address book); organizations and
people are changed by those who manage them (an organization's managers, a university's staff for its
colleges, people for their own profile); taxonomies only by platform admins.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from qiao.accounts.models import Role
from qiao.core.permissions import ADD, CHANGE, DELETE, VIEW, register

from .models import Discipline, IndustryCategory, Major, Organization, Person, Region
from .selectors import managed_organization_ids


def _taxonomy(user: Any, action: str) -> Q | bool:
    return action == VIEW


register(Region)(_taxonomy)
register(IndustryCategory)(_taxonomy)
register(Discipline)(_taxonomy)


@register(Organization)
def organization_policy(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        return True
    if action == ADD:
        return user.has_role(Role.BROKER, Role.UNIVERSITY_STAFF, Role.GOVERNMENT_OFFICER) or bool(
            managed_organization_ids(user)
        )
    if action == CHANGE:
        return Q(pk__in=managed_organization_ids(user))
    return False  # DELETE: platform admins only


@register(Person)
def person_policy(user: Any, action: str) -> Q | bool:
    managed = managed_organization_ids(user)
    if action == VIEW:
        return True
    if action == ADD:
        return bool(managed) or user.has_role(Role.BROKER)
    if action == CHANGE:
        return Q(user_id=user.pk) | Q(organization_id__in=managed)
    if action == DELETE:
        return Q(organization_id__in=managed) & ~Q(user_id=user.pk)
    return False


@register(Major)
def major_policy(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        return True
    managed = managed_organization_ids(user)
    if action == ADD:
        return bool(managed) and user.has_role(Role.UNIVERSITY_STAFF)
    return Q(college_id__in=managed)
