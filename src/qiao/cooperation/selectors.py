"""Reads of the cooperation domain: the board, lists, timelines, audit trails, and who sees which terms."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from qiao.core.permissions import VIEW, is_platform_admin, restrict

from .models import (
    CONFIDENTIAL_FIELDS,
    OPEN_ACTION_STATUSES,
    PIPELINE_STAGES,
    ActionItem,
    Agreement,
    AuditEntry,
    Cooperation,
    CooperationEvent,
    Meeting,
    Stage,
)
from .permissions import can_see_terms, officer_zone_ids

UPCOMING_DAYS = 14


def cooperation_list(*, user: Any, q: str = "", stage: str = "", zone: int | None = None, broker: int | None = None,
                     industry: str = "") -> QuerySet[Cooperation]:
    qs = restrict(Cooperation.objects.all(), user, VIEW).select_related("owner", "centre")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(title_en__icontains=q) | Q(summary__icontains=q)
                       | Q(parties__name__icontains=q) | Q(parties__name_en__icontains=q)).distinct()
    if stage:
        qs = qs.filter(stage=stage)
    if zone:
        qs = qs.filter(zones__pk=zone)
    if broker:
        qs = qs.filter(owner_id=broker)
    if industry:
        qs = qs.filter(Q(parties__industries__code=industry) | Q(parties__industries__parent__code=industry)
                       | Q(needs__industries__code=industry) | Q(needs__industries__parent__code=industry)).distinct()
    return qs.prefetch_related("parties").order_by("-updated")


def board(*, user: Any, **filters: Any) -> list[dict[str, Any]]:
    """The pipeline: one column per stage with its cooperations."""
    columns: dict[str, list[Cooperation]] = {s.value: [] for s in PIPELINE_STAGES}
    for coop in cooperation_list(user=user, **filters):
        columns[coop.stage].append(coop)
    return [{"stage": s.value, "label": s.label, "cooperations": columns[s.value]} for s in PIPELINE_STAGES]


def zone_stage_counts(*, user: Any) -> dict[str, int]:
    """Aggregates for government officers: cooperations per stage in their zones (no details)."""
    zones = officer_zone_ids(user) if not is_platform_admin(user) else None
    qs = Cooperation.objects.all()
    if zones is not None:
        if not zones:
            return {}
        qs = qs.filter(zones__in=zones).distinct()
    rows = Cooperation.objects.filter(pk__in=qs.values("pk")).values("stage").annotate(n=Count("pk"))
    counts = {row["stage"]: row["n"] for row in rows}
    return {s.value: counts.get(s.value, 0) for s in PIPELINE_STAGES}


def meeting_list(*, user: Any, q: str = "") -> QuerySet[Meeting]:
    qs = restrict(Meeting.objects.all(), user, VIEW).select_related("organizer")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(title_en__icontains=q) | Q(minutes__icontains=q))
    return qs.order_by("-starts_at")


def action_item_list(*, user: Any, scope: str = "mine", status: str = "") -> QuerySet[ActionItem]:
    """``scope``: ``mine`` (owned by the user), ``overdue``, ``upcoming`` (due within 14 days) or ``all``."""
    today = timezone.localdate()
    qs = restrict(ActionItem.objects.all(), user, VIEW).select_related(
        "owner_user", "owner_person", "owner_organization", "meeting", "cooperation")
    if scope == "mine":
        qs = qs.filter(Q(owner_user_id=user.pk) | Q(owner_person__user_id=user.pk))
    elif scope == "overdue":
        qs = qs.filter(status__in=OPEN_ACTION_STATUSES, due__lt=today)
    elif scope == "upcoming":
        qs = qs.filter(status__in=OPEN_ACTION_STATUSES, due__gte=today, due__lte=today + timedelta(days=UPCOMING_DAYS))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("due", "pk")


def timeline(*, cooperation: Cooperation, user: Any) -> QuerySet[CooperationEvent]:
    return restrict(cooperation.events.select_related("by"), user, VIEW).order_by("-at", "-pk")


def _label(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Name each entry's record type in the reader's language (e.g. "agreement")."""
    from django.apps import apps

    for entry in entries:
        try:
            entry.record_label = apps.get_model("cooperation", entry.model)._meta.verbose_name
        except LookupError:
            entry.record_label = entry.model
    return entries


def audit_trail(*, obj: Any, user: Any) -> list[AuditEntry]:
    """The audit entries of one record the caller already may see; confidential values are masked for those
    who may not see the terms."""
    model = obj._meta.model_name
    entries = list(AuditEntry.objects.filter(model=model, object_id=obj.pk).select_related("by", "cooperation"))
    for entry in entries:
        if entry.confidential and (entry.cooperation is None or not can_see_terms(user, entry.cooperation)):
            entry.before = entry.after = "•••"
            entry.masked = True
    return _label(entries)


def cooperation_audit(*, cooperation: Cooperation, user: Any) -> list[AuditEntry]:
    entries = list(cooperation.audit_entries.select_related("by")[:200])
    terms = can_see_terms(user, cooperation)
    for entry in entries:
        if entry.confidential and not terms:
            entry.before = entry.after = "•••"
            entry.masked = True
    return _label(entries)


def visible_terms(obj: Any, user: Any, cooperation: Cooperation) -> dict[str, Any]:
    """The confidential fields of ``obj``: their values for parties/admins, None for everyone else."""
    names = CONFIDENTIAL_FIELDS.get(type(obj), set())
    show = can_see_terms(user, cooperation)
    return {name: (getattr(obj, name) if show else None) for name in names}


def expiring_agreements(*, user: Any, days: int = 90) -> QuerySet[Agreement]:
    today = timezone.localdate()
    return restrict(Agreement.objects.filter(ends_on__gte=today, ends_on__lte=today + timedelta(days=days),
                                             status="signed"), user, VIEW).select_related("cooperation")


def stage_choices() -> list[tuple[str, str | Promise]]:
    return [(s.value, s.label) for s in Stage]
