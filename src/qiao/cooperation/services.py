"""Writes of the cooperation domain. Every create/update goes through here: it validates, saves, writes the
timeline (``CooperationEvent``) and the audit trail (``audit_changes``), and notifies the people concerned."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qiao.core.permissions import can, is_platform_admin

from .models import (
    CONFIDENTIAL_FIELDS,
    DOCUMENT_EXTENSIONS,
    MAX_DOCUMENT_BYTES,
    OPEN_ACTION_STATUSES,
    TRACKED_FIELDS,
    ActionItem,
    ActionStatus,
    Agreement,
    AgreementDocument,
    AgreementStatus,
    AuditEntry,
    Cooperation,
    CooperationEvent,
    DealPayment,
    DealStatus,
    EventKind,
    FundingReceipt,
    Meeting,
    Milestone,
    MilestoneStatus,
    Project,
    ProjectEvaluation,
    Stage,
    TransferDeal,
)

#: Notification kinds this app sends (registered with the notifications app in ``apps.ready``).
NOTIFICATION_KINDS = {
    "cooperation.stage_changed": gettext_lazy("A cooperation moved to another stage"),
    "action_item.assigned": gettext_lazy("An action item was assigned to you"),
    "action_item.due": gettext_lazy("An action item is due soon"),
    "action_item.overdue": gettext_lazy("An action item is overdue"),
    "agreement.expiring": gettext_lazy("An agreement is about to expire"),
}
#: Action items are reminded (daily) from this many days before they are due.
ACTION_ITEM_REMIND_DAYS = 3
#: Expiring agreements are reminded at most once in this many days.
AGREEMENT_REMIND_EVERY_DAYS = 7


def notify_users(*, recipients: Iterable[Any], kind: str, title: str, body: str = "", url: str = "",
                 obj: Any = None, actor: Any = None) -> None:
    """Send through the notifications app when it is installed (it is written concurrently)."""
    people = [u for u in {getattr(u, "pk", None): u for u in recipients if u is not None}.values()
              if u is not None and u.is_active and (actor is None or u.pk != actor.pk)]
    if not people:
        return
    try:
        from qiao.notifications.services import notify
    except ImportError:  # pragma: no cover - until the notifications app lands
        return
    notify(recipients=people, kind=kind, title=title, body=body, url=url, obj=obj, actor=actor)


def register_notification_kinds() -> None:
    try:
        from qiao.notifications.kinds import KINDS, register_kind
    except ImportError:  # pragma: no cover
        return
    for kind, label in NOTIFICATION_KINDS.items():
        if kind not in KINDS:
            register_kind(kind, label)


# --------------------------------------------------------------------------------------------- audit


def _display(obj: models.Model, name: str) -> str:
    field = obj._meta.get_field(name)
    if field.many_to_many:
        if obj.pk is None:
            return ""
        return ", ".join(sorted(str(o) for o in getattr(obj, name).all()))
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    if getattr(field, "choices", None):
        return str(dict(cast(models.Field, field).flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "isoformat"):
        if hasattr(value, "tzinfo") and value.tzinfo is not None:
            value = timezone.localtime(value)
            return value.strftime("%Y-%m-%d %H:%M")
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def snapshot(obj: models.Model) -> dict[str, str]:
    """The tracked fields of ``obj`` as displayable strings (call before changing it)."""
    return {name: _display(obj, name) for name in TRACKED_FIELDS.get(type(obj), ())}


def cooperation_of(obj: models.Model) -> Cooperation | None:
    if isinstance(obj, Cooperation):
        return obj
    if isinstance(obj, (Agreement, TransferDeal)):
        return obj.cooperation
    if isinstance(obj, Project):
        return obj.agreement.cooperation
    if isinstance(obj, (Milestone, FundingReceipt)):
        return obj.project.agreement.cooperation
    if isinstance(obj, DealPayment):
        return obj.deal.cooperation
    if isinstance(obj, ActionItem):
        if obj.cooperation_id:
            return obj.cooperation
        meeting = obj.meeting if obj.meeting_id else None
        return meeting.cooperations.first() if meeting is not None else None
    if isinstance(obj, Meeting):
        return obj.cooperations.first() if obj.pk else None
    return None


def audit_changes(obj: models.Model, before: dict[str, str], by: Any, *, action: str = "change") -> list[AuditEntry]:
    """Record every tracked field of ``obj`` whose display value differs from ``before`` (who, when, before/after).

    With ``action="create"`` one entry says the record was created. Called by every write service."""
    model = type(obj)
    confidential = CONFIDENTIAL_FIELDS.get(model, set())
    coop = cooperation_of(obj)
    common = {"cooperation": coop, "model": model._meta.model_name, "object_id": obj.pk,
              "by": by if getattr(by, "pk", None) else None, "at": timezone.now()}
    if action == "create":
        return [AuditEntry.objects.create(action="create", **common)]
    after = snapshot(obj)
    entries = [
        AuditEntry(action="change", field=name, field_label=str(cast(models.Field, model._meta.get_field(name)).verbose_name),
                   before=before.get(name, ""), after=value, confidential=name in confidential, **common)
        for name, value in after.items() if before.get(name, "") != value
    ]
    return AuditEntry.objects.bulk_create(entries)


def record_event(cooperation: Cooperation | None, kind: str, text: str, *, by: Any = None, url: str = "") -> None:
    if cooperation is None:
        return
    CooperationEvent.objects.create(cooperation=cooperation, kind=kind, text=text[:500], url=url,
                                    by=by if getattr(by, "pk", None) else None, at=timezone.now())


def _split(fields: dict[str, Any], model: type[models.Model]) -> tuple[dict[str, Any], dict[str, Any]]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    return ({k: v for k, v in fields.items() if k not in m2m_names},
            {k: v for k, v in fields.items() if k in m2m_names})


def _save(obj: models.Model, fields: dict[str, Any], by: Any, *, creating: bool) -> models.Model:
    """Set fields (m2m too), validate, save and audit. The one write path for every record of this app."""
    before = {} if creating else snapshot(obj)
    plain, m2m = _split(fields, type(obj))
    for name, value in plain.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    for name, value in m2m.items():
        getattr(obj, name).set(list(value))
    if creating:
        audit_changes(obj, {}, by, action="create")
    else:
        audit_changes(obj, before, by)
    return obj


def _check(user: Any, action: str, obj: models.Model) -> None:
    if user is not None and not can(user, action, obj):
        raise PermissionDenied


# --------------------------------------------------------------------------------------------- cooperations


def _sync_zones(cooperation: Cooperation) -> None:
    """Keep ``Cooperation.zones`` = development zones that are a party or an ancestor of one."""
    from qiao.directory.models import OrganizationKind

    zone_ids = set()
    for party in cooperation.parties.all():
        for org in [party, *party.ancestors()]:
            if org.kind == OrganizationKind.DEVELOPMENT_ZONE:
                zone_ids.add(org.pk)
    cooperation.zones.set(zone_ids)


def _default_centre(owner: Any) -> Any:
    from qiao.accounts.models import Role

    if owner is None:
        return None
    membership = owner.memberships.filter(role=Role.BROKER).select_related("organization").first()
    return membership.organization if membership else None


@transaction.atomic
def cooperation_create(*, by: Any, title: str, parties: Iterable[Any], title_en: str = "", summary: str = "",
                       owner: Any = None, centre: Any = None, people: Iterable[Any] = (), needs: Iterable[Any] = (),
                       achievements: Iterable[Any] = (), shared_with_government: bool = False,
                       stage: str = Stage.EXPLORING, stop_reason: str = "", introduction: Any = None,
                       external_id: str = "", is_fictional: bool = False) -> Cooperation:
    from qiao.accounts.models import Role

    parties = list(parties)
    if len(parties) < 1:
        raise ValidationError({"parties": _("A cooperation needs at least one party.")})
    if owner is None and by is not None and by.is_authenticated and by.has_role(Role.BROKER):
        owner = by
    coop = Cooperation(title=title, title_en=title_en, summary=summary, owner=owner,
                       centre=centre or _default_centre(owner), shared_with_government=shared_with_government,
                       stage=stage, stop_reason=stop_reason, created_by=by if getattr(by, "pk", None) else None,
                       external_id=external_id,
                       is_fictional=is_fictional)
    if introduction is not None:
        coop.introduction = introduction
    _save(coop, {"parties": parties, "people": list(people), "needs": list(needs),
                 "achievements": list(achievements)}, by, creating=True)
    _sync_zones(coop)
    record_event(coop, EventKind.CREATED, _("Cooperation created: %(title)s") % {"title": coop.title}, by=by,
                 url=coop.get_absolute_url())
    return coop


@transaction.atomic
def cooperation_update(*, cooperation: Cooperation, by: Any, **fields: Any) -> Cooperation:
    """Change the cooperation's details (not its stage: see ``cooperation_change_stage``)."""
    fields.pop("stage", None)
    _save(cooperation, fields, by, creating=False)
    if "parties" in fields:
        _sync_zones(cooperation)
    return cooperation


