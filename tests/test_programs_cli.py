"""`python -m lib programs CODE`: the JSON contract, NOC 2016 codes, languages and one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lib import settings
from lib.cli import main

KEYS = {"id", "program", "name", "occupation", "status", "status_since", "reasons", "conditions", "notes",
        "sources", "confidence"}


def run_json(capsys, *argv):
    assert main(["programs", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.full_data
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


@pytest.mark.full_data
def test_french_json(capsys):
    out = run_json(capsys, "33102", "--lang", "fr")
    comps = {c["id"]: c for c in out["components"]}
    assert out["title"].startswith("Aides-infirmiers")
    assert comps["pstq-2"]["name"].startswith("Volet 2")
    assert "FÉER 3" in comps["pstq-2"]["reasons"][0]


@pytest.mark.full_data
def test_noc_2016_code_answers_for_each_mapped_code(capsys):
    out = run_json(capsys, "2174")
    assert out["noc2016"] == "2174"
    assert [r["code"] for r in out["results"]] == ["21230", "21232", "21234"]   # StatCan concordance
    one = run_json(capsys, "3413")
    assert [r["code"] for r in one["results"]] == ["33102"]


@pytest.mark.full_data
def test_text_output(capsys):
    assert main(["programs", "85100", "--as-of", "2025-06-01"]) == 0
    text = capsys.readouterr().out
    assert "chicken catcher" in text and "not legal advice" in text


@pytest.mark.full_data
def test_text_output_uses_the_pages_words(capsys):
    """The terminal says what the page says: labels from data/i18n, not a dictionary of its own."""
    from lib.i18n import t
    for lang in ("en", "fr"):
        assert main(["programs", "33102", "--as-of", "2026-12-01", "--lang", lang, "--answers", "french_oral=5"]) == 0
        text = capsys.readouterr().out
        for key in ("verdict.eligible", "verdict.not_eligible", "overall.no", "summary.title", "programs.sources",
                    "condition.met"):
            assert t(key, lang) in text, (lang, key)
        assert t("status_since.ended", lang, date="2026-01-01") in text
        assert "https://" in text                                  # every source's address is printed


@pytest.mark.full_data
def test_as_of_changes_status(capsys):
    before = {c["id"]: c for c in run_json(capsys, "21232", "--as-of", "2025-01-01")["components"]}
    after = {c["id"]: c for c in run_json(capsys, "21232", "--as-of", "2025-12-01")["components"]}
    assert before["peq-workers"]["status"] == "open" and after["peq-workers"]["status"] == "closed"


@pytest.mark.full_data
def test_errors_are_one_line(capsys):
    assert main(["programs", "99999"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "99999" in err
    assert main(["programs", "33102", "--as-of", "2025-13-01"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "YYYY-MM-DD" in err
    assert main(["programs", "nurse"]) == 1
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.full_data
def test_module_entry_point():
    proc = subprocess.run([sys.executable, "-m", "lib", "programs", "33102", "--json"], cwd=settings.ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["code"] == "33102"


@pytest.mark.full_data
def test_answers_from_a_share_link_query(capsys):
    """The issue's contract: component 1 is a 'no' for a chef with oral French 5, with the reason."""
    out = run_json(capsys, "62200", "--as-of", "2026-12-01", "--answers", "french_oral=5")
    comps = {c["id"]: c for c in out["components"]}
    assert comps["pstq-1"]["overall"] == "no"
    assert comps["pstq-1"]["overall_reasons"] == ["Oral French: you answered 5; this needs 7 or more."]
    assert {"yes", "maybe", "no"} == out["summary"].keys()
    assert "pstq-1" in [x["id"] for x in out["summary"]["no"]]
    assert all(c["overall"] in ("yes", "maybe", "no") and c["overall_reasons"] for c in comps.values())
    draws = comps["pstq-1"]["draws"]
    assert draws and {"date", "label", "invitations", "min_score", "source"} <= draws[0].keys()
    assert "draws" not in comps["peq-workers"]
    # A whole share link works too, and its lang/code/noc parts are not answers.
    link = "https://example.org/programs?lang=en&code=62200&noc=2021&french_oral=8&experience_years=4"
    again = {c["id"]: c for c in run_json(capsys, "62200", "--answers", link)["components"]}
    oral = next(x for x in again["pstq-1"]["conditions"] if x["id"] == "french-oral")
    assert oral["state"] == "met"


def test_bad_answers_exit_2_with_one_line(capsys):
    for query in ("french_oral=13", "french_oral=five", "frnch_oral=5", "spouse_french_oral=x",
                  "experience_years=" + "9" * 40):
        assert main(["programs", "62200", "--answers", query]) == 2, query
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: --answers"), err
