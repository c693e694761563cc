"""Who may see and answer introductions.

See: the requesting enterprise's members, the requester and the broker, the expert (the target person's login),
managers of the expert's organization (e.g. the tech-transfer office), platform admins.
Answer (accept / decline): the expert, or managers of the expert's organization.
Withdraw: the requester, the broker, or the requesting enterprise's members (``introduction_withdraw_q``).
What the introduction is *about* (a need) stays under the need's own policy: pages show it only to those who
may view the need.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from qiao.accounts.models import Role
from qiao.core.permissions import ADD, CHANGE, VIEW, register
from qiao.directory.selectors import managed_organization_ids, member_organization_ids

from .models import Introduction


def introduction_answer_q(user: Any) -> Q:
    return Q(target_person__user_id=user.pk) | Q(target_person__organization_id__in=managed_organization_ids(user))


def introduction_withdraw_q(user: Any) -> Q:
    return Q(requested_by_id=user.pk) | Q(broker_id=user.pk) | Q(requester_org_id__in=member_organization_ids(user))


@register(Introduction)
def introduction_policy(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        return introduction_withdraw_q(user) | introduction_answer_q(user)
    if action == ADD:
        return user.has_role(Role.ENTERPRISE_MEMBER, Role.BROKER)
    if action == CHANGE:
        return introduction_answer_q(user)
    return False
