from datetime import datetime

from ninja import Schema


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    created: datetime
    read_at: datetime | None
    actor_id: int | None


class UnreadCountOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


class KindPreference(Schema):
    kind: str
    label: str = ""
    in_app: bool = True
    email: bool = True


class NotificationSettingsOut(Schema):
    digest: str
    kinds: list[KindPreference]


class NotificationSettingsIn(Schema):
    digest: str | None = None
    kinds: list[KindPreference] = []
