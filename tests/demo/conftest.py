"""Fixtures for the demo tests."""

from __future__ import annotations

import pytest

from qiao.demo.world import World, build_world


@pytest.fixture(scope="session")
def demo_world() -> World:
    return build_world(2026)


@pytest.fixture
def taxonomies(db) -> None:
    """TEMPORARY FALLBACK: load the taxonomy JSON files if the test database has none.

    The directory app's data migration (0002_load_taxonomies) normally fills these tables; this fixture only
    matters while that migration is absent.
    """
    from qiao.directory.models import IndustryCategory

    if IndustryCategory.objects.exists():
        return
    from qiao.directory.taxonomies import load_all

    load_all()