def cooperation_watchers(cooperation: Cooperation) -> list[Any]:
    """Who hears about a cooperation: its owner, its creator and the people on it who have a login."""
    users = [cooperation.owner, cooperation.created_by]
    users += [p.user for p in cooperation.people.select_related("user") if p.user_id]
    return [u for u in users if u is not None]


@transaction.atomic
def cooperation_change_stage(*, cooperation: Cooperation, stage: str, by: Any, reason: str = "") -> Cooperation:
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    if stage == cooperation.stage:
        return cooperation
    if stage == Stage.STOPPED and not reason.strip():
        raise ValidationError({"stop_reason": _("Say why the cooperation stopped.")})
    before = snapshot(cooperation)
    old_label = cooperation.get_stage_display()
    cooperation.stage = stage
    cooperation.stage_changed = timezone.now()
    cooperation.stop_reason = reason.strip() if stage == Stage.STOPPED else cooperation.stop_reason
    cooperation.full_clean()
    cooperation.save()
    audit_changes(cooperation, before, by)
    text = _("Stage: %(old)s → %(new)s") % {"old": old_label, "new": cooperation.get_stage_display()}
    if stage == Stage.STOPPED and reason:
        text += " — " + reason.strip()
    record_event(cooperation, EventKind.STAGE, text, by=by, url=cooperation.get_absolute_url())
    notify_users(recipients=cooperation_watchers(cooperation), kind="cooperation.stage_changed",
                 title=f"{cooperation.title}: {text}", url=cooperation.get_absolute_url(), obj=cooperation, actor=by)
    return cooperation


