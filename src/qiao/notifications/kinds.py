"""The registry of notification kinds: a dotted name (``"introduction.requested"``) and a translatable label.

Apps register their kinds once, at import time or in ``AppConfig.ready``::

    from qiao.notifications.kinds import register_kind
    register_kind("cooperation.stage_changed", _("A cooperation moved to another stage"))

The label is what a user sees on the notification settings page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

KINDS: dict[str, Any] = {}


def register_kind(kind: str, label: Any) -> None:
    """Add (or relabel) a kind. ``label`` should be a ``gettext_lazy`` string."""
    if not kind or "." not in kind or len(kind) > 64:
        raise ValueError(f"a notification kind is a dotted name of at most 64 characters, not {kind!r}")
    KINDS[kind] = label


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))


for _kind, _label in [
    ("introduction.requested", _("Someone asks you for an introduction")),
    ("introduction.answered", _("Your introduction request was answered")),
    ("introduction.withdrawn", _("An introduction request to you was withdrawn")),
    ("cooperation.stage_changed", _("A cooperation moved to another stage")),
    ("action_item.assigned", _("An action item was assigned to you")),
    ("action_item.due", _("An action item is due soon")),
    ("action_item.overdue", _("An action item is overdue")),
    ("agreement.expiring", _("An agreement is about to expire")),
]:
    register_kind(_kind, _label)
