from datetime import datetime
from typing import Any

from ninja import Schema


class IntroductionIn(Schema):
    person_id: int | None = None
    achievement_id: int | None = None
    need_id: int | None = None
    message: str
    on_behalf_of_id: int | None = None


class AcceptIn(Schema):
    message: str = ""


class DeclineIn(Schema):
    reason: str


def _visible(obj: Any, context: Any, field: str) -> Any:
    """The related need / achievement if the caller may see it (cached per request), else None."""
    from qiao.core.permissions import VIEW, can

    related = getattr(obj, field)
    if related is None:
        return None
    request = context["request"]
    cache = request.__dict__.setdefault("_introduction_visible", {})
    key = (field, related.pk)
    if key not in cache:
        cache[key] = can(request.user, VIEW, related)
    return related if cache[key] else None


class IntroductionOut(Schema):
    """``need_id`` / ``need_title`` are null when the caller may not see the need (it may be confidential)."""

    id: int
    status: str
    requester_org_id: int
    requester_org_name: str
    requested_by_id: int
    broker_id: int | None
    target_person_id: int
    target_person_name: str
    achievement_id: int | None
    need_id: int | None
    need_title: str | None
    message: str
    response_reason: str
    responded_by_id: int | None
    responded_at: datetime | None
    created: datetime

    @staticmethod
    def resolve_requester_org_name(obj: Any) -> str:
        return obj.requester_org.display_name

    @staticmethod
    def resolve_target_person_name(obj: Any) -> str:
        return obj.target_person.display_name

    @staticmethod
    def resolve_need_id(obj: Any, context: Any) -> int | None:
        need = _visible(obj, context, "need")
        return need.pk if need else None

    @staticmethod
    def resolve_need_title(obj: Any, context: Any) -> str | None:
        need = _visible(obj, context, "need")
        return need.title if need else None

    @staticmethod
    def resolve_achievement_id(obj: Any, context: Any) -> int | None:
        achievement = _visible(obj, context, "achievement")
        return achievement.pk if achievement else None
