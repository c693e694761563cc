"""Write the fictional demo world into the database.

``demo_load()`` runs in one transaction and is idempotent: rows are matched by natural keys
(Organization by ``(name, is_fictional=True)``, Person by ``external_id`` "demo:person:NNN", Major by
``(college, name, degree_level)``, User by ``username``, Membership by ``(user, organization, role)``), so a
second run changes nothing. Passwords are only set when a demo user is created.

Later apps add their part of the demo (needs, achievements, publications, meetings…) by appending a callable
to ``EXTRA_LOADERS``; each is called as ``loader(world, progress)`` at the end of ``demo_load``, inside the same
transaction, and can map the world's keys to rows with ``demo_index(world)``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from qiao.accounts.models import Membership, User
from qiao.directory.models import Discipline, IndustryCategory, Major, Organization, Person, Region

from .world import DEMO_USERNAMES, World, build_world

Progress = Callable[[str, int, int], None]
ExtraLoader = Callable[[World, Progress], None]

#: Loaders appended by other apps (catalog, cooperation, …); called as ``loader(world, progress)``.
EXTRA_LOADERS: list[ExtraLoader] = []

UNDERGRAD_MAJORS = Path(__file__).resolve().parent.parent / "directory" / "data" / "undergrad_majors.json"


class TaxonomiesNotLoaded(RuntimeError):
    """The demo needs the official taxonomies (industries, disciplines, regions) in the database."""


@dataclass
class DemoSummary:
    seed: int
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def __str__(self) -> str:
        parts = []
        for name, total in self.totals.items():
            delta = [f"+{self.created[name]}" for _ in [0] if name in self.created]
            delta += [f"~{self.updated[name]}" for _ in [0] if name in self.updated]
            parts.append(f"{name}: {total}" + (f" ({', '.join(delta)})" if delta else ""))
        return f"demo world (seed {self.seed}) — " + ", ".join(parts)


@dataclass
class DemoIndex:
    """The database rows of a loaded world, by the world's keys."""

    organizations: dict[str, Organization]
    people: dict[str, Person]
    users: dict[str, User]
    industries: dict[str, IndustryCategory]
    disciplines: dict[str, Discipline]


def _noop(stage: str, done: int, total: int) -> None:
    return None


# --------------------------------------------------------------------------------------------- helpers


