from datetime import datetime

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
