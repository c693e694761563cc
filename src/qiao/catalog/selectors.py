"""Reads for the catalog, always through ``restrict`` — and the audience tokens the search index filters on."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from qiao.accounts.models import Role
from qiao.core.permissions import VIEW, is_platform_admin, restrict
from qiao.directory.selectors import member_organization_ids

from .models import Achievement, Capability, Confidentiality, Need, Publication, Visibility
from .permissions import LISTED_STATUSES, member_and_ancestor_org_ids


def need_list(*, user: Any, q: str = "", kind: str = "", status: str = "", industry: str = "",
              owner: int | None = None, mine: bool = False) -> QuerySet[Need]:
    qs = restrict(Need.objects.all(), user, VIEW).select_related("owner")
    if mine:
        qs = qs.filter(Q(owner_id__in=member_organization_ids(user)) | Q(created_by_id=user.pk))
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(title_en__icontains=q) | Q(description__icontains=q)
                       | Q(description_en__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if industry:
        qs = qs.filter(Q(industries__code=industry) | Q(industries__parent__code=industry)).distinct()
    if owner:
        qs = qs.filter(owner_id=owner)
    return qs.order_by("-created")


def achievement_list(*, user: Any, q: str = "", kind: str = "", industry: str = "",
                     organization: int | None = None) -> QuerySet[Achievement]:
    qs = restrict(Achievement.objects.all(), user, VIEW).select_related("owner", "organization")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(title_en__icontains=q) | Q(description__icontains=q)
                       | Q(description_en__icontains=q) | Q(patent_number__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if industry:
        qs = qs.filter(Q(industries__code=industry) | Q(industries__parent__code=industry)).distinct()
    if organization:
        qs = qs.filter(Q(organization_id=organization) | Q(organization__parent_id=organization))
    return qs.order_by("-created")


def capability_list(*, user: Any, q: str = "", kind: str = "") -> QuerySet[Capability]:
    qs = restrict(Capability.objects.all(), user, VIEW).select_related("organization", "contact")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(name_en__icontains=q) | Q(description__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def publications_of(*, person: Any, user: Any) -> QuerySet[Publication]:
    return restrict(Publication.objects.filter(person=person), user, VIEW)


# --- audience tokens: the same rule as permissions.need_view_q, in a form the search engine can filter on ---

def need_audience_tokens(need: Need) -> list[str]:
    """Who may see this need, as tokens stored with its index entry. Must agree with ``need_view_q``."""
    tokens = [f"member:{need.owner_id}"]
    if need.created_by_id:
        tokens.append(f"user:{need.created_by_id}")
    if need.status in LISTED_STATUSES:
        level = need.confidentiality
        if level == Confidentiality.PUBLIC:
            tokens.append("public")
        elif level == Confidentiality.MEMBERS:
            tokens.append("members")
        elif level == Confidentiality.NAMED:
            tokens += [f"within:{pk}" for pk in need.named_organizations.values_list("pk", flat=True)]
        elif level == Confidentiality.BROKERS:
            tokens.append("brokers")
        tokens += [f"user:{pk}" for pk in need.grants.values_list("user_id", flat=True)
                   if pk != need.created_by_id]
    return tokens


def achievement_audience_tokens(achievement: Achievement) -> list[str]:
    return ["public"] if achievement.visibility == Visibility.PUBLIC else ["members"]


def user_audience_tokens(user: Any) -> list[str] | None:
    """The tokens a user's search may match; None means no filter (platform admins)."""
    if is_platform_admin(user):
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ["public"]
    tokens = ["public", "members", f"user:{user.pk}"]
    tokens += [f"member:{pk}" for pk in member_organization_ids(user)]
    tokens += [f"within:{pk}" for pk in member_and_ancestor_org_ids(user)]
    if user.has_role(Role.BROKER):
        tokens.append("brokers")
    return tokens
