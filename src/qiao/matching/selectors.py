"""Reads of the matching domain: matches for a need, needs for a researcher, the broker's market, search.

Confidentiality is enforced twice, the same way everywhere:

1. every engine call that can return a need gets ``filters={"vis": user_audience_tokens(user), …}``, so a need the
   user may not see is never scored, ranked, counted or explained (no post-filtering of a wider result);
2. every need hit is re-checked with ``restrict(Need…, user)`` before anything of it is shown (a second guard, e.g.
   while an index update is still queued).

People are never suggested for a need of their own enterprise (or its sub-organizations), when they opted out of
matching (not indexed, and re-checked here), or when a conflict of interest with the need's enterprise (or an
ancestor of it) is declared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from qiao.accounts.models import Role
from qiao.catalog.models import OPEN_NEED_STATUSES, Achievement, Capability, Need, NeedKind
from qiao.catalog.selectors import user_audience_tokens
from qiao.core.permissions import VIEW, can, is_platform_admin, restrict
from qiao.directory.models import Major, Organization, Person
from qiao.matching.engine import Engine, Query

from . import index
from .documents import OrgTree, need_query_text, parse_owner
from .models import ConflictOfInterest

#: A need whose best expert scores below this (0-100, the engine's calibrated relevance) is a *gap* on the market:
#: nobody on the platform clearly fits, so a broker should look outside (or help the enterprise rephrase).
GAP_THRESHOLD = 40
MATCH_KINDS = ("person", "achievement", "capability", "major")
#: Explanations (matched terms, highlighted snippets) are lexical by nature; the lexical mode skips the dense
#: model, which makes each explanation about a third cheaper. Scores shown are the ranking's own (hybrid).
EXPLAIN_MODE: Literal["lexical"] = "lexical"
SEARCH_KINDS = ("need", "achievement", "person")
MAX_QUERY_CHARS = 200


def get_engine() -> Engine:
    """The process-wide engine, loaded from disk (rebuilt first if missing or stale)."""
    return index.loaded_index().engine


@dataclass
class Evidence:
    doc_id: str
    kind: str  # "publication" | "achievement" | "profile"
    title_html: str
    snippet_html: str
    score_100: int
    url: str = ""


@dataclass
class ExpertMatch:
    person: Person
    score_100: int
    matched_terms: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class ItemMatch:
    """An achievement, capability, major or need in a result list, with why it matched."""

    obj: Any
    kind: str
    score_100: int
    matched_terms: list[str] = field(default_factory=list)
    title_html: str = ""
    snippet_html: str = ""
    url: str = ""


@dataclass
class NeedMatches:
    need: Need
    experts: list[ExpertMatch] = field(default_factory=list)
    achievements: list[ItemMatch] = field(default_factory=list)
    capabilities: list[ItemMatch] = field(default_factory=list)
    majors: list[ItemMatch] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)


@dataclass
class MarketRow:
    need: Need
    experts: list[ExpertMatch]

    @property
    def best_score(self) -> int:
        return self.experts[0].score_100 if self.experts else 0


@dataclass
class Market:
    rows: list[MarketRow]
    gaps: list[MarketRow]
    threshold: int = GAP_THRESHOLD


@dataclass
class SearchResults:
    q: str
    needs: list[ItemMatch] = field(default_factory=list)
    achievements: list[ItemMatch] = field(default_factory=list)
    experts: list[ExpertMatch] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.needs) + len(self.achievements) + len(self.experts)


# --- helpers ---

def _url(obj: Any) -> str:
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""


def _vis_filters(user: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Engine filters for what ``user`` may see (admins: no "vis" key = everything), plus ``extra``."""
    tokens = user_audience_tokens(user)
    filters: dict[str, Any] = {} if tokens is None else {"vis": tokens}
    filters.update({k: v for k, v in (extra or {}).items() if v})
    return filters


def _place_filters(filters: dict[str, Any] | None) -> dict[str, str]:
    """The page's filters (region code, organization id, organization kind) as engine attrs."""
    filters = filters or {}
    out = {}
    if filters.get("region"):
        out["region"] = str(filters["region"])
    if filters.get("organization"):
        org = filters["organization"]
        out["org"] = str(getattr(org, "pk", org))
    if filters.get("org_kind"):
        out["org_kind"] = str(filters["org_kind"])
    return out


def _pk(doc_id: str) -> int:
    return int(doc_id.split(":")[1])


