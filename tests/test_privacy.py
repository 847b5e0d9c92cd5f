"""Privacy: what a person types is never logged, written to disk or put in the URL (app and CLI)."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from lib.settings import ROOT
from tests.helpers.apptest import answer_and_see_programs, walk

pytestmark = pytest.mark.full_data   # the real flow: NOC data, model and index

MARKER = "qvzprivacymarker"  # a made-up word that no data file contains


def files_written_since(started: float, roots: list[Path]) -> list[Path]:
    found = []
    for root in roots:
        if not root.exists():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in (".git", "__pycache__", ".venv", "node_modules")]
            for name in filenames:
                path = Path(dirpath) / name
                try:
                    stat = path.stat()
                except OSError:
                    continue
                if stat.st_mtime >= started and stat.st_size < 64 * 1024 * 1024:
                    found.append(path)
    return found


def containing_marker(paths: list[Path]) -> list[Path]:
    hits = []
    for path in paths:
        try:
            if MARKER.encode() in path.read_bytes():
                hits.append(path)
        except OSError:
            pass
    return hits


class ListHandler(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record):
        try:
            self.messages.append(self.format(record))
        except Exception:  # noqa: BLE001 - a record that cannot be formatted still counts as seen
            self.messages.append(str(record.msg))


@pytest.fixture
def all_logs():
    """Every log record from every logger, at DEBUG, while the test runs (Streamlit's loggers don't propagate)."""
    handler = ListHandler()
    loggers = [logging.getLogger()] + [logging.getLogger(n) for n in list(logging.root.manager.loggerDict)]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    yield handler.messages
    for lg, level in saved:
        lg.removeHandler(handler)
        lg.setLevel(level)


def test_app_flow_leaks_the_description_nowhere(all_logs, capfd, tmp_path):
    started = time.time() - 1
    at = walk("en", f"I install and repair water pipes in new houses {MARKER}")
    at = answer_and_see_programs(at, "en")
    out, err = capfd.readouterr()
    assert MARKER not in out and MARKER not in err
    assert not [m for m in all_logs if MARKER in m]
    assert MARKER not in str(dict(at.query_params))
    roots = [ROOT, Path(tempfile.gettempdir()), Path.home() / ".streamlit", Path.home() / ".cache"]
    assert containing_marker(files_written_since(started, roots)) == []


@pytest.mark.slow      # a fresh process loads the model
def test_cli_rank_writes_nothing_with_the_query(tmp_path):
    started = time.time() - 1
    out = subprocess.run([sys.executable, "-m", "lib", "rank", f"plumber {MARKER}", "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=900, env={**os.environ, "PYTHONWARNINGS": "ignore"},
                         check=False)
    assert out.returncode == 0, out.stderr
    assert MARKER not in out.stderr
    roots = [ROOT, Path(tempfile.gettempdir()), Path.home() / ".cache"]
    assert containing_marker(files_written_since(started, roots)) == []
