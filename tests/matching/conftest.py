"""Matching fixtures: a throwaway index directory per test, a lexical-only engine, and a small catalog."""

from dataclasses import dataclass
from typing import Any

import pytest

from qiao.catalog import services as catalog
from qiao.catalog.models import AchievementKind, CapabilityKind, Confidentiality
from qiao.matching import index
from qiao.matching.services import index_rebuild
from tests.directory.factories import PersonFactory

WASTEWATER_ZH = "高盐废水膜生物反应器脱氮处理"
WASTEWATER_EN = "membrane bioreactor nitrogen removal for high-salinity wastewater"


_SHARED_TOKENIZER: list = []


@pytest.fixture(autouse=True)
def shared_jieba_dictionary(request, monkeypatch):
    """Each engine Analyzer loads its own jieba dictionary (~1.4 s). The Django-side tests share one initialised
    tokenizer (their vocabulary is the same for all engines) to stay fast; production code is unchanged.
    The engine's own tests (tests/matching/engine/) are left alone."""
    if "engine" in request.node.path.parts:
        return
    import jieba

    if not _SHARED_TOKENIZER:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        _SHARED_TOKENIZER.append(tokenizer)
    monkeypatch.setattr(jieba, "Tokenizer", lambda *args, **kwargs: _SHARED_TOKENIZER[0])


@pytest.fixture(autouse=True)
def index_settings(request, tmp_path):
    if "engine" in request.node.path.parts:
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.QIAO_INDEX_DIR = tmp_path / "index"
    settings.QIAO_MATCHING_ENGINE = {"dense": "off"}
    settings.QIAO_INDEX_CHECK_SECONDS = 0
    index.set_cached(None)
    yield
    index.set_cached(None)


@dataclass
class Catalog:
    world: Any
    expert: Any  # the researcher login's person: wastewater
    chemist: Any  # other_person: batteries
    insider: Any  # works at the need's enterprise: wastewater too (must never be suggested for its needs)
    opted_out: Any  # wastewater, opted out of matching
    achievement: Any
    capability: Any

    def need(self, confidentiality: str = Confidentiality.PUBLIC, *, title: str = "", publish: bool = True,
             named: list | None = None, kind: str = "technical_problem", description: str = "") -> Any:
        extra = {"named_organizations": named} if named else {}
        return catalog.need_create(
            by=self.world.users["enterprise"], owner=self.world.enterprise, publish=publish, kind=kind,
            title=title or f"寻求{WASTEWATER_ZH}技术 / Seeking {WASTEWATER_EN}",
            description=description or f"我公司需要{WASTEWATER_ZH}方案。We need {WASTEWATER_EN}.",
            confidentiality=confidentiality, **extra)


def add_publication(person: Any, title: str, abstract: str = "", **kw: Any) -> Any:
    from qiao.catalog.models import Publication

    return Publication.objects.create(person=person, title=title, abstract=abstract, **kw)


@pytest.fixture
def cat(world, django_capture_on_commit_callbacks) -> Catalog:
    admin = world.users["admin"]
    expert = world.researcher_person
    expert.expertise_keywords = ["膜生物反应器", "wastewater treatment"]
    expert.save()
    add_publication(expert, f"{WASTEWATER_ZH}研究", f"本文研究{WASTEWATER_ZH}。", pinned=True)
    add_publication(expert, f"A study of {WASTEWATER_EN}", f"We study {WASTEWATER_EN} at pilot scale.")
    add_publication(expert, "秘密隐藏的论文 hidden quantum topic", "quantum chromodynamics", hidden_from_matching=True)
    chemist = world.other_person
    add_publication(chemist, "锂离子电池电解液添加剂", "Lithium-ion battery electrolyte additives.")
    insider = PersonFactory(organization=world.enterprise, name="企业内专家")
    add_publication(insider, f"{WASTEWATER_ZH}工程实践", f"Engineering practice of {WASTEWATER_EN}.")
    opted_out = PersonFactory(organization=world.other_college, name="退出者", opted_out_of_matching=True)
    add_publication(opted_out, f"{WASTEWATER_ZH}综述", f"A review of {WASTEWATER_EN}.")
    achievement = catalog.achievement_create(
        by=admin, kind=AchievementKind.INVENTION_PATENT, owner=expert,
        title=f"一种{WASTEWATER_ZH}装置", title_en=f"A device for {WASTEWATER_EN}",
        description=f"用于{WASTEWATER_ZH}的装置。", visibility="members")
    capability = catalog.capability_create(
        by=admin, kind=CapabilityKind.TESTING, organization=world.college, name="水质检测中心",
        name_en="Water quality testing centre", description=f"Testing for {WASTEWATER_EN}; 高盐废水检测。")
    index_rebuild()
    return Catalog(world, expert, chemist, insider, opted_out, achievement, capability)


def visible_text(body: bytes | str) -> str:
    """A response body without tags (highlighting splits titles into <mark> pieces), entities decoded."""
    import html
    import re

    text = body.decode() if isinstance(body, bytes) else body
    return html.unescape(re.sub(r"<[^>]+>", "", text))
