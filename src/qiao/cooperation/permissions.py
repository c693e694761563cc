"""Who may see and change cooperations and everything recorded under them.

A cooperation is seen by
  - **the parties**: members of a party organization or of one of its sub-organizations (a college's researcher
    counts for the university), managers of a party, and the people named on the cooperation;
  - **its brokers**: the owner, and the brokers of its innovation centre (``Cooperation.centre``) or of an
    innovation centre that is itself a party;
  - **officers of the zone**, read-only and only when the cooperation is ``shared_with_government``; otherwise
    officers only get counts (``selectors.zone_stage_counts``).

"The zone" rule: a cooperation's zones are the development zones that are a party or an ancestor of a party
(kept in ``Cooperation.zones`` by the services). An officer's zones are the development zones that are an
ancestor of the officer's agency, or that share the agency's region.

Confidential terms (``models.CONFIDENTIAL_FIELDS``: agreement value and terms, royalty rate and base, payment and
funding amounts) and signed documents are for the parties and platform admins only — brokers and officers see
agreements and deals without amounts. ``can_see_terms`` is that rule.

Parties and brokers may change a cooperation and its records; only the owner (or an admin) may delete it.
Records under a cooperation follow it; meetings also follow their organizer and participants; action items also
follow their owner.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from qiao.accounts.models import Role
from qiao.core.permissions import ADD, CHANGE, DELETE, VIEW, is_platform_admin, register, restrict
from qiao.directory.models import Organization, OrganizationKind
from qiao.directory.selectors import managed_organization_ids, member_organization_ids

from .models import (
    ActionItem,
    Agreement,
    AgreementDocument,
    AuditEntry,
    Cooperation,
    CooperationEvent,
    DealPayment,
    FundingReceipt,
    Meeting,
    Milestone,
    Project,
    ProjectEvaluation,
    TransferDeal,
)


def _ancestor_closure(ids: set[int]) -> set[int]:
    out = set(ids)
    frontier = set(ids)
    while frontier:
        parents = set(Organization.objects.filter(pk__in=frontier, parent__isnull=False)
                      .values_list("parent_id", flat=True)) - out
        out |= parents
        frontier = parents
    return out


def party_org_ids(user: Any) -> set[int]:
    """Organizations for which the user acts as a party: their own and their ancestors, and those they manage."""
    cached = getattr(user, "_coop_party_ids", None)
    if cached is None:
        cached = _ancestor_closure(set(member_organization_ids(user))) | managed_organization_ids(user)
        user._coop_party_ids = cached
    return cached


def broker_centre_ids(user: Any) -> set[int]:
    cached = getattr(user, "_coop_centre_ids", None)
    if cached is None:
        cached = set(user.memberships.filter(role=Role.BROKER).values_list("organization_id", flat=True))
        user._coop_centre_ids = cached
    return cached


def officer_zone_ids(user: Any) -> set[int]:
    """The development zones an officer's agencies belong to (ancestor zone, or same region)."""
    cached = getattr(user, "_coop_zone_ids", None)
    if cached is not None:
        return cached
    agencies = list(Organization.objects.filter(
        memberships__user=user, memberships__role=Role.GOVERNMENT_OFFICER).values("pk", "region_id"))
    zones: set[int] = set()
    if agencies:
        ancestors = _ancestor_closure({a["pk"] for a in agencies})
        zones = set(Organization.objects.filter(pk__in=ancestors, kind=OrganizationKind.DEVELOPMENT_ZONE)
                    .values_list("pk", flat=True))
        regions = {a["region_id"] for a in agencies if a["region_id"]}
        if regions:
            zones |= set(Organization.objects.filter(kind=OrganizationKind.DEVELOPMENT_ZONE, region_id__in=regions)
                         .values_list("pk", flat=True))
    user._coop_zone_ids = zones
    return zones


def party_q(user: Any, prefix: str = "") -> Q:
    return Q(**{f"{prefix}parties__in": party_org_ids(user)}) | Q(**{f"{prefix}people__user_id": user.pk})


def broker_q(user: Any, prefix: str = "") -> Q:
    centres = broker_centre_ids(user)
    q = Q(**{f"{prefix}owner_id": user.pk})
    if centres:
        q |= Q(**{f"{prefix}centre_id__in": centres}) | Q(**{f"{prefix}parties__in": centres})
    return q


def officer_q(user: Any, prefix: str = "") -> Q:
    zones = officer_zone_ids(user)
    if not zones:
        return Q(pk__in=[])
    return Q(**{f"{prefix}zones__in": zones, f"{prefix}shared_with_government": True})