@transaction.atomic
def cooperation_create_from_introduction(*, introduction: Any, by: Any) -> Cooperation:
    """Called by the introductions app when an introduction is accepted: a new cooperation between the
    requester's organization and the target person's organization, owned by the introduction's broker."""
    existing = Cooperation.objects.filter(introduction_id=introduction.pk).first()
    if existing is not None:
        return existing
    parties = [o for o in (getattr(introduction, "requester_org", None),
                           getattr(getattr(introduction, "target_person", None), "organization", None)) if o]
    person = getattr(introduction, "target_person", None)
    achievement = getattr(introduction, "achievement", None)
    need = getattr(introduction, "need", None)
    # Named after the organizations and the expert, never the need: a need may be confidential, and the
    # cooperation is seen by every member of the parties.
    requester_org = getattr(introduction, "requester_org", None)
    title = _("%(org)s × %(person)s") % {"org": requester_org, "person": person} if person else _("New cooperation")
    requester = getattr(introduction, "requested_by", None)
    requester_people = []
    if requester is not None and hasattr(requester, "person"):
        try:
            requester_people = [requester.person]
        except Exception:  # noqa: BLE001 - a user without a directory entry
            requester_people = []
    coop = cooperation_create(
        by=by, title=str(title)[:200], parties=parties, summary=getattr(introduction, "message", "") or "",
        owner=getattr(introduction, "broker", None), people=[p for p in [person, *requester_people] if p],
        needs=[need] if need else [], achievements=[achievement] if achievement else [],
        introduction=introduction, external_id=f"introduction:{introduction.pk}",
    )
    return coop