def _exclusions(needs: Sequence[Need], tree: OrgTree | None = None) -> dict[int, set[int]]:
    """Per need: the people never to suggest (own enterprise and its sub-organizations, declared conflicts)."""
    if not needs:
        return {}
    tree = tree or OrgTree.load()
    children: dict[int, list[int]] = {}
    for pk, parent in tree.parent.items():
        if parent is not None:
            children.setdefault(parent, []).append(pk)

    def subtree(root: int) -> set[int]:
        seen, stack = {root}, [root]
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    own = {need.pk: subtree(need.owner_id) for need in needs}
    all_orgs = set().union(*own.values())
    people_by_org: dict[int, set[int]] = {}
    for pk, org_id in Person.objects.filter(organization_id__in=all_orgs).values_list("pk", "organization_id"):
        people_by_org.setdefault(org_id, set()).add(pk)
    through = Person.affiliations.through
    for pk, org_id in through.objects.filter(organization_id__in=all_orgs).values_list("person_id", "organization_id"):
        people_by_org.setdefault(org_id, set()).add(pk)
    chains = {need.pk: set(tree.chain(need.owner_id)) for need in needs}
    conflicts: dict[int, set[int]] = {}
    for person_id, org_id in ConflictOfInterest.objects.filter(
            organization_id__in=set().union(*chains.values())).values_list("person_id", "organization_id"):
        conflicts.setdefault(org_id, set()).add(person_id)
    out = {}
    for need in needs:
        excluded: set[int] = set()
        for org_id in own[need.pk]:
            excluded |= people_by_org.get(org_id, set())
        for org_id in chains[need.pk]:
            excluded |= conflicts.get(org_id, set())
        out[need.pk] = excluded
    return out


def _need_query(need: Need) -> Query:
    title, text = need_query_text(need)
    return Query(text=text, title=title)


def _evidence_kind(doc_id: str) -> str:
    if doc_id.startswith("achievement:"):
        return "achievement"
    return "profile" if doc_id.endswith(":profile") else "publication"


def ranking_mode() -> Literal["hybrid", "lexical"]:
    """``settings.QIAO_MATCHING_MODE``: "hybrid" (default; uses the dense model when the index has vectors) or
    "lexical" (BM25F + the engine's latent signal only: no model call per query, several times faster on CPU)."""
    from django.conf import settings

    return "lexical" if getattr(settings, "QIAO_MATCHING_MODE", "hybrid") == "lexical" else "hybrid"


def _rank_experts(engine: Engine, loaded: index.LoadedIndex, query: Query, *, user: Any, filters: dict[str, Any],
                  excluded: set[int], top_k: int, mode: Literal["hybrid", "lexical"] | None = None,
                  ) -> list[tuple[int, Any]]:
    """(person pk, OwnerHit) best first, without the excluded people."""
    indexed_excluded = sum(1 for pk in excluded if f"person:{pk}" in loaded.docmap)
    hits = engine.rank_owners(query, top_k=top_k + indexed_excluded,
                              filters={**filters, "type": ["person", "achievement"]}, evidence=3,
                              mode=mode or ranking_mode())
    out = []
    for hit in hits:
        kind, pk = parse_owner(hit.owner)
        if kind == "person" and pk not in excluded:
            out.append((pk, hit))
    return out[:top_k]


def _hydrate_experts(ranked: list[tuple[int, Any]], user: Any) -> dict[int, Person]:
    ids = [pk for pk, _hit in ranked]
    people = restrict(Person.objects.filter(pk__in=ids, opted_out_of_matching=False), user, VIEW)
    return {p.pk: p for p in people.select_related("organization", "organization__parent")}


def _explained_experts(engine: Engine, query: Query, ranked: list[tuple[int, Any]], people: dict[int, Person],
                       filters: dict[str, Any], *, explain: bool) -> list[ExpertMatch]:
    experts = []
    for pk, hit in ranked:
        person = people.get(pk)
        if person is None:
            continue
        match = ExpertMatch(person, hit.score_100)
        if explain:
            ex = engine.explain(query, owner=hit.owner, filters={**filters, "type": ["person", "achievement"]},
                                max_evidence=3, mode=EXPLAIN_MODE)
            match.matched_terms = ex.matched_terms
            match.evidence = [Evidence(e.doc_id, _evidence_kind(e.doc_id), e.title_html, e.snippet_html, e.score_100)
                              for e in ex.evidence]
        experts.append(match)
    return experts


