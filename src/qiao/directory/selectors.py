"""Reads for the directory: lists with search and filters, trees, and who manages what."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from qiao.core.permissions import VIEW, restrict

from .models import Discipline, IndustryCategory, Major, Organization, Person


def demo_mode() -> bool:
    """True when the fictional demo world is loaded (the layout then says so)."""
    return Organization.objects.filter(is_fictional=True).exists()


def organization_subtree_ids(root_ids: set[int]) -> set[int]:
    """The given organizations and all their descendants (the tree is shallow; one query per level)."""
    seen = set(root_ids)
    frontier = set(root_ids)
    while frontier:
        children = set(Organization.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - seen
        seen |= children
        frontier = children
    return seen


def managed_organization_ids(user: Any) -> set[int]:
    """Organizations a user manages: where they are a manager, and a university staff member's university,
    each with its descendants. Cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_managed_org_ids", None)
    if cached is not None:
        return cached
    from qiao.accounts.models import Role

    roots = set(
        user.memberships.filter(Q(is_manager=True) | Q(role=Role.UNIVERSITY_STAFF)).values_list(
            "organization_id", flat=True
        )
    )
    result = organization_subtree_ids(roots) if roots else set()
    user._managed_org_ids = result
    return result


def member_organization_ids(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_member_org_ids", None)
    if cached is None:
        cached = set(user.memberships.values_list("organization_id", flat=True))
        user._member_org_ids = cached
    return cached


def organization_list(*, user: Any, q: str = "", kind: str = "", region: str = "", industry: str = "",
                      parent: int | None = None, specialised: str = "") -> QuerySet[Organization]:
    qs = restrict(Organization.objects.all(), user, VIEW).select_related("region", "parent")
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(name_en__icontains=q) | Q(short_name__icontains=q)
            | Q(description__icontains=q) | Q(description_en__icontains=q) | Q(credit_code__iexact=q)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(Q(region__code=region) | Q(region__parent__code=region))
    if industry:
        qs = qs.filter(Q(industries__code=industry) | Q(industries__parent__code=industry)).distinct()
    if parent:
        qs = qs.filter(parent_id=parent)
    if specialised:
        qs = qs.filter(specialised_level=specialised)
    return qs.order_by("kind", "name")


def person_list(*, user: Any, q: str = "", kind: str = "", organization: int | None = None,
                discipline: str = "") -> QuerySet[Person]:
    qs = restrict(Person.objects.all(), user, VIEW).select_related("organization", "organization__parent")
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(name_en__icontains=q) | Q(title__icontains=q)
            | Q(expertise_keywords__icontains=q) | Q(bio__icontains=q) | Q(bio_en__icontains=q)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if organization:
        qs = qs.filter(
            Q(organization_id=organization) | Q(organization__parent_id=organization)
        )
    if discipline:
        qs = qs.filter(Q(disciplines__code=discipline) | Q(disciplines__parent__code=discipline)).distinct()
    return qs.order_by("name")


def major_list(*, user: Any, q: str = "", college: int | None = None, discipline: str = "") -> QuerySet[Major]:
    qs = restrict(Major.objects.all(), user, VIEW).select_related("college", "college__parent", "discipline")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(name_en__icontains=q) | Q(code__icontains=q))
    if college:
        qs = qs.filter(Q(college_id=college) | Q(college__parent_id=college))
    if discipline:
        qs = qs.filter(Q(discipline__code=discipline) | Q(discipline__parent__code=discipline))
    return qs


def industry_tree() -> list[IndustryCategory]:
    return list(
        IndustryCategory.objects.filter(level=IndustryCategory.Level.SECTION).prefetch_related("children")
    )


def discipline_tree() -> list[Discipline]:
    return list(Discipline.objects.filter(level=Discipline.Level.CATEGORY).prefetch_related("children"))


def organization_counts_by_kind(*, user: Any) -> dict[str, int]:
    rows = restrict(Organization.objects.all(), user, VIEW).values("kind").annotate(n=Count("pk"))
    return {row["kind"]: row["n"] for row in rows}