# --------------------------------------------------------------------------------------------- meetings


@transaction.atomic
def meeting_create(*, by: Any, cooperations: Iterable[Cooperation] = (), participants: Iterable[Any] = (),
                   participant_organizations: Iterable[Any] = (), **fields: Any) -> Meeting:
    meeting = Meeting(created_by=by if getattr(by, "pk", None) else None)
    _save(meeting, {**fields, "cooperations": list(cooperations), "participants": list(participants),
                    "participant_organizations": list(participant_organizations)}, by, creating=True)
    for coop in meeting.cooperations.all():
        record_event(coop, EventKind.MEETING, _("Meeting recorded: %(title)s") % {"title": meeting.title}, by=by,
                     url=meeting.get_absolute_url())
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by: Any, **fields: Any) -> Meeting:
    _save(meeting, fields, by, creating=False)
    return meeting


def _action_item_cooperations(item: ActionItem) -> list[Cooperation]:
    if item.cooperation_id and item.cooperation is not None:
        return [item.cooperation]
    if item.meeting_id and item.meeting is not None:
        return list(item.meeting.cooperations.all())
    return []


@transaction.atomic
def action_item_create(*, by: Any, title: str, meeting: Meeting | None = None, cooperation: Cooperation | None = None,
                       **fields: Any) -> ActionItem:
    item = ActionItem(meeting=meeting, cooperation=cooperation, created_by=by if getattr(by, "pk", None) else None)
    _save(item, {"title": title, **fields}, by, creating=True)
    for coop in _action_item_cooperations(item):
        record_event(coop, EventKind.ACTION_ITEM, _("Action item: %(title)s (%(owner)s, due %(due)s)") % {
            "title": item.title, "owner": item.owner_display or "—", "due": item.due or "—"}, by=by,
            url=(meeting or coop).get_absolute_url())
    notify_users(recipients=item.responsible_users(), kind="action_item.assigned",
                 title=_("New action item: %(title)s") % {"title": item.title},
                 body=_("Due %(due)s") % {"due": item.due} if item.due else "",
                 url=item.get_absolute_url(), obj=item, actor=by)
    return item


@transaction.atomic
def action_item_update(*, item: ActionItem, by: Any, **fields: Any) -> ActionItem:
    old_status, old_owners = item.status, {u.pk for u in item.responsible_users()}
    if "status" in fields and fields["status"] == ActionStatus.DONE and item.status != ActionStatus.DONE:
        fields["completed_at"] = timezone.now()
    elif "status" in fields and fields["status"] != ActionStatus.DONE:
        fields["completed_at"] = None
    _save(item, fields, by, creating=False)
    if item.status != old_status:
        for coop in _action_item_cooperations(item):
            record_event(coop, EventKind.ACTION_ITEM, _("Action item %(title)s: %(status)s") % {
                "title": item.title, "status": item.get_status_display()}, by=by, url=item.get_absolute_url())
    new_owners = [u for u in item.responsible_users() if u.pk not in old_owners]
    notify_users(recipients=new_owners, kind="action_item.assigned",
                 title=_("New action item: %(title)s") % {"title": item.title}, url=item.get_absolute_url(),
                 obj=item, actor=by)
    return item


# --------------------------------------------------------------------------------------------- agreements


@transaction.atomic
def agreement_create(*, by: Any, cooperation: Cooperation, parties: Iterable[Any] = (), **fields: Any) -> Agreement:
    agreement = Agreement(cooperation=cooperation)
    parties = list(parties) or list(cooperation.parties.all())
    _save(agreement, {**fields, "parties": parties}, by, creating=True)
    record_event(cooperation, EventKind.AGREEMENT, _("Agreement: %(title)s (%(kind)s, %(status)s)") % {
        "title": agreement.title, "kind": agreement.get_kind_display(), "status": agreement.get_status_display()},
        by=by, url=agreement.get_absolute_url())
    return agreement