def _items(engine: Engine, query: Query | str, *, kind: str, model: Any, user: Any, filters: dict[str, Any],
           top_k: int, queryset: Any = None, skip: Iterable[int] = (),
           mode: Literal["hybrid", "lexical"] | None = None) -> list[ItemMatch]:
    """Search one record type and keep only the rows ``user`` may see (restrict), explained."""
    f = {**filters, "type": kind}
    skip = set(skip)
    hits = engine.search(query, top_k=top_k + len(skip), filters=f, mode=mode or ranking_mode())
    ids = [_pk(h.doc_id) for h in hits]
    qs = queryset if queryset is not None else model.objects.all()
    rows = {o.pk: o for o in restrict(qs.filter(pk__in=ids), user, VIEW)}
    out = []
    for hit in hits:
        obj = rows.get(_pk(hit.doc_id))
        if obj is None or obj.pk in skip:
            continue
        ex = engine.explain(query, doc_id=hit.doc_id, filters=f, max_evidence=1, mode=EXPLAIN_MODE)
        ev = ex.evidence[0] if ex.evidence else None
        out.append(ItemMatch(obj, kind, hit.score_100, ex.matched_terms, ev.title_html if ev else "",
                             ev.snippet_html if ev else "", _url(obj)))
        if len(out) >= top_k:
            break
    return out


# --- the selectors ---

