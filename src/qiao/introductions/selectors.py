"""Reads for introductions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from qiao.core.permissions import VIEW, can, restrict

from .models import Introduction, IntroductionStatus
from .permissions import introduction_answer_q, introduction_withdraw_q

SENT, RECEIVED = "sent", "received"


def introduction_list(*, user: Any, box: str = "", status: str = "") -> QuerySet[Introduction]:
    """Introductions the user may see; ``box`` narrows to those their side sent or those they may answer."""
    qs = restrict(Introduction.objects.all(), user, VIEW)
    if box == SENT:
        qs = qs.filter(introduction_withdraw_q(user))
    elif box == RECEIVED:
        qs = qs.filter(introduction_answer_q(user))
    if status in IntroductionStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related("requester_org", "target_person", "target_person__organization", "requested_by",
                             "responded_by", "need", "achievement").order_by("-created", "-pk")


def pending_received_count(*, user: Any) -> int:
    return introduction_list(user=user, box=RECEIVED, status=IntroductionStatus.PENDING).count()


def visible_need(introduction: Introduction, user: Any) -> Any:
    """The need the introduction is about, or None if the user may not see it (it may be confidential)."""
    need = introduction.need
    return need if need is not None and can(user, VIEW, need) else None


def visible_achievement(introduction: Introduction, user: Any) -> Any:
    achievement = introduction.achievement
    return achievement if achievement is not None and can(user, VIEW, achievement) else None


def cooperations_for(introduction: Introduction, user: Any) -> list[Any]:
    """Cooperations opened from this introduction that the user may see (the cooperation holds the link)."""
    found: list[Any] = []
    for relation in Introduction._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label != "cooperation" or not (relation.one_to_many or relation.one_to_one):
            continue
        qs = model._default_manager.filter(**{relation.field.name: introduction})
        found.extend(restrict(qs, user, VIEW))
    return found


def may_request_for(*, need: Any, user: Any) -> bool:
    """May ``user`` ask for introductions about ``need``: its enterprise's members, brokers, platform admins."""
    from qiao.accounts.models import Role
    from qiao.directory.selectors import member_organization_ids

    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or need.owner_id in member_organization_ids(user) or user.has_role(Role.BROKER))
