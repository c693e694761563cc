"""Both catalogues are complete, compiled, and actually used."""

from pathlib import Path

import pytest
from django.utils import translation

from qiao.core.po_tools import fill_english, parse, problems

LOCALE = Path(__file__).resolve().parents[2] / "src" / "qiao" / "locale"


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_catalogue_is_complete(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    assert po.exists()
    assert problems(po) == []
    assert (LOCALE / lang / "LC_MESSAGES" / "django.mo").exists()


def test_compiled_chinese_catalogue_is_used():
    with translation.override("zh-hans"):
        assert translation.gettext("Organizations") != "Organizations"
    with translation.override("en"):
        assert translation.gettext("Organizations") == "Organizations"


def test_every_template_string_is_in_the_catalogue():
    import re

    msgids = {e.msgid for e in parse((LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))}
    templates = Path(__file__).resolve().parents[2] / "src" / "qiao" / "templates"
    missing = []
    for path in templates.rglob("*.html"):
        for match in re.finditer(r'{%\s*translate\s+"([^"]+)"', path.read_text(encoding="utf-8")):
            if match.group(1) not in msgids:
                missing.append(f"{path.relative_to(templates)}: {match.group(1)}")
    assert missing == []


def test_po_tools_fill_and_check(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  '#: a.py:1\nmsgid "Hello"\nmsgstr ""\n\n'
                  '#, fuzzy\nmsgid "Bye"\nmsgstr "Old"\n', encoding="utf-8")
    assert len(problems(po)) == 2
    fill_english(po)
    assert problems(po) == []
    assert {e.msgid: e.msgstr[0] for e in parse(po.read_text(encoding="utf-8"))}["Hello"] == "Hello"
