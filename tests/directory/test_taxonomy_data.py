"""Sanity checks for the official taxonomy data files (no Django needed).

Run: python -m pytest tests/directory/test_taxonomy_data.py -q -p no:django -p no:cacheprovider --noconftest
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "src" / "qiao" / "directory" / "data"

# GB/T 4754-2017: section letter -> inclusive division number range.
SECTION_RANGES = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}


def load(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as fh:
        data = json.load(fh)
    assert isinstance(data, list) and data
    return data


@pytest.fixture(scope="module")
def gbt() -> list[dict]:
    return load("gbt4754_2017.json")


@pytest.fixture(scope="module")
def moe() -> list[dict]:
    return load("moe_disciplines.json")


@pytest.fixture(scope="module")
def majors() -> list[dict]:
    return load("undergrad_majors.json")


@pytest.fixture(scope="module")
def regions() -> list[dict]:
    return load("regions.json")


def assert_names(entries: list[dict]) -> None:
    for e in entries:
        for key in ("name_zh", "name_en"):
            value = e.get(key)
            assert isinstance(value, str) and value.strip() == value and value, (e.get("code"), key)


def assert_unique_codes(entries: list[dict]) -> None:
    dupes = [c for c, n in Counter(e["code"] for e in entries).items() if n > 1]
    assert not dupes, dupes


# --- GB/T 4754-2017 ---------------------------------------------------------


def test_gbt_sections(gbt):
    sections = [e for e in gbt if e["level"] == "section"]
    assert [s["code"] for s in sections] == list("ABCDEFGHIJKLMNOPQRST")
    assert all(s["parent"] is None for s in sections)


def test_gbt_divisions(gbt):
    assert_unique_codes(gbt)
    divisions = [e for e in gbt if e["level"] == "division"]
    assert len(divisions) == 97
    assert sorted(int(d["code"]) for d in divisions) == list(range(1, 98))
    for d in divisions:
        assert len(d["code"]) == 2 and d["code"].isdigit()
        assert d["parent"] in SECTION_RANGES, d
        lo, hi = SECTION_RANGES[d["parent"]]
        assert lo <= int(d["code"]) <= hi, d


def test_gbt_groups(gbt):
    divisions = {e["code"] for e in gbt if e["level"] == "division"}
    for g in (e for e in gbt if e["level"] == "group"):
        assert len(g["code"]) == 3 and g["code"].isdigit()
        assert g["parent"] in divisions and g["code"].startswith(g["parent"]), g
    assert {e["level"] for e in gbt} <= {"section", "division", "group"}


def test_gbt_names(gbt):
    assert_names(gbt)


# --- Graduate discipline catalogue (2022) ------------------------------------


def test_moe_categories(moe):
    cats = [e for e in moe if e["level"] == "category"]
    assert [c["code"] for c in cats] == [f"{i:02d}" for i in range(1, 15)]
    assert all(c["parent"] is None for c in cats)


def test_moe_codes(moe):
    assert_unique_codes(moe)
    assert {e["level"] for e in moe} <= {"category", "first_level", "professional"}
    cats = {e["code"] for e in moe if e["level"] == "category"}
    for e in moe:
        if e["level"] == "category":
            continue
        assert len(e["code"]) == 4 and e["code"].isdigit(), e
        assert e["parent"] in cats and e["code"].startswith(e["parent"]), e
        # Third digit >= 5 marks a professional degree category.
        assert (e["code"][2] >= "5") == (e["level"] == "professional"), e


def test_moe_counts(moe):
    levels = Counter(e["level"] for e in moe)
    assert levels["first_level"] == 117
    assert levels["professional"] == 67


def test_moe_names(moe):
    assert_names(moe)


# --- Undergraduate majors ---------------------------------------------------


def test_majors(majors):
    assert_unique_codes(majors)
    assert_names(majors)
    for m in majors:
        code = m["code"]
        assert len(code) >= 6 and code[:6].isdigit() and set(code[6:]) <= {"T", "K"}, code
        assert code.startswith(m["major_class_code"]) and code.startswith(m["discipline_category_code"])
        assert m["major_class_zh"] and m["major_class_en"]


# --- Regions (GB/T 2260) -----------------------------------------------------


def test_regions(regions):
    assert_unique_codes(regions)
    assert_names(regions)
    provinces = {e["code"] for e in regions if e["level"] == "province"}
    assert len(provinces) == 34
    for e in regions:
        assert len(e["code"]) == 6 and e["code"].isdigit()
        if e["level"] == "province":
            assert e["code"].endswith("0000") and e["parent"] is None
        else:
            assert e["level"] == "city"
            assert e["parent"] in provinces and e["code"][:2] == e["parent"][:2]
            assert e["code"].endswith("00") and not e["code"].endswith("0000")
