"""Records → engine documents. The only place that knows how a need, a researcher, an achievement, a capability
or a major is written into the search index.

Every document carries ``attrs`` the engine filters on (exact match, any-of):

- ``type``: person / achievement / capability / need / major (a researcher's publications and profile are "person");
- ``vis``: audience tokens (``qiao.catalog.selectors``): who may see the record. A search passes the user's tokens
  (``user_audience_tokens``) so that a record the user may not see is never scored, counted or explained;
- ``org``: the organization and its ancestors; ``region``: its region code and the region's ancestors;
  ``org_kind``: the organization's kind; ``kind``: the record's own kind (need kind, achievement kind, …);
- ``open``: "yes" for needs that are open (published / in talks) and capabilities open to enterprises.

People who opted out of matching are not indexed at all (their achievements are, without an owner), so no filter
can forget them. Only researchers and teachers are indexed as experts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from qiao.catalog.models import OPEN_NEED_STATUSES, Achievement, Capability, Need, Publication
from qiao.catalog.selectors import achievement_audience_tokens, need_audience_tokens
from qiao.directory.models import Major, Organization, Person, PersonKind, Region
from qiao.matching.engine import Document

#: Bump when the shape of documents changes: a saved index with another version is rebuilt.
SCHEMA_VERSION = 1
RECORD_KINDS = ("need", "achievement", "capability", "person", "major")
EXPERT_KINDS = (PersonKind.RESEARCHER, PersonKind.TEACHER)
MEMBERS_ONLY: list[str] = ["members"]  # the directory and capabilities are for signed-in users


def record_key(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def person_owner(pk: int) -> str:
    return f"person:{pk}"


def parse_owner(owner: str) -> tuple[str, int]:
    kind, _, pk = owner.partition(":")
    return kind, int(pk)


@dataclass
class OrgTree:
    """Organizations' parents, kinds and regions, loaded once (two queries) per rebuild or sync."""

    parent: dict[int, int | None]
    kind: dict[int, str]
    region: dict[int, int | None]
    region_parent: dict[int, int | None]
    region_code: dict[int, str]

    @classmethod
    def load(cls) -> OrgTree:
        parent: dict[int, int | None] = {}
        kind: dict[int, str] = {}
        region: dict[int, int | None] = {}
        for pk, parent_id, org_kind, region_id in Organization.objects.values_list("pk", "parent_id", "kind",
                                                                                  "region_id"):
            parent[pk], kind[pk], region[pk] = parent_id, org_kind, region_id
        region_parent: dict[int, int | None] = {}
        region_code: dict[int, str] = {}
        for pk, parent_id, code in Region.objects.values_list("pk", "parent_id", "code"):
            region_parent[pk], region_code[pk] = parent_id, code
        return cls(parent, kind, region, region_parent, region_code)

    def snapshot(self) -> dict[str, list[Any]]:
        """What documents depend on, per organization (an edit that changes it needs a rebuild)."""
        return {str(pk): [self.parent[pk], self.kind[pk], self.region[pk]] for pk in self.parent}

    def chain(self, org_id: int | None) -> list[int]:
        """The organization and its ancestors."""
        out: list[int] = []
        while org_id is not None and org_id not in out and len(out) < 20:
            out.append(org_id)
            org_id = self.parent.get(org_id)
        return out

    def regions(self, org_id: int | None) -> list[str]:
        """The region codes of the organization (or its nearest ancestor with a region) and their ancestors."""
        region_id = next((self.region.get(o) for o in self.chain(org_id) if self.region.get(o)), None)
        codes: list[str] = []
        while region_id is not None and len(codes) < 6:
            codes.append(self.region_code[region_id])
            region_id = self.region_parent.get(region_id)
        return codes

    def attrs(self, org_id: int | None) -> dict[str, str | list[str]]:
        return {
            "org": [str(o) for o in self.chain(org_id)],
            "region": self.regions(org_id),
            "org_kind": [self.kind[org_id]] if org_id is not None and org_id in self.kind else [],
        }


def _join(*parts: object) -> str:
    return "\n".join(str(p).strip() for p in parts if p and str(p).strip())


def _names(objs: Iterable[object]) -> str:
    return " ".join(_join(getattr(o, "name", ""), getattr(o, "name_en", "")).replace("\n", " ") for o in objs)


# --- one function per record kind; each returns the record's complete list of documents ---

def _need_parts(need: Need) -> tuple[str, str]:
    title_en = getattr(need, "title_en", "")  # bilingual needs (title_en / description_en) when present
    title = _join(need.title, title_en if title_en != need.title else "").replace("\n", " / ")
    text = _join(need.description, getattr(need, "description_en", ""), _names(need.industries.all()),
                 _names(need.disciplines.all()))
    return title, text


def need_documents(need: Need, tree: OrgTree) -> list[Document]:
    title, text = _need_parts(need)
    attrs = {"type": "need", "vis": need_audience_tokens(need), "kind": need.kind,
             "open": "yes" if need.status in OPEN_NEED_STATUSES else "no", **tree.attrs(need.owner_id)}
    return [Document(f"need:{need.pk}", f"need:{need.pk}", title, text, need.created.year, attrs)]


def need_query_text(need: Need) -> tuple[str, str]:
    """(title, text) of the engine query for a need (the same words its own document has)."""
    return _need_parts(need)


def achievement_documents(achievement: Achievement, tree: OrgTree) -> list[Document]:
    owner = achievement.owner
    expert = owner.kind in EXPERT_KINDS and not owner.opted_out_of_matching
    title = _join(achievement.title, achievement.title_en if achievement.title_en != achievement.title else "")
    text = _join(achievement.description, achievement.description_en, achievement.applications,
                 _names(achievement.industries.all()), _names(achievement.disciplines.all()))
    attrs = {"type": "achievement", "vis": achievement_audience_tokens(achievement), "kind": achievement.kind,
             **tree.attrs(achievement.organization_id)}
    return [Document(f"achievement:{achievement.pk}", person_owner(owner.pk) if expert else None,
                     title.replace("\n", " / "), text, achievement.year, attrs)]


