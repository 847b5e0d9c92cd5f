"""Shared test setup: the environment, the fixtures every test file may use, and the full-data tier.

Tiers (markers registered in pytest.ini):
- fast, the default of `make check` (`pytest -m "not full_data and not browser"`): hand-written data and the hashing
  encoders only; no NOC data folder, no real model, no index build.
- `full_data`: needs the full NOC data (NOC_DATA_DIR, default ../shared/data/noc2021) and, for matching, the real
  models and their cached index. Every test that uses the `noc`, `noc_copy` or `rules` fixture gets it
  automatically; others say so with `@pytest.mark.full_data`. Without the data they are skipped, with the reason
  (except `@pytest.mark.full_data(needs_noc=False)`: a real model on the tiny data).
- `browser` (Playwright and Debian chromium), `slow` (subprocesses, servers, training).

Fixtures:
- `tiny_noc`: a real `NocData` of six hand-written unit groups (tests/helpers/tiny.py).
- `tiny_matcher`: the matcher over `tiny_noc` with hashing encoders; its index lives under `tmp_path / "index"`.
- `noc`, `rules`: the full NOC data and the program rules, loaded once per session.
- `noc_copy`: a writable copy of the NOC data folder, selected through NOC_DATA_DIR, for corruption tests.
"""
from __future__ import annotations

import functools
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

FULL_DATA_FIXTURES = {"noc", "noc_copy", "rules"}


@functools.lru_cache(maxsize=1)
def _full_data_missing() -> str | None:
    """Why the full NOC data cannot be loaded (the library's one-line message), or None when it can."""
    from lib.errors import NocDataError
    from lib.noc import load_noc

    try:
        load_noc()
    except NocDataError as err:
        return f"full NOC data needed: {err}"
    return None


@pytest.hookimpl(tryfirst=True)          # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if FULL_DATA_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.full_data)


def pytest_runtest_setup(item):
    marker = item.get_closest_marker("full_data")
    if marker and marker.kwargs.get("needs_noc", True):
        reason = _full_data_missing()
        if reason:
            pytest.skip(reason)


# ---------- tiny: hand-written data, hashing encoders ----------
@pytest.fixture
def tiny_noc():
    from tests.helpers import tiny

    return tiny.noc()


@pytest.fixture
def tiny_matcher(tiny_noc, tmp_path):
    """The matcher over the six hand-written groups, built fresh in `tmp_path / "index"` (a few milliseconds)."""
    from lib import matching
    from tests.helpers import tiny

    matching.clear_cache()
    yield matching.get_matcher(tiny_noc, model_name=tiny.MODEL, encoders=tiny.encoders(),
                               cache_root=tmp_path / "index")
    matching.clear_cache()


# ---------- full data ----------
@pytest.fixture(scope="session")
def noc():
    from lib.noc import load_noc

    return load_noc()


@pytest.fixture(scope="session")
def rules(noc):
    from lib.programs import load_rules

    return load_rules(noc)


@pytest.fixture
def noc_copy(tmp_path, monkeypatch):
    """A writable copy of the NOC data folder, selected through NOC_DATA_DIR, for corruption tests."""
    target = tmp_path / "noc2021"
    shutil.copytree(NOC_DIR, target, ignore=shutil.ignore_patterns("oasis2023_en", "*.md"))
    for path in target.iterdir():
        path.chmod(0o644)
    monkeypatch.setenv("NOC_DATA_DIR", str(target))
    return target