@transaction.atomic
def agreement_update(*, agreement: Agreement, by: Any, **fields: Any) -> Agreement:
    old_status = agreement.status
    _save(agreement, fields, by, creating=False)
    if agreement.status != old_status:
        record_event(agreement.cooperation, EventKind.AGREEMENT, _("Agreement %(title)s: %(status)s") % {
            "title": agreement.title, "status": agreement.get_status_display()}, by=by,
            url=agreement.get_absolute_url())
    return agreement


_MAGIC = {
    "pdf": [b"%PDF"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "docx": [b"PK\x03\x04"],
    "doc": [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<", b"MIME-Version", b"{\\rtf"],
}


def validate_document(file: UploadedFile) -> str:
    """Check type (extension and leading bytes) and size of an upload; return the lower-case extension."""
    name = file.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in DOCUMENT_EXTENSIONS:
        raise ValidationError({"file": _("Allowed file types: %(types)s.") % {"types": ", ".join(DOCUMENT_EXTENSIONS)}})
    if file.size is not None and file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": _("A file may be at most 20 MB.")})
    head = file.read(16)
    file.seek(0)
    if not any(head.lstrip().startswith(m) for m in _MAGIC[ext]):
        raise ValidationError({"file": _("The file's content does not match its type (.%(ext)s).") % {"ext": ext}})
    return ext


@transaction.atomic
def agreement_document_add(*, agreement: Agreement, file: UploadedFile, by: Any, name: str = "") -> AgreementDocument:
    validate_document(file)
    doc = AgreementDocument(agreement=agreement, file=file, name=(name or file.name or "document")[:200],
                            size=file.size or 0, uploaded_by=by if getattr(by, "pk", None) else None)
    doc.full_clean()
    doc.save()
    record_event(agreement.cooperation, EventKind.DOCUMENT, _("Signed document uploaded: %(name)s") % {
        "name": doc.name}, by=by, url=agreement.get_absolute_url())
    AuditEntry.objects.create(cooperation=agreement.cooperation, model="agreement", object_id=agreement.pk,
                              action="document", field="documents", field_label=str(_("signed documents")),
                              after=doc.name, by=by if getattr(by, "pk", None) else None)
    return doc


def document_content_type(doc: AgreementDocument) -> str:
    return mimetypes.guess_type(cast(str, doc.file.name))[0] or "application/octet-stream"


# --------------------------------------------------------------------------------------------- projects


@transaction.atomic
def project_create(*, by: Any, agreement: Agreement, **fields: Any) -> Project:
    project = Project(agreement=agreement)
    _save(project, fields, by, creating=True)
    record_event(agreement.cooperation, EventKind.PROJECT, _("Project started: %(title)s") % {"title": project.title},
                 by=by, url=project.get_absolute_url())
    return project


@transaction.atomic
def project_update(*, project: Project, by: Any, **fields: Any) -> Project:
    old_status = project.status
    _save(project, fields, by, creating=False)
    if project.status != old_status:
        record_event(project.cooperation, EventKind.PROJECT, _("Project %(title)s: %(status)s") % {
            "title": project.title, "status": project.get_status_display()}, by=by, url=project.get_absolute_url())
    return project


@transaction.atomic
def milestone_create(*, by: Any, project: Project, **fields: Any) -> Milestone:
    milestone = Milestone(project=project)
    _save(milestone, fields, by, creating=True)
    record_event(project.cooperation, EventKind.MILESTONE, _("%(kind)s planned: %(title)s (%(due)s)") % {
        "kind": milestone.get_kind_display(), "title": milestone.title, "due": milestone.due}, by=by,
        url=project.get_absolute_url())
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, by: Any, **fields: Any) -> Milestone:
    old_status = milestone.status
    if fields.get("status") == MilestoneStatus.DONE and not fields.get("completed_on") and not milestone.completed_on:
        fields["completed_on"] = timezone.localdate()
    _save(milestone, fields, by, creating=False)
    if milestone.status != old_status:
        record_event(milestone.project.cooperation, EventKind.MILESTONE, _("%(kind)s %(title)s: %(status)s") % {
            "kind": milestone.get_kind_display(), "title": milestone.title, "status": milestone.get_status_display()},
            by=by, url=milestone.project.get_absolute_url())
    return milestone


@transaction.atomic
def funding_add(*, by: Any, project: Project, **fields: Any) -> FundingReceipt:
    receipt = FundingReceipt(project=project)
    _save(receipt, fields, by, creating=True)
    record_event(project.cooperation, EventKind.FUNDING, _("Funding received for %(title)s on %(date)s") % {
        "title": project.title, "date": receipt.received_on}, by=by, url=project.get_absolute_url())
    return receipt


@transaction.atomic
def funding_update(*, receipt: FundingReceipt, by: Any, **fields: Any) -> FundingReceipt:
    _save(receipt, fields, by, creating=False)
    return receipt


@transaction.atomic
def project_evaluate(*, project: Project, organization: Any, rating: int, comment: str = "", by: Any) -> ProjectEvaluation:
    """A side's closing rating. The organization must be a party, and ``by`` a member of it (or an admin)."""
    from .permissions import party_org_ids

    coop = project.cooperation
    if not coop.parties.filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("Only a party of the cooperation can rate it.")})
    if not is_platform_admin(by) and organization.pk not in party_org_ids(by):
        raise PermissionDenied
    evaluation = ProjectEvaluation.objects.filter(project=project, organization=organization).first()
    creating = evaluation is None
    if evaluation is None:
        evaluation = ProjectEvaluation(project=project, organization=organization)
    evaluation.rating, evaluation.comment, evaluation.by, evaluation.at = rating, comment, by, timezone.now()
    evaluation.full_clean()
    evaluation.save()
    record_event(coop, EventKind.EVALUATION, _("%(org)s rated %(title)s %(rating)s/5") % {
        "org": organization, "title": project.title, "rating": rating}, by=by, url=project.get_absolute_url())
    AuditEntry.objects.create(cooperation=coop, model="project", object_id=project.pk,
                              action="create" if creating else "change", field="evaluation",
                              field_label=str(_("evaluation")) + f" ({organization})", after=f"{rating}/5 {comment}",
                              by=by)
    return evaluation