def capability_documents(capability: Capability, tree: OrgTree) -> list[Document]:
    attrs = {"type": "capability", "vis": MEMBERS_ONLY, "kind": capability.kind,
             "open": "yes" if capability.open_to_enterprises else "no", **tree.attrs(capability.organization_id)}
    title = _join(capability.name, capability.name_en).replace("\n", " / ")
    text = _join(capability.description, _names(capability.industries.all()))
    return [Document(f"capability:{capability.pk}", f"org:{capability.organization_id}", title, text, None, attrs)]


def person_documents(person: Person, tree: OrgTree, publications: Iterable[Publication] | None = None) -> list[Document]:
    """A researcher: a profile document (keywords, bio) plus one per publication not hidden from matching.
    Pinned publications say the title twice, so the researcher's key work weighs more."""
    if person.opted_out_of_matching or person.kind not in EXPERT_KINDS:
        return []
    owner = person_owner(person.pk)
    base = {"type": "person", "vis": MEMBERS_ONLY, "kind": person.kind, **tree.attrs(person.organization_id)}
    keywords = " ".join(person.expertise_keywords or [])
    docs = []
    profile_text = _join(person.name, person.name_en, person.title, person.bio, person.bio_en,
                         _names(person.disciplines.all()))
    if keywords or profile_text:
        docs.append(Document(f"person:{person.pk}:profile", owner, keywords, profile_text, None,
                             {**base, "part": "profile"}))
    if publications is None:
        publications = person.publications.filter(hidden_from_matching=False)
    for pub in publications:
        if pub.hidden_from_matching:
            continue
        text = _join(pub.title if pub.pinned else "", pub.abstract, " ".join(pub.keywords or []), pub.venue)
        docs.append(Document(f"publication:{pub.pk}", owner, pub.title, text, pub.year,
                             {**base, "part": "publication", "pinned": "yes" if pub.pinned else "no"}))
    return docs


def major_documents(major: Major, tree: OrgTree) -> list[Document]:
    title = _join(major.name, major.name_en).replace("\n", " / ")
    discipline = [major.discipline] if major.discipline_id else []
    text = _join(major.description, _names(discipline), _names(major.industries.all()))
    attrs = {"type": "major", "vis": MEMBERS_ONLY, "kind": major.degree_level, **tree.attrs(major.college_id)}
    return [Document(f"major:{major.pk}", f"org:{major.college_id}", title, text, None, attrs)]


def documents_hash(docs: Iterable[Document]) -> str:
    """A stable hash of a record's documents (to skip a sync that would change nothing)."""
    import hashlib
    import json

    rows = [[d.id, d.owner, d.title, d.text, d.year, {k: d.attrs[k] for k in sorted(d.attrs)}] for d in docs]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:20]


# --- loading records from the database ---

def record_documents(kind: str, pk: int, tree: OrgTree) -> list[Document] | None:
    """The documents of one record, or None if the record no longer exists."""
    if kind == "need":
        need = Need.objects.select_related("owner").filter(pk=pk).first()
        return None if need is None else need_documents(need, tree)
    if kind == "achievement":
        achievement = Achievement.objects.select_related("owner").filter(pk=pk).first()
        return None if achievement is None else achievement_documents(achievement, tree)
    if kind == "capability":
        capability = Capability.objects.filter(pk=pk).first()
        return None if capability is None else capability_documents(capability, tree)
    if kind == "person":
        person = Person.objects.filter(pk=pk).first()
        return None if person is None else person_documents(person, tree)
    if kind == "major":
        major = Major.objects.select_related("discipline").filter(pk=pk).first()
        return None if major is None else major_documents(major, tree)
    raise ValueError(f"unknown record kind {kind!r}")


def all_records(tree: OrgTree) -> Iterator[tuple[str, list[Document]]]:
    """Every record's key and documents, with prefetching (a handful of queries per kind)."""
    needs = Need.objects.prefetch_related("industries", "disciplines", "named_organizations", "grants")
    for need in needs.iterator(chunk_size=500):
        yield record_key("need", need.pk), need_documents(need, tree)
    achievements = Achievement.objects.select_related("owner").prefetch_related("industries", "disciplines")
    for achievement in achievements.iterator(chunk_size=500):
        yield record_key("achievement", achievement.pk), achievement_documents(achievement, tree)
    for capability in Capability.objects.prefetch_related("industries").iterator(chunk_size=500):
        yield record_key("capability", capability.pk), capability_documents(capability, tree)
    pubs: dict[int, list[Publication]] = {}
    for pub in Publication.objects.filter(hidden_from_matching=False).order_by("person_id", "pk"):
        pubs.setdefault(pub.person_id, []).append(pub)
    people = Person.objects.filter(kind__in=EXPERT_KINDS, opted_out_of_matching=False).prefetch_related("disciplines")
    for person in people.iterator(chunk_size=500):
        yield record_key("person", person.pk), person_documents(person, tree, pubs.get(person.pk, []))
    majors = Major.objects.select_related("discipline").prefetch_related("industries")
    for major in majors.iterator(chunk_size=500):
        yield record_key("major", major.pk), major_documents(major, tree)


def record_total() -> int:
    from qiao.directory.models import Person as P

    return (Need.objects.count() + Achievement.objects.count() + Capability.objects.count()
            + P.objects.filter(kind__in=EXPERT_KINDS, opted_out_of_matching=False).count() + Major.objects.count())
