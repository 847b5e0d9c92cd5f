"""`python -m lib noc` and `python -m lib setup`: the contract people and scripts rely on."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from lib.settings import ROOT


def run_cli(*args, env=None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "lib", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.full_data
def test_noc_json_has_bilingual_titles_duties_examples():
    out = run_cli("noc", "21232", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    for key in ("code", "teer", "title_en", "title_fr", "definition", "main_duties", "example_titles_en",
                "example_titles_fr", "employment_requirements", "exclusions", "hierarchy"):
        assert key in data
    assert data["teer"] == 1 and data["title_en"] == "Software developers and programmers"
    assert data["title_fr"].startswith("Développeurs") and data["example_titles_fr"]
    assert data["main_duties"][0]["duties"]


@pytest.mark.full_data
def test_noc2016_code_maps_to_every_noc2021_code():
    out = run_cli("noc", "2174", "--json")
    data = json.loads(out.stdout)
    assert data["noc2016"] == "2174"
    assert [ug["code"] for ug in data["maps_to"]] == ["21230", "21232", "21234"]


@pytest.mark.full_data
def test_text_output_in_french():
    out = run_cli("noc", "21232", "--lang", "fr")
    assert out.returncode == 0 and "FÉER 1" in out.stdout and "Développeurs" in out.stdout


def test_unknown_and_malformed_codes_are_one_line_errors():
    for code in ("99999", "12", "<script>", "9999"):
        out = run_cli("noc", code)
        assert out.returncode == 1, code
        assert "Traceback" not in out.stderr and out.stderr.count("\n") == 1 and out.stderr.startswith("error:")


@pytest.mark.full_data
def test_search():
    out = run_cli("noc", "--search", "plombier")
    assert out.returncode == 0 and out.stdout.startswith("72300")


def test_missing_data_folder_is_one_line(tmp_path):
    out = run_cli("noc", "21232", env={"NOC_DATA_DIR": str(tmp_path / "none")})
    assert out.returncode == 1 and "Traceback" not in out.stderr and "setup --download" in out.stderr


@pytest.mark.full_data
def test_setup_reports_the_data_in_use():
    out = run_cli("setup")
    assert out.returncode == 0, out.stderr
    assert "516 unit groups" in out.stdout and "elements_en" in out.stdout
