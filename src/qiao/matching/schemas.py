"""API schemas of the matching domain."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class MatchFilter(Schema):
    region: str = ""
    org_kind: str = ""
    organization: int | None = None
    top_k: int = 10


class EvidenceOut(Schema):
    doc_id: str
    kind: str
    title_html: str
    snippet_html: str
    score_100: int


class ExpertOut(Schema):
    person_id: int
    name: str
    organization_id: int
    organization: str
    score_100: int
    matched_terms: list[str]
    evidence: list[EvidenceOut]


class ItemOut(Schema):
    id: int
    kind: str
    title: str
    score_100: int
    matched_terms: list[str]
    title_html: str
    snippet_html: str
    url: str


class NeedMatchesOut(Schema):
    need_id: int
    experts: list[ExpertOut]
    achievements: list[ItemOut]
    capabilities: list[ItemOut]
    majors: list[ItemOut]


class MarketRowOut(Schema):
    need_id: int
    title: str
    enterprise: str
    best_score: int
    experts: list[ExpertOut]


class MarketOut(Schema):
    threshold: int
    rows: list[MarketRowOut]
    gap_need_ids: list[int]


class SearchOut(Schema):
    q: str
    total: int
    needs: list[ItemOut]
    achievements: list[ItemOut]
    experts: list[ExpertOut]


class ConflictIn(Schema):
    person_id: int
    organization_id: int
    reason: str = ""


class ConflictPatch(Schema):
    reason: str


class ConflictOut(Schema):
    id: int
    person_id: int
    person: str
    organization_id: int
    organization: str
    reason: str
    created: datetime
