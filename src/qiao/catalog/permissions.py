"""Who may see and change needs, achievements, capabilities and publications.

Confidentiality of needs is decided here and only here. ``need_view_q`` is the rule; ``audience_tokens``
(selectors) encodes the same rule for the search index, and a test checks that both always agree.
A need may be seen by:
  - the members of its enterprise (any status) and platform admins;
  - once listed (published or later, not withdrawn): everyone for *public*; signed-in users for *members*;
    members of the named organizations (or of their sub-organizations) for *named*; brokers for *brokers*;
  - a user it was explicitly shared with (``NeedGrant``, e.g. the expert of an introduction request);
  - the user who posted it (a broker posting on an enterprise's behalf keeps seeing and editing it).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from qiao.accounts.models import Role
from qiao.core.permissions import ADD, CHANGE, DELETE, VIEW, register, restrict
from qiao.directory.selectors import managed_organization_ids, member_organization_ids

from .models import (
    Achievement,
    Capability,
    Confidentiality,
    Need,
    NeedAttachment,
    NeedEvent,
    NeedGrant,
    NeedStatus,
    Publication,
    Visibility,
)

LISTED_STATUSES = (NeedStatus.PUBLISHED, NeedStatus.IN_TALKS, NeedStatus.IN_COOPERATION, NeedStatus.CLOSED)


def member_and_ancestor_org_ids(user: Any) -> set[int]:
    """The user's organizations and their ancestors: being in a college counts as being in its university."""
    cached = getattr(user, "_member_and_ancestor_ids", None)
    if cached is not None:
        return cached
    from qiao.directory.models import Organization

    ids = set(member_organization_ids(user))
    frontier = set(ids)
    while frontier:
        parents = set(Organization.objects.filter(pk__in=frontier, parent__isnull=False)
                      .values_list("parent_id", flat=True)) - ids
        ids |= parents
        frontier = parents
    user._member_and_ancestor_ids = ids
    return ids


def need_view_q(user: Any) -> Q:
    listed = Q(status__in=LISTED_STATUSES)
    if not getattr(user, "is_authenticated", False):
        return listed & Q(confidentiality=Confidentiality.PUBLIC)
    q = (
        Q(owner_id__in=member_organization_ids(user))
        | Q(created_by_id=user.pk)
        | (listed & Q(confidentiality__in=[Confidentiality.PUBLIC, Confidentiality.MEMBERS]))
        | (listed & Q(confidentiality=Confidentiality.NAMED,
                      named_organizations__in=member_and_ancestor_org_ids(user)))
        | (listed & Q(grants__user_id=user.pk))
    )
    if user.has_role(Role.BROKER):
        q |= listed & Q(confidentiality=Confidentiality.BROKERS)
    return q


def need_edit_q(user: Any) -> Q:
    return (Q(owner_id__in=managed_organization_ids(user) | member_organization_ids(user))
            | Q(created_by_id=user.pk)) & ~Q(status=NeedStatus.CLOSED)


@register(Need, anonymous=True)
def need_policy(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        return need_view_q(user)
    if action == ADD:
        return user.has_role(Role.ENTERPRISE_MEMBER, Role.BROKER)
    if action == CHANGE:
        return need_edit_q(user)
    if action == DELETE:
        return Q(owner_id__in=managed_organization_ids(user), status=NeedStatus.DRAFT)
    return False


def _via_need(user: Any, action: str) -> Q | bool:
    needs = restrict(Need.objects.all(), user, VIEW if action == VIEW else CHANGE)
    return Q(need__in=needs.values("pk"))


register(NeedEvent)(_via_need)
register(NeedAttachment)(_via_need)


@register(NeedGrant)
def need_grant_policy(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        return Q(user_id=user.pk) | Q(need__owner_id__in=member_organization_ids(user))
    return False  # grants are made by services (introductions), never by hand


def _research_owner_q(user: Any, person_field: str) -> Q:
    return Q(**{f"{person_field}__user_id": user.pk}) | Q(**{f"{person_field}__organization_id__in":
                                                            managed_organization_ids(user)})


@register(Achievement, anonymous=True)
def achievement_policy(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        if not getattr(user, "is_authenticated", False):
            return Q(visibility=Visibility.PUBLIC)
        return True
    if action == ADD:
        return user.has_role(Role.RESEARCHER, Role.UNIVERSITY_STAFF)
    q = _research_owner_q(user, "owner") | Q(organization_id__in=managed_organization_ids(user))
    if action == CHANGE:
        return q | Q(co_owners__user_id=user.pk)
    return q


@register(Capability)
def capability_policy(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        return True
    if action == ADD:
        return user.has_role(Role.UNIVERSITY_STAFF) or bool(managed_organization_ids(user))
    return Q(organization_id__in=managed_organization_ids(user))


@register(Publication)
def publication_policy(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        return True
    if action == ADD:
        return user.has_role(Role.RESEARCHER, Role.UNIVERSITY_STAFF)
    return _research_owner_q(user, "person")


def may_manage_publications(user: Any, person: Any) -> bool:
    """May ``user`` add, pin, hide and edit ``person``'s publications? The person themself, the managers of
    their organization (a university's staff for its colleges) and platform admins: the CHANGE rule above."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (user.is_superuser or (person.user_id is not None and person.user_id == user.pk)
            or person.organization_id in managed_organization_ids(user))
