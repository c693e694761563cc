"""Writes for the catalog. Every service checks permission, validates fully, runs in a transaction, and tells the
matching index what changed (after commit, as a background job)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.core.permissions import ADD, CHANGE, DELETE, can
from qiao.directory.models import OrganizationKind
from qiao.directory.selectors import managed_organization_ids, member_organization_ids

from .models import (
    NEED_TRANSITIONS,
    Achievement,
    Capability,
    Need,
    NeedAttachment,
    NeedEvent,
    NeedGrant,
    NeedStatus,
    Publication,
)

NEED_FIELDS = {"kind", "title", "title_en", "description", "description_en", "cooperation_modes", "budget_min", "budget_max", "deadline",
               "confidentiality", "external_id", "is_fictional"}
NEED_M2M = {"industries", "disciplines", "named_organizations"}
ACHIEVEMENT_FIELDS = {"kind", "title", "title_en", "description", "description_en", "owner", "organization",
                      "patent_number", "patent_status", "trl", "transfer_modes", "price_min", "price_max",
                      "applications", "year", "visibility", "external_id", "is_fictional", "is_transferred"}
ACHIEVEMENT_M2M = {"industries", "disciplines", "co_owners"}
PUBLICATION_FIELDS = {"title", "abstract", "venue", "year", "authors", "doi", "keywords", "hidden_from_matching",
                      "pinned", "external_id"}
CAPABILITY_FIELDS = {"kind", "name", "name_en", "description", "organization", "contact", "open_to_enterprises",
                     "fee_note", "external_id"}


def _index_changed(kind: str, pk: int) -> None:
    """Queue an index update for one record: one job per transaction, on commit (no-op without matching)."""
    try:
        from qiao.matching.sync import index_changed
    except ImportError:  # pragma: no cover - matching app not installed
        return
    index_changed(kind, pk)


def _apply(instance: Any, data: dict[str, Any], fields: set[str], m2m: set[str]) -> dict[str, Any]:
    unknown = set(data) - fields - m2m
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    for key, value in data.items():
        if key in fields:
            setattr(instance, key, value)
    return {k: v for k, v in data.items() if k in m2m and v is not None}


def _set_m2m(instance: Any, m2m: dict[str, Iterable[Any]]) -> None:
    for key, values in m2m.items():
        getattr(instance, key).set(values)


# --- needs ---

@transaction.atomic
def need_create(*, by: Any, owner: Any, publish: bool = False, **data: Any) -> Need:
    """Create a need for ``owner`` (an enterprise the user belongs to; brokers may post on an enterprise's behalf)."""
    if not can(by, ADD, Need) or not (
        by.is_superuser or owner.pk in member_organization_ids(by) or by.has_role("broker")
    ):
        raise PermissionDenied
    if owner.kind != OrganizationKind.ENTERPRISE:
        raise ValidationError({"owner": _("Needs are posted by enterprises.")})
    need = Need(owner=owner, created_by=by, status=NeedStatus.DRAFT, status_changed_by=by)
    m2m = _apply(need, data, NEED_FIELDS, NEED_M2M)
    need.full_clean()
    need.save()
    _set_m2m(need, m2m)
    _check_named(need)
    NeedEvent.objects.create(need=need, from_status="", to_status=NeedStatus.DRAFT, by=by)
    if publish:
        need_transition(need=need, to=NeedStatus.PUBLISHED, by=by)
    _index_changed("need", need.pk)
    return need


def _check_named(need: Need) -> None:
    from .models import Confidentiality

    if need.confidentiality == Confidentiality.NAMED and not need.named_organizations.exists():
        raise ValidationError({"named_organizations": _("Name at least one organization that may see this need.")})


@transaction.atomic
def need_update(*, need: Need, by: Any, **data: Any) -> Need:
    if not can(by, CHANGE, need):
        raise PermissionDenied
    m2m = _apply(need, data, NEED_FIELDS, NEED_M2M)
    need.full_clean()
    need.save()
    _set_m2m(need, m2m)
    _check_named(need)
    _index_changed("need", need.pk)
    return need


@transaction.atomic
def need_transition(*, need: Need, to: str, by: Any, note: str = "") -> Need:
    """Move a need along its lifecycle (draft → published → in talks → in cooperation → closed / withdrawn)."""
    if not can(by, CHANGE, need) and not getattr(by, "_system", False):
        raise PermissionDenied
    if to not in NEED_TRANSITIONS.get(need.status, set()):
        raise ValidationError({"status": _("A need cannot go from %(a)s to %(b)s.") % {
            "a": NeedStatus(need.status).label, "b": NeedStatus(to).label}})
    NeedEvent.objects.create(need=need, from_status=need.status, to_status=to, by=by if by.pk else None, note=note)
    need.status = to
    need.status_changed = timezone.now()
    need.status_changed_by = by if by.pk else None
    need.save(update_fields=["status", "status_changed", "status_changed_by", "updated"])
    _index_changed("need", need.pk)
    return need


@transaction.atomic
def need_grant(*, need: Need, user: Any, reason: str) -> NeedGrant:
    """Share one need with one user (used by introduction requests)."""
    grant, _created = NeedGrant.objects.get_or_create(need=need, user=user, defaults={"reason": reason})
    _index_changed("need", need.pk)
    return grant


@transaction.atomic
def need_delete(*, need: Need, by: Any) -> None:
    if not can(by, DELETE, need):
        raise PermissionDenied
    pk = need.pk
    need.delete()
    _index_changed("need", pk)


@transaction.atomic
def need_attachment_add(*, need: Need, by: Any, file: Any, name: str = "") -> NeedAttachment:
    if not can(by, CHANGE, need):
        raise PermissionDenied
    attachment = NeedAttachment(need=need, file=file, name=name or getattr(file, "name", "file"))
    attachment.full_clean()
    attachment.save()
    return attachment


# --- achievements, capabilities, publications ---

@transaction.atomic
def achievement_create(*, by: Any, **data: Any) -> Achievement:
    owner = data.get("owner")
    if not can(by, ADD, Achievement) or owner is None or not (
        by.is_superuser or owner.user_id == by.pk or owner.organization_id in managed_organization_ids(by)
    ):
        raise PermissionDenied
    data.setdefault("organization", owner.organization)
    achievement = Achievement()
    m2m = _apply(achievement, data, ACHIEVEMENT_FIELDS, ACHIEVEMENT_M2M)
    achievement.full_clean()
    achievement.save()
    _set_m2m(achievement, m2m)
    _index_changed("achievement", achievement.pk)
    return achievement


@transaction.atomic
def achievement_update(*, achievement: Achievement, by: Any, **data: Any) -> Achievement:
    if not can(by, CHANGE, achievement):
        raise PermissionDenied
    m2m = _apply(achievement, data, ACHIEVEMENT_FIELDS, ACHIEVEMENT_M2M)
    achievement.full_clean()
    achievement.save()
    _set_m2m(achievement, m2m)
    _index_changed("achievement", achievement.pk)
    return achievement


@transaction.atomic
def capability_create(*, by: Any, **data: Any) -> Capability:
    org = data.get("organization")
    if not can(by, ADD, Capability) or org is None or not (by.is_superuser or org.pk in managed_organization_ids(by)):
        raise PermissionDenied
    capability = Capability()
    m2m = _apply(capability, data, CAPABILITY_FIELDS, {"industries"})
    capability.full_clean()
    capability.save()
    _set_m2m(capability, m2m)
    _index_changed("capability", capability.pk)
    return capability


@transaction.atomic
def capability_update(*, capability: Capability, by: Any, **data: Any) -> Capability:
    if not can(by, CHANGE, capability):
        raise PermissionDenied
    org = data.get("organization")
    if org is not None and org != capability.organization and not (
        by.is_superuser or org.pk in managed_organization_ids(by)
    ):
        raise PermissionDenied
    m2m = _apply(capability, data, CAPABILITY_FIELDS, {"industries"})
    capability.full_clean()
    capability.save()
    _set_m2m(capability, m2m)
    _index_changed("capability", capability.pk)
    return capability


@transaction.atomic
def publication_create(*, by: Any, person: Any, **data: Any) -> Publication:
    from .permissions import may_manage_publications

    if not may_manage_publications(by, person):
        raise PermissionDenied
    publication = Publication(person=person)
    _apply(publication, data, PUBLICATION_FIELDS, set())
    publication.full_clean()
    publication.save()
    _index_changed("person", person.pk)
    return publication


@transaction.atomic
def publication_update(*, publication: Publication, by: Any, **data: Any) -> Publication:
    """Edit a publication; ``hidden_from_matching`` and ``pinned`` are how researchers steer their expertise."""
    if not can(by, CHANGE, publication):
        raise PermissionDenied
    _apply(publication, data, PUBLICATION_FIELDS, set())
    publication.full_clean()
    publication.save()
    _index_changed("person", publication.person_id)
    return publication


@transaction.atomic
def publication_delete(*, publication: Publication, by: Any) -> None:
    if not can(by, DELETE, publication):
        raise PermissionDenied
    person_id = publication.person_id
    publication.delete()
    _index_changed("person", person_id)