def match_need(*, need: Need, user: Any, kinds: Sequence[str] = MATCH_KINDS, filters: dict[str, Any] | None = None,
               top_k: int = 10, items_k: int | None = None,
               mode: Literal["hybrid", "lexical"] | None = None) -> NeedMatches:
    """Experts (``top_k``), achievements, capabilities and, for talent needs, majors (``items_k`` each, default
    half of ``top_k``) that fit ``need``, each explained."""
    items_k = items_k or max(1, (top_k + 1) // 2)
    mode = mode or ranking_mode()
    if not can(user, VIEW, need):
        raise PermissionDenied
    loaded = index.loaded_index()
    engine = loaded.engine
    query = _need_query(need)
    place = _place_filters(filters)
    base = _vis_filters(user, place)
    result = NeedMatches(need, filters=place)
    if "person" in kinds:
        excluded = _exclusions([need])[need.pk]
        ranked = _rank_experts(engine, loaded, query, user=user, filters=base, excluded=excluded, top_k=top_k,
                              mode=mode)
        result.experts = _explained_experts(engine, query, ranked, _hydrate_experts(ranked, user), base, explain=True)
        if "achievement" in kinds:
            owners_excluded = Achievement.objects.filter(owner_id__in=excluded).values_list("pk", flat=True)
            result.achievements = _items(
                engine, query, kind="achievement", model=Achievement, user=user, filters=base, top_k=items_k,
                queryset=Achievement.objects.select_related("owner", "organization"), skip=owners_excluded, mode=mode)
    elif "achievement" in kinds:
        result.achievements = _items(engine, query, kind="achievement", model=Achievement, user=user, filters=base,
                                     top_k=items_k, queryset=Achievement.objects.select_related("owner", "organization"), mode=mode)
    if "capability" in kinds:
        result.capabilities = _items(engine, query, kind="capability", model=Capability, user=user,
                                     filters={**base, "open": "yes"}, top_k=items_k,
                                     queryset=Capability.objects.select_related("organization"), mode=mode)
    if "major" in kinds and need.kind == NeedKind.TALENT:
        result.majors = _items(engine, query, kind="major", model=Major, user=user, filters=base, top_k=items_k,
                               queryset=Major.objects.select_related("college", "college__parent"), mode=mode)
    return result


def _researcher_query(person: Person) -> Query | None:
    pubs = list(person.publications.filter(hidden_from_matching=False).only("title", "keywords", "pinned"))
    keywords = list(person.expertise_keywords or [])
    for pub in pubs:
        keywords += [k for k in pub.keywords or [] if k not in keywords]
    text = "\n".join([*(p.title for p in pubs), " ".join(keywords)]).strip()
    if not text:
        return None
    focus = " ".join(p.title for p in pubs if p.pinned)
    return Query(text=text, focus=focus)


def needs_for_researcher(*, person: Person, user: Any, top_k: int = 10) -> list[ItemMatch]:
    """Open needs that fit a researcher's non-hidden publications and keywords — only needs ``user`` may see."""
    query = _researcher_query(person)
    if query is None:
        return []
    engine = get_engine()
    filters = _vis_filters(user, {"open": "yes"})
    conflicted = set(ConflictOfInterest.objects.filter(person=person).values_list("organization_id", flat=True))
    queryset = Need.objects.filter(status__in=OPEN_NEED_STATUSES).select_related("owner", "owner__parent")
    if conflicted:
        tree = OrgTree.load()
        queryset = queryset.exclude(owner_id__in=[o for o in tree.parent if conflicted & set(tree.chain(o))])
    return _items(engine, query, kind="need", model=Need, user=user, filters=filters, top_k=top_k,
                  queryset=queryset)


def may_use_market(user: Any) -> bool:
    return is_platform_admin(user) or bool(getattr(user, "is_authenticated", False) and user.has_role(Role.BROKER))


def broker_market(*, user: Any, zone: Organization | None = None, top: int = 3) -> Market:
    """Every open need the broker may see with its best ``top`` experts, and the gaps (best score < threshold)."""
    if not may_use_market(user):
        raise PermissionDenied
    loaded = index.loaded_index()
    engine = loaded.engine
    needs_qs = restrict(Need.objects.filter(status__in=OPEN_NEED_STATUSES), user, VIEW)
    tree = OrgTree.load()
    if zone is not None:
        in_zone = [o for o in tree.parent if zone.pk in tree.chain(o)]
        needs_qs = needs_qs.filter(owner_id__in=in_zone)
    needs = list(needs_qs.select_related("owner").prefetch_related("industries", "disciplines")
                 .order_by("-created"))
    exclusions = _exclusions(needs, tree)
    base = _vis_filters(user)
    ranked_by_need = {}
    for need in needs:
        ranked_by_need[need.pk] = _cached_ranking(
            loaded, need, base, exclusions[need.pk], top,
            lambda need=need: _rank_experts(engine, loaded, _need_query(need), user=user, filters=base,
                                            excluded=exclusions[need.pk], top_k=top))
    all_ranked = [item for ranked in ranked_by_need.values() for item in ranked]
    people = _hydrate_experts(all_ranked, user)
    rows = [MarketRow(need, _explained_experts(engine, _need_query(need), ranked_by_need[need.pk], people, base,
                                               explain=False)) for need in needs]
    gaps = sorted((r for r in rows if r.best_score < GAP_THRESHOLD), key=lambda r: r.best_score)
    return Market(rows, gaps)


def _cached_ranking(loaded: index.LoadedIndex, need: Need, filters: dict[str, Any], excluded: set[int], top: int,
                    compute: Any) -> list[tuple[int, Any]]:
    """A need's expert ranking, cached per index generation (any index write or rebuild starts afresh), need
    version, audience filter and exclusions, so the market page does not rank every need on every view."""
    import hashlib
    import json

    from django.core.cache import cache

    from qiao.matching.engine import OwnerHit

    key_data = [loaded.generation, need.pk, need.updated.isoformat(), sorted(filters.get("vis") or ["*"]),
                sorted(excluded), top]
    key = "qiao:matching:rank:" + hashlib.sha256(json.dumps(key_data, default=str).encode()).hexdigest()[:32]
    cached_value = cache.get(key)
    if cached_value is not None:
        return [(pk, OwnerHit(owner, score, score_100)) for pk, owner, score, score_100 in cached_value]
    ranked = compute()
    cache.set(key, [(pk, h.owner, h.score, h.score_100) for pk, h in ranked], timeout=600)
    return ranked


def search(*, user: Any, q: str, kinds: Sequence[str] = SEARCH_KINDS, top_k: int = 5) -> SearchResults:
    """Search needs, achievements and experts with the same confidentiality filter as matching (safe for
    autocomplete: nothing of a need the user may not see can be returned or counted)."""
    q = (q or "").strip()[:MAX_QUERY_CHARS]
    results = SearchResults(q)
    if not q or not getattr(user, "is_authenticated", False):
        return results
    loaded = index.loaded_index()
    engine = loaded.engine
    base = _vis_filters(user)
    if "need" in kinds:
        results.needs = _items(engine, q, kind="need", model=Need, user=user, filters=base, top_k=top_k,
                               queryset=Need.objects.select_related("owner"))
    if "achievement" in kinds:
        results.achievements = _items(engine, q, kind="achievement", model=Achievement, user=user, filters=base,
                                      top_k=top_k, queryset=Achievement.objects.select_related("owner"))
    if "person" in kinds:
        ranked = _rank_experts(engine, loaded, Query(text=q), user=user, filters=base, excluded=set(), top_k=top_k)
        results.experts = _explained_experts(engine, Query(text=q), ranked, _hydrate_experts(ranked, user), base,
                                             explain=True)
    return results


def conflict_list(*, user: Any, person: Person | None = None) -> Any:
    qs = restrict(ConflictOfInterest.objects.all(), user, VIEW).select_related("person", "organization")
    if person is not None:
        qs = qs.filter(person=person)
    return qs.order_by("-created")


def declarable_people(*, user: Any) -> Any:
    """People ``user`` may declare a conflict for: themself, and people of organizations they manage."""
    from qiao.directory.selectors import managed_organization_ids

    if is_platform_admin(user):
        return Person.objects.all()
    return Person.objects.filter(Q(user_id=user.pk) | Q(organization_id__in=managed_organization_ids(user)))


def need_url(need: Need) -> str:
    return reverse("matching:need_matches", args=[need.pk])
