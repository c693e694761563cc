"""Catalog fixtures: one need per confidentiality level (plus a draft) of the ``world`` fixture's enterprise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from qiao.catalog import services
from qiao.catalog.models import Confidentiality, Need

LEVELS = ["public", "members", "named", "brokers", "draft"]


@dataclass
class Needs:
    by_level: dict[str, Need]

    def __getitem__(self, level: str) -> Need:
        return self.by_level[level]


def make_need(world: Any, *, title: str, confidentiality: str = Confidentiality.PUBLIC, publish: bool = True,
              named: list[Any] | None = None, owner: Any = None, by: Any = None, **extra: Any) -> Need:
    return services.need_create(
        by=by or world.users["enterprise"], owner=owner or world.enterprise, title=title,
        description=f"{title} — 描述", confidentiality=confidentiality, publish=publish,
        named_organizations=named or [], **extra,
    )


@pytest.fixture
def needs(world) -> Needs:
    """Titles are unique words so a test can assert a title never appears in a response body."""
    by_level = {
        "public": make_need(world, title="PUBLICNEED 公开的烟气治理需求"),
        "members": make_need(world, title="MEMBERSNEED 会员可见的需求", confidentiality=Confidentiality.MEMBERS),
        "named": make_need(world, title="NAMEDNEED 指定高校可见的需求", confidentiality=Confidentiality.NAMED,
                           named=[world.university]),
        "brokers": make_need(world, title="BROKERSNEED 仅经纪人可见的需求", confidentiality=Confidentiality.BROKERS),
        "draft": make_need(world, title="DRAFTNEED 草稿需求", publish=False),
    }
    return Needs(by_level)