def evaluations_complete(project: Project) -> bool:
    """Both sides rated: at least two distinct parties, or every party when there are fewer."""
    parties = project.cooperation.parties.count()
    return project.evaluations.values("organization").distinct().count() >= min(2, parties)


# --------------------------------------------------------------------------------------------- deals


def _mark_transferred(deal: TransferDeal, by: Any) -> None:
    if deal.status in (DealStatus.SIGNED, DealStatus.COMPLETED) and not deal.achievement.is_transferred:
        achievement_mark_transferred(achievement=deal.achievement, by=by)


def achievement_mark_transferred(*, achievement: Any, by: Any) -> None:
    """Set ``is_transferred`` on an achievement whose deal was signed (a catalog row changed on our behalf)."""
    achievement.is_transferred = True
    achievement.save(update_fields=["is_transferred", "updated"])


@transaction.atomic
def deal_create(*, by: Any, cooperation: Cooperation, achievement: Any, **fields: Any) -> TransferDeal:
    deal = TransferDeal(cooperation=cooperation, achievement=achievement)
    _save(deal, fields, by, creating=True)
    if not cooperation.achievements.filter(pk=achievement.pk).exists():
        cooperation.achievements.add(achievement)
    record_event(cooperation, EventKind.DEAL, _("Technology-transfer deal: %(deal)s (%(status)s)") % {
        "deal": deal, "status": deal.get_status_display()}, by=by, url=deal.get_absolute_url())
    _mark_transferred(deal, by)
    return deal


