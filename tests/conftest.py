"""Shared test setup: the NOC data folder (NOC_DATA_DIR, default ../shared/data/noc2021) and a loaded copy."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_NOC = ROOT.parent / "shared" / "data" / "noc2021"
os.environ.setdefault("NOC_DATA_DIR", str(SHARED_NOC))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
NOC_DIR = Path(os.environ["NOC_DATA_DIR"])


@pytest.fixture(scope="session")
def noc():
    from lib.noc import load_noc

    return load_noc()


@pytest.fixture
def noc_copy(tmp_path, monkeypatch):
    """A writable copy of the NOC data folder, selected through NOC_DATA_DIR, for corruption tests."""
    target = tmp_path / "noc2021"
    shutil.copytree(NOC_DIR, target, ignore=shutil.ignore_patterns("oasis2023_en", "*.md"))
    for path in target.iterdir():
        path.chmod(0o644)
    monkeypatch.setenv("NOC_DATA_DIR", str(target))
    return target