def cooperation_q(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        return party_q(user) | broker_q(user) | officer_q(user)
    if action == ADD:
        return user.has_role(Role.BROKER, Role.ENTERPRISE_MEMBER, Role.UNIVERSITY_STAFF, Role.RESEARCHER)
    if action == CHANGE:
        return party_q(user) | broker_q(user)
    if action == DELETE:
        return Q(owner_id=user.pk)
    return False


register(Cooperation)(cooperation_q)


def can_see_terms(user: Any, cooperation: Cooperation) -> bool:
    """Confidential terms are for the parties (not brokers, not officers) and platform admins."""
    if is_platform_admin(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cache = getattr(user, "_coop_terms_cache", None)
    if cache is None:
        cache = user._coop_terms_cache = {}
    if cooperation.pk not in cache:
        cache[cooperation.pk] = Cooperation.objects.filter(party_q(user), pk=cooperation.pk).exists()
    return cache[cooperation.pk]


def _via_cooperation(path: str):  # type: ignore[no-untyped-def]
    """A policy for records that belong to one cooperation through ``path`` (e.g. ``agreement__cooperation``)."""

    def policy(user: Any, action: str) -> Q | bool:
        if action == ADD:
            # Adding is checked against the parent record by the view/service; the model-level answer says
            # whether the user may change any cooperation at all.
            return user.has_role(Role.BROKER, Role.ENTERPRISE_MEMBER, Role.UNIVERSITY_STAFF, Role.RESEARCHER)
        coops = restrict(Cooperation.objects.all(), user, action)
        return Q(**{f"{path}__in": coops.values("pk")})

    return policy


@register(CooperationEvent)
def event_policy(user: Any, action: str) -> Q | bool:
    """The timeline is written by the services only."""
    if action != VIEW:
        return False
    return _via_cooperation("cooperation")(user, VIEW)



register(Agreement)(_via_cooperation("cooperation"))
register(Project)(_via_cooperation("agreement__cooperation"))
register(Milestone)(_via_cooperation("project__agreement__cooperation"))
register(TransferDeal)(_via_cooperation("cooperation"))
register(DealPayment)(_via_cooperation("deal__cooperation"))


def _terms_q(user: Any, path: str) -> Q:
    return Q(**{f"{path}__in": Cooperation.objects.filter(party_q(user)).values("pk")})


@register(FundingReceipt)
def funding_policy(user: Any, action: str) -> Q | bool:
    """Funding rows are amounts: parties only."""
    if action == ADD:
        return user.has_role(Role.ENTERPRISE_MEMBER, Role.UNIVERSITY_STAFF, Role.RESEARCHER)
    return _terms_q(user, "project__agreement__cooperation")


@register(AgreementDocument)
def document_policy(user: Any, action: str) -> Q | bool:
    """Signed documents carry the confidential terms: the parties only (brokers may upload them)."""
    if action == VIEW:
        return _terms_q(user, "agreement__cooperation")
    if action == ADD:
        return user.has_role(Role.BROKER, Role.ENTERPRISE_MEMBER, Role.UNIVERSITY_STAFF, Role.RESEARCHER)
    if action == DELETE:
        return Q(uploaded_by_id=user.pk) & _terms_q(user, "agreement__cooperation")
    return False


@register(ProjectEvaluation)
def evaluation_policy(user: Any, action: str) -> Q | bool:
    """Everyone who sees the project sees the ratings; a side rates for its own organization only."""
    if action == VIEW:
        return _via_cooperation("project__agreement__cooperation")(user, VIEW)
    if action == ADD:
        return bool(member_organization_ids(user))
    return Q(by_id=user.pk)


@register(AuditEntry)
def audit_policy(user: Any, action: str) -> Q | bool:
    """The audit trail is read by those who see the cooperation; nobody writes it but the services."""
    if action != VIEW:
        return False
    meetings = restrict(Meeting.objects.all(), user, VIEW).values("pk")
    items = restrict(ActionItem.objects.all(), user, VIEW).values("pk")
    return (Q(cooperation__in=restrict(Cooperation.objects.all(), user, VIEW).values("pk"))
            | Q(model="meeting", object_id__in=meetings) | Q(model="actionitem", object_id__in=items))


@register(Meeting)
def meeting_policy(user: Any, action: str) -> Q | bool:
    if action == ADD:
        return user.has_role(Role.BROKER, Role.ENTERPRISE_MEMBER, Role.UNIVERSITY_STAFF, Role.RESEARCHER,
                             Role.GOVERNMENT_OFFICER)
    if action == VIEW:
        coops = restrict(Cooperation.objects.all(), user, VIEW)
        return (Q(cooperations__in=coops.values("pk")) | Q(created_by_id=user.pk)
                | Q(organizer_id__in=member_organization_ids(user)) | Q(participants__user_id=user.pk)
                | Q(participant_organizations__in=member_organization_ids(user)))
    coops = restrict(Cooperation.objects.all(), user, CHANGE)
    q = Q(created_by_id=user.pk) | Q(organizer_id__in=member_organization_ids(user))
    if action == CHANGE:
        q |= Q(cooperations__in=coops.values("pk"))
    return q


@register(ActionItem)
def action_item_policy(user: Any, action: str) -> Q | bool:
    if action == ADD:
        return user.has_role(Role.BROKER, Role.ENTERPRISE_MEMBER, Role.UNIVERSITY_STAFF, Role.RESEARCHER,
                             Role.GOVERNMENT_OFFICER)
    own = Q(owner_user_id=user.pk) | Q(owner_person__user_id=user.pk)
    meetings = restrict(Meeting.objects.all(), user, VIEW if action == VIEW else CHANGE)
    coops = restrict(Cooperation.objects.all(), user, VIEW if action == VIEW else CHANGE)
    q = Q(meeting__in=meetings.values("pk")) | Q(cooperation__in=coops.values("pk"))
    if action in (VIEW, CHANGE):
        q |= own
    return q
