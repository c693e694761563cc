"""Import contract: the engine imports no Django and nothing of the platform; the CLI starts light."""

import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[3] / "src" / "qiao" / "matching" / "engine"


def _modules_after(code: str) -> set[str]:
    r = subprocess.run([sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
                       capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "QIAO_NO_NUMBA": "1"})
    assert r.returncode == 0, r.stderr
    return set(r.stdout.split())


def test_engine_does_not_load_django():
    mods = _modules_after(
        "from qiao.matching.engine import Engine, EngineConfig, Document, analyze\n"
        "e = Engine(EngineConfig(dense='off')); e.add([Document('a', 'o', 'battery', '锂电池')]); e.search('battery')")
    forbidden = {"django", "ninja", "qiao.core", "qiao.accounts", "qiao.directory", "qiao.settings"}
    assert not {m for m in mods if m.split(".")[0] in forbidden or m in forbidden or
                any(m.startswith(f + ".") for f in forbidden)}


def test_cli_import_is_light():
    mods = _modules_after("import qiao.matching.engine.cli")
    assert "numpy" not in mods and "scipy" not in mods and "jieba" not in mods and "torch" not in mods


def test_no_django_import_statements_in_engine_sources():
    for f in ENGINE.rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        for bad in ("import django", "from django", "from qiao.core", "from qiao.accounts", "from qiao.directory",
                    "from qiao.settings", "import ninja", "from ninja"):
            assert bad not in text, f"{f.name}: {bad}"


def test_import_linter_contract_is_kept():
    import shutil

    import pytest

    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(exe).exists():
        pytest.skip("import-linter is not installed")
    root = ENGINE.parents[3]
    r = subprocess.run([exe], capture_output=True, text=True, timeout=300, cwd=root)
    assert "The matching engine imports no Django and nothing of the platform KEPT" in r.stdout, r.stdout + r.stderr