@transaction.atomic
def deal_update(*, deal: TransferDeal, by: Any, **fields: Any) -> TransferDeal:
    old_status = deal.status
    _save(deal, fields, by, creating=False)
    if deal.status != old_status:
        record_event(deal.cooperation, EventKind.DEAL, _("Deal %(deal)s: %(status)s") % {
            "deal": deal, "status": deal.get_status_display()}, by=by, url=deal.get_absolute_url())
    _mark_transferred(deal, by)
    return deal


@transaction.atomic
def payment_create(*, by: Any, deal: TransferDeal, **fields: Any) -> DealPayment:
    payment = DealPayment(deal=deal)
    _save(payment, fields, by, creating=True)
    return payment


@transaction.atomic
def payment_update(*, payment: DealPayment, by: Any, **fields: Any) -> DealPayment:
    was_received = payment.is_received
    _save(payment, fields, by, creating=False)
    if payment.is_received and not was_received:
        record_event(payment.deal.cooperation, EventKind.PAYMENT, _("Payment received: %(kind)s on %(date)s") % {
            "kind": payment.get_kind_display(), "date": payment.received_on}, by=by,
            url=payment.deal.get_absolute_url())
    return payment


# --------------------------------------------------------------------------------------------- reminders


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Remind owners of action items due within ``ACTION_ITEM_REMIND_DAYS`` or overdue (once a day each), and the
    watchers of signed agreements expiring within their ``remind_days_before`` (at most once a week each)."""
    today = today or timezone.localdate()
    sent = {"due": 0, "overdue": 0, "agreements": 0}
    items = (ActionItem.objects.filter(status__in=OPEN_ACTION_STATUSES, due__isnull=False,
                                       due__lte=today + timedelta(days=ACTION_ITEM_REMIND_DAYS))
             .exclude(last_reminded__gte=today).select_related("owner_user", "owner_person__user"))
    for item in items:
        with transaction.atomic():
            locked = ActionItem.objects.select_for_update().filter(pk=item.pk).exclude(last_reminded__gte=today)
            if not locked.update(last_reminded=today):
                continue
            assert item.due is not None  # filtered on due__isnull=False
            overdue = item.due < today
            kind = "action_item.overdue" if overdue else "action_item.due"
            title = (_("Overdue since %(due)s: %(title)s") if overdue else _("Due %(due)s: %(title)s")) % {
                "due": item.due, "title": item.title}
            notify_users(recipients=item.responsible_users(), kind=kind, title=title, url=item.get_absolute_url(),
                         obj=item)
            sent["overdue" if overdue else "due"] += 1
    agreements = (Agreement.objects.filter(status=AgreementStatus.SIGNED, ends_on__isnull=False, ends_on__gte=today)
                  .exclude(last_reminded__gt=today - timedelta(days=AGREEMENT_REMIND_EVERY_DAYS))
                  .select_related("cooperation__owner", "cooperation__created_by"))
    for agreement in agreements:
        assert agreement.ends_on is not None  # filtered on ends_on__isnull=False
        days = (agreement.ends_on - today).days
        if days > agreement.remind_days_before:
            continue
        with transaction.atomic():
            if not Agreement.objects.filter(pk=agreement.pk).exclude(
                    last_reminded__gt=today - timedelta(days=AGREEMENT_REMIND_EVERY_DAYS)).update(last_reminded=today):
                continue
            notify_users(recipients=cooperation_watchers(agreement.cooperation), kind="agreement.expiring",
                         title=_("Agreement %(title)s expires on %(date)s (in %(days)s days)") % {
                             "title": agreement.title, "date": agreement.ends_on, "days": days},
                         url=agreement.get_absolute_url(), obj=agreement)
            sent["agreements"] += 1
    return sent


def check_can(user: Any, action: str, obj: models.Model) -> None:
    """Raise PermissionDenied unless ``user`` may ``action`` ``obj`` (for API handlers and views)."""
    _check(user, action, obj)

