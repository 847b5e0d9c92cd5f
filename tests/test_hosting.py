"""Safe hosting defaults: the app listens on loopback unless the operator says otherwise."""
from __future__ import annotations

import os
import shutil
import subprocess
import tomllib

import pytest

from lib.settings import ROOT


def _run_commands(**env) -> str:
    out = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
                         env={k: v for k, v in {**os.environ, **env}.items() if v is not None})
    assert out.returncode == 0, out.stderr
    return next(line for line in out.stdout.splitlines() if "streamlit run" in line)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_binds_loopback_unless_told_otherwise():
    assert "--server.address 127.0.0.1" in _run_commands(QC_HOST=None)
    assert "--server.address 0.0.0.0" in _run_commands(QC_HOST="0.0.0.0")


def test_a_plain_streamlit_run_binds_loopback_too():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"


def test_the_container_and_replica_recipes_choose_their_address():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "QC_HOST=0.0.0.0" in dockerfile and '--server.address \\"$QC_HOST\\"' in dockerfile
    replicas = (ROOT / "scripts" / "replicas.sh").read_text(encoding="utf-8")
    assert "host=${QC_HOST:-127.0.0.1}" in replicas and "@LISTEN@|$host:$listen" in replicas


def test_server_settings_that_keep_twenty_visitors_cheap():
    """Regressions here cost CPU per script run (see README, Load): a full gc after every run, and magic."""
    runner = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["runner"]
    assert runner["postScriptGC"] is False and runner["magicEnabled"] is False
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "MALLOC_ARENA_MAX ?= 2" in makefile and "MALLOC_ARENA_MAX=$(MALLOC_ARENA_MAX)" in makefile


def test_navigation_pages_are_fresh_copies_per_run():
    """st.navigation marks the page it returns as callable for one run: sessions must not share those objects."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    from views import common as ui
    first, second = ui.navigation_pages("en"), ui.navigation_pages("en")
    pairs = [(a, b) for section in first for a, b in zip(first[section], second[section])]
    assert len(pairs) == 7 and all(a is not b and a.url_path == b.url_path for a, b in pairs)
