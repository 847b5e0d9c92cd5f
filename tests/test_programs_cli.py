"""`python -m lib programs CODE`: the JSON contract, NOC 2016 codes, languages and one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys

from lib import settings
from lib.__main__ import main

KEYS = {"id", "program", "name", "occupation", "status", "status_since", "reasons", "conditions", "notes",
        "sources", "confidence"}


def run_json(capsys, *argv):
    assert main(["programs", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_33102_json_contract(capsys):
    out = run_json(capsys, "33102", "--as-of", "2026-11-25")
    assert {"code", "teer", "title", "as_of", "components"} <= out.keys()
    assert out["code"] == "33102" and out["teer"] == 3 and out["as_of"] == "2026-11-25"
    comps = {c["id"]: c for c in out["components"]}
    assert all(KEYS <= c.keys() for c in comps.values())
    assert comps["orderlies-pilot"]["occupation"] == "eligible"
    assert comps["orderlies-pilot"]["status"] == "ended" and comps["orderlies-pilot"]["status_since"] == "2026-01-01"
    assert comps["pstq-2"]["occupation"] == "eligible" and comps["pstq-2"]["status"] == "open"
    assert comps["pstq-4"]["occupation"] == "not_covered"
    assert comps["peq-graduates"]["occupation"] == "not_occupation_based"
    assert all(c["reasons"] and c["sources"] for c in comps.values())
    assert comps["orderlies-pilot"]["sources"][0]["url"].startswith("https://")


def test_french_json(capsys):
    out = run_json(capsys, "33102", "--lang", "fr")
    comps = {c["id"]: c for c in out["components"]}
    assert out["title"].startswith("Aides-infirmiers")
    assert comps["pstq-2"]["name"].startswith("Volet 2")
    assert "FÉER 3" in comps["pstq-2"]["reasons"][0]


def test_noc_2016_code_answers_for_each_mapped_code(capsys):
    out = run_json(capsys, "2174")
    assert out["noc2016"] == "2174"
    assert [r["code"] for r in out["results"]] == ["21230", "21232", "21234"]   # StatCan concordance
    one = run_json(capsys, "3413")
    assert [r["code"] for r in one["results"]] == ["33102"]


def test_text_output(capsys):
    assert main(["programs", "85100", "--as-of", "2025-06-01"]) == 0
    text = capsys.readouterr().out
    assert "chicken catcher" in text and "not legal advice" in text


def test_as_of_changes_status(capsys):
    before = {c["id"]: c for c in run_json(capsys, "21232", "--as-of", "2025-01-01")["components"]}
    after = {c["id"]: c for c in run_json(capsys, "21232", "--as-of", "2025-12-01")["components"]}
    assert before["peq-workers"]["status"] == "open" and after["peq-workers"]["status"] == "ended"


def test_errors_are_one_line(capsys):
    assert main(["programs", "99999"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "99999" in err
    assert main(["programs", "33102", "--as-of", "2025-13-01"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "YYYY-MM-DD" in err
    assert main(["programs", "nurse"]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_module_entry_point():
    proc = subprocess.run([sys.executable, "-m", "lib", "programs", "33102", "--json"], cwd=settings.ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["code"] == "33102"
