"""Writes for the directory. Each service checks permission, validates fully and runs in a transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from qiao.core.permissions import ADD, CHANGE, can

from .models import Major, Organization, Person
from .selectors import managed_organization_ids

ORGANIZATION_FIELDS = {
    "name", "name_en", "short_name", "kind", "parent", "region", "description", "description_en", "website",
    "address", "credit_code", "size", "is_high_tech", "specialised_level", "founded", "employees",
}
PERSON_FIELDS = {
    "name", "name_en", "kind", "organization", "title", "email", "phone", "orcid", "expertise_keywords",
    "bio", "bio_en", "opted_out_of_matching", "external_id",
}


def _apply(instance: Any, data: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(data) - allowed - {"industries", "disciplines", "affiliations"}
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    for field, value in data.items():
        if field in allowed:
            setattr(instance, field, value)


def _set_m2m(instance: Any, data: dict[str, Any]) -> None:
    for field in ("industries", "disciplines", "affiliations"):
        if field in data and data[field] is not None:
            getattr(instance, field).set(data[field])


def _may_place_under(by: Any, parent: Organization | None) -> bool:
    return by.is_superuser or parent is None or parent.pk in managed_organization_ids(by) or by.has_role("broker")


@transaction.atomic
def organization_create(*, by: Any, **data: Any) -> Organization:
    if not can(by, ADD, Organization) or not _may_place_under(by, data.get("parent")):
        raise PermissionDenied
    org = Organization()
    _apply(org, data, ORGANIZATION_FIELDS)
    org.full_clean()
    org.save()
    _set_m2m(org, data)
    from qiao.accounts.models import Membership

    if not by.is_superuser and data.get("parent") is None:
        # Whoever registers a stand-alone organization manages it until they hand it over.
        Membership.objects.get_or_create(
            user=by, organization=org, role=by.memberships.values_list("role", flat=True).first() or "enterprise_member",
            defaults={"is_manager": True},
        )
    return org


@transaction.atomic
def organization_update(*, organization: Organization, by: Any, **data: Any) -> Organization:
    if not can(by, CHANGE, organization):
        raise PermissionDenied
    if "parent" in data and data["parent"] != organization.parent and not _may_place_under(by, data["parent"]):
        raise PermissionDenied
    _apply(organization, data, ORGANIZATION_FIELDS)
    organization.full_clean()
    organization.save()
    _set_m2m(organization, data)
    return organization


@transaction.atomic
def person_create(*, by: Any, **data: Any) -> Person:
    org = data.get("organization")
    if not can(by, ADD, Person) or org is None or not (
        by.is_superuser or org.pk in managed_organization_ids(by) or by.has_role("broker")
    ):
        raise PermissionDenied
    person = Person()
    _apply(person, data, PERSON_FIELDS)
    person.full_clean()
    person.save()
    _set_m2m(person, data)
    return person


@transaction.atomic
def person_update(*, person: Person, by: Any, **data: Any) -> Person:
    if not can(by, CHANGE, person):
        raise PermissionDenied
    new_org = data.get("organization")
    if new_org is not None and new_org != person.organization and not (
        by.is_superuser or new_org.pk in managed_organization_ids(by)
    ):
        raise PermissionDenied
    _apply(person, data, PERSON_FIELDS)
    person.full_clean()
    person.save()
    _set_m2m(person, data)
    return person


@transaction.atomic
def major_create(*, by: Any, college: Organization, name: str, name_en: str = "", code: str = "",
                 discipline: Any = None, degree_level: str = "bachelor", students: int | None = None,
                 description: str = "", industries: list[Any] | None = None) -> Major:
    if not can(by, ADD, Major) or not (by.is_superuser or college.pk in managed_organization_ids(by)):
        raise PermissionDenied
    major = Major(college=college, name=name, name_en=name_en, code=code, discipline=discipline,
                  degree_level=degree_level, students=students, description=description)
    major.full_clean()
    major.save()
    if industries:
        major.industries.set(industries)
    return major