def _sync(instance: Any, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``instance``; return whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _sync_m2m(relation: Any, owners: dict[int, set[int]]) -> int:
    """Make the m2m rows of ``relation`` (e.g. ``Person.disciplines``) for the owner ids equal ``owners``.

    Returns the number of rows added or removed.
    """
    through = relation.through
    source = relation.field.m2m_field_name()
    target = relation.field.m2m_reverse_field_name()
    existing: dict[int, set[int]] = {pk: set() for pk in owners}
    for left, right in through.objects.filter(**{f"{source}_id__in": list(owners)}).values_list(
        f"{source}_id", f"{target}_id"
    ):
        existing[left].add(right)
    to_add, removed = [], 0
    for pk, wanted in owners.items():
        have = existing[pk]
        for right in sorted(wanted - have):
            to_add.append(through(**{f"{source}_id": pk, f"{target}_id": right}))
        extra = have - wanted
        if extra:
            removed += through.objects.filter(**{f"{source}_id": pk, f"{target}_id__in": extra}).delete()[0]
    through.objects.bulk_create(to_add)
    return len(to_add) + removed


def _lookup(model: Any, codes: Iterable[str], what: str) -> dict[str, Any]:
    wanted = set(codes)
    found = {obj.code: obj for obj in model.objects.filter(code__in=wanted)}
    missing = sorted(wanted - set(found))
    if missing:
        raise TaxonomiesNotLoaded(
            f"The demo world needs the official taxonomies, but {len(missing)} {what} code(s) are not in the "
            f"database (e.g. {', '.join(missing[:8])}). Load them first with `python -m qiao.manage migrate` "
            "(migration directory.0002_load_taxonomies) or `python -m qiao.manage load_taxonomies`. / "
            f"演示数据需要官方分类标准，数据库中缺少 {len(missing)} 个{what}代码，请先运行 migrate 或 load_taxonomies。"
        )
    return found


def _major_catalogue() -> dict[str, tuple[str, str]]:
    """Real undergraduate major names by code, from directory/data/undergrad_majors.json if present."""
    if not UNDERGRAD_MAJORS.exists():
        return {}
    try:
        rows = json.loads(UNDERGRAD_MAJORS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {r["code"]: (r.get("name_zh", ""), r.get("name_en", "")) for r in rows if r.get("code")}


# --------------------------------------------------------------------------------------------- the loader


def demo_load(*, world: World | None = None, progress: Progress | None = None, seed: int = 2026,
              reset_passwords: bool = False) -> DemoSummary:
    """Load the demo world (``build_world(seed)`` unless ``world`` is given) in one transaction; idempotent.

    Demo users get the shared demo password when they are created; ``reset_passwords`` sets it again on users
    that already exist (e.g. an ``admin`` made earlier with ``createsuperuser``).
    """
    world = world or build_world(seed)
    progress = progress or _noop
    summary = DemoSummary(seed=world.seed)
    with transaction.atomic():
        taxa = _load_taxonomy_refs(world, progress)
        orgs = _load_organizations(world, taxa, summary, progress)
        people = _load_people(world, orgs, taxa, summary, progress)
        _load_majors(world, orgs, taxa, summary, progress)
        _load_users(world, orgs, people, summary, progress, reset_passwords=reset_passwords)
        for loader in EXTRA_LOADERS:
            loader(world, progress)
        summary.totals = demo_summary()
    return summary


def _load_taxonomy_refs(world: World, progress: Progress) -> dict[str, dict[str, Any]]:
    progress("taxonomies", 0, 3)
    industries = {c for o in world.organizations for c in o.industries} | {c for m in world.majors for c in m.industries}
    industries |= {c for a in world.achievements for c in a.industries} | {c for n in world.needs for c in n.industries}
    disciplines = {c for o in world.organizations for c in o.disciplines} | {c for p in world.people for c in p.disciplines}
    disciplines |= {m.discipline for m in world.majors if m.discipline}
    disciplines |= {c for a in world.achievements for c in a.disciplines} | {c for n in world.needs for c in n.disciplines}
    regions = {o.region for o in world.organizations if o.region}
    taxa = {
        "industries": _lookup(IndustryCategory, industries, "GB/T 4754 industry / 行业"),
        "disciplines": _lookup(Discipline, disciplines, "MoE discipline / 学科"),
        "regions": _lookup(Region, regions, "GB/T 2260 region / 行政区划"),
    }
    progress("taxonomies", 3, 3)
    return taxa


ORG_FIELDS = (
    "name_en", "kind", "short_name", "description", "description_en", "website", "address", "credit_code", "size",
    "is_high_tech", "specialised_level", "founded", "employees",
)


def _load_organizations(world: World, taxa: dict[str, dict[str, Any]], summary: DemoSummary,
                        progress: Progress) -> dict[str, Organization]:
    specs = world.organizations
    existing = {o.name: o for o in Organization.objects.filter(is_fictional=True, name__in=[s.name for s in specs])}
    rows: dict[str, Organization] = {}
    created = updated = 0
    total = len(specs)
    for i, spec in enumerate(specs, start=1):  # parents come before their children in the world
        values = {f: getattr(spec, f) or ("" if f not in ("founded", "employees") else None) for f in ORG_FIELDS}
        values["is_high_tech"] = spec.is_high_tech
        values["parent"] = rows[spec.parent] if spec.parent else None
        values["region"] = taxa["regions"][spec.region] if spec.region else None
        org = existing.get(spec.name)
        if org is None:
            org = Organization(name=spec.name, is_fictional=True, **values)
            org.full_clean()
            org.save()
            created += 1
        elif _sync(org, values):
            org.full_clean()
            org.save()
            updated += 1
        rows[spec.key] = org
        if i % 20 == 0 or i == total:
            progress("organizations", i, total)
    inds, discs = taxa["industries"], taxa["disciplines"]
    _sync_m2m(Organization.industries, {rows[s.key].pk: {inds[c].pk for c in s.industries} for s in specs})
    _sync_m2m(Organization.disciplines, {rows[s.key].pk: {discs[c].pk for c in s.disciplines} for s in specs})
    summary.created["organizations"], summary.updated["organizations"] = created, updated
    return rows


def _load_people(world: World, orgs: dict[str, Organization], taxa: dict[str, dict[str, Any]],
                 summary: DemoSummary, progress: Progress) -> dict[str, Person]:
    specs = world.people
    total = len(specs)
    existing = {p.external_id: p for p in Person.objects.filter(external_id__in=[s.key for s in specs])}
    new, changed = [], []
    for spec in specs:
        values = {
            "name": spec.name, "name_en": spec.name_en, "kind": spec.kind, "organization": orgs[spec.organization],
            "title": spec.display_title[:100], "email": spec.email, "orcid": spec.orcid,
            "expertise_keywords": list(spec.expertise_keywords), "bio": spec.bio, "bio_en": spec.bio_en,
            "is_fictional": True,
        }
        person = existing.get(spec.key)
        if person is None:
            new.append(Person(external_id=spec.key, **values))
        elif _sync(person, values):
            changed.append(person)
    progress("people", total // 2, total)
    Person.objects.bulk_create(new, batch_size=500)
    if changed:
        Person.objects.bulk_update(changed, ["name", "name_en", "kind", "organization", "title", "email", "orcid",
                                             "expertise_keywords", "bio", "bio_en", "is_fictional"], batch_size=500)
    rows = {p.external_id: p for p in Person.objects.filter(external_id__in=[s.key for s in specs])}
    discs = taxa["disciplines"]
    _sync_m2m(Person.disciplines, {rows[s.key].pk: {discs[c].pk for c in s.disciplines} for s in specs})
    _sync_m2m(Person.affiliations, {rows[s.key].pk: {orgs[k].pk for k in s.affiliations} for s in specs})
    progress("people", total, total)
    summary.created["people"], summary.updated["people"] = len(new), len(changed)
    return rows


def _load_majors(world: World, orgs: dict[str, Organization], taxa: dict[str, dict[str, Any]],
                 summary: DemoSummary, progress: Progress) -> None:
    catalogue = _major_catalogue()
    colleges = [orgs[m.college] for m in world.majors]
    existing = {(m.college_id, m.name, m.degree_level): m for m in Major.objects.filter(college__in=colleges)}
    created = updated = 0
    rows: dict[str, Major] = {}
    for spec in world.majors:
        name, name_en = spec.name, spec.name_en
        if spec.degree_level == "bachelor" and spec.code in catalogue:  # prefer the official catalogue's names
            name, name_en = catalogue[spec.code][0] or name, catalogue[spec.code][1] or name_en
        college = orgs[spec.college]
        values = {"name_en": name_en, "code": spec.code, "discipline": taxa["disciplines"].get(spec.discipline),
                  "students": spec.students, "description": spec.description}
        major = existing.get((college.pk, name, spec.degree_level))
        if major is None:
            major = Major.objects.create(college=college, name=name, degree_level=spec.degree_level, **values)
            created += 1
        elif _sync(major, values):
            major.save()
            updated += 1
        rows[spec.key] = major
    inds = taxa["industries"]
    _sync_m2m(Major.industries, {rows[s.key].pk: {inds[c].pk for c in s.industries} for s in world.majors})
    progress("majors", len(world.majors), len(world.majors))
    summary.created["majors"], summary.updated["majors"] = created, updated


def _load_users(world: World, orgs: dict[str, Organization], people: dict[str, Person], summary: DemoSummary,
                progress: Progress, *, reset_passwords: bool = False) -> None:
    created = updated = memberships = memberships_updated = links = 0
    total = len(world.logins)
    for i, login in enumerate(world.logins, start=1):
        person = people.get(login.person) if login.person else None
        values = {
            "display_name": login.display_name, "is_superuser": login.is_superuser, "is_staff": login.is_superuser,
            "preferred_language": login.preferred_language, "is_active": True,
            "email": person.email if person else f"{login.username}@demo.example.org",
        }
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user = User(username=login.username, **values)
            user.set_password(world.password)
            user.full_clean()
            user.save()
            created += 1
        else:
            changed = _sync(user, values)
            if reset_passwords and not user.check_password(world.password):
                user.set_password(world.password)
                changed = True
            if changed:
                user.save()
                updated += 1
        if login.organization and login.role != "admin":
            membership, made = Membership.objects.get_or_create(
                user=user, organization=orgs[login.organization], role=login.role,
                defaults={"is_manager": login.is_manager, "title": login.title},
            )
            if made:
                memberships += 1
            elif _sync(membership, {"is_manager": login.is_manager, "title": login.title}):
                membership.save()
                memberships_updated += 1
        if person is not None and person.user_id != user.pk:
            Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
            person.user = user
            person.save(update_fields=["user", "updated"])
            links += 1
        progress("users", i, total)
    summary.created["users"], summary.created["memberships"] = created, memberships
    summary.updated["users"], summary.updated["memberships"] = updated, memberships_updated
    summary.updated["people"] = summary.updated.get("people", 0) + links


# --------------------------------------------------------------------------------------------- queries


def demo_index(world: World) -> DemoIndex:
    """Map the world's keys to the loaded rows (for EXTRA_LOADERS and tests)."""
    by_name = {o.name: o for o in Organization.objects.filter(is_fictional=True,
                                                              name__in=[s.name for s in world.organizations])}
    people = {p.external_id: p for p in Person.objects.filter(external_id__in=[s.key for s in world.people])}
    return DemoIndex(
        organizations={s.key: by_name[s.name] for s in world.organizations if s.name in by_name},
        people=people,
        users={u.username: u for u in User.objects.filter(username__in=[lg.username for lg in world.logins])},
        industries={c.code: c for c in IndustryCategory.objects.all()},
        disciplines={d.code: d for d in Discipline.objects.all()},
    )


def demo_summary() -> dict[str, int]:
    """Counts of the demo rows in the database."""
    demo_users = User.objects.filter(username__in=DEMO_USERNAMES)
    return {
        "organizations": Organization.objects.filter(is_fictional=True).count(),
        "enterprises": Organization.objects.filter(is_fictional=True, kind="enterprise").count(),
        "people": Person.objects.filter(is_fictional=True).count(),
        "researchers": Person.objects.filter(is_fictional=True, kind="researcher").count(),
        "majors": Major.objects.filter(college__is_fictional=True).count(),
        "users": demo_users.count(),
        "memberships": Membership.objects.filter(user__in=demo_users).count(),
    }


