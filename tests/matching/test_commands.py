"""``qiao index rebuild|status``."""

import io
import json

from qiao.cli import build_parser
from qiao.matching import index
from qiao.matching.commands import index_main
from tests.matching.conftest import add_publication


def test_index_status_and_rebuild(cat):
    out = io.StringIO()
    assert index_main("status", out=out) == 0
    status = json.loads(out.getvalue())
    assert status["state"] == "fresh" and status["records"]["person"] == 3
    add_publication(cat.chemist, "新论文", "")
    out = io.StringIO()
    assert index_main("status", out=out) == 1
    assert "publication" in json.loads(out.getvalue())["reason"]
    calls = []
    assert index_main("rebuild", progress=lambda *a: calls.append(a), out=io.StringIO()) == 0
    assert calls and calls[-1][1] == calls[-1][2]
    assert index_main("status", out=io.StringIO()) == 0


def test_index_status_when_missing(settings, tmp_path, db):
    settings.QIAO_INDEX_DIR = tmp_path / "nowhere"
    out = io.StringIO()
    assert index_main("status", out=out) == 1
    assert json.loads(out.getvalue())["state"] == "missing"
    assert not index.root().exists() or not list(index.root().glob("gen-*"))


def test_cli_parses_index_commands():
    for action in ("rebuild", "status"):
        args = build_parser().parse_args(["index", action])
        assert args.action == action and args.func.__name__ == "cmd_index"
