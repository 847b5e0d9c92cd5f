"""The official French elements (CNP 2021): parsing on a small hand-written fixture, the full file, and a broken
French file that must leave the app on English text with one warning instead of stopping it."""
from __future__ import annotations

import csv
import logging
from pathlib import Path

import pytest

from lib.errors import NocDataError
from lib.noc import load_noc
from lib.noc import parse as noc_parse

SAMPLE = Path(__file__).parent / "data" / "noc_fr" / "elements_fr_sample.csv"
FR_FILE = "cnp2021_elements_fr_no_examples.csv"
MINORS = {"2110": ["21100", "21101"], "7230": ["72300"]}
CONCORDANCE_2016 = {"2111": ["21100"]}  # a NOC 2016 code that is not a NOC 2021 minor group here


def _sample():
    return noc_parse.parse_elements(SAMPLE, MINORS, "fr", CONCORDANCE_2016)


def test_french_columns_are_found_by_name_and_duties_keep_role_headings():
    parsed = _sample()
    sections = parsed["21100"]["duties"]
    assert [s["heading"] for s in sections] == ["Physiciens", "Astronomes"]
    assert sections[0]["duties"] == [
        "concevoir des plans de recherche et diriger la recherche en physique théorique et expérimentale;",
        "faire partie d'une équipe de recherche, et participer à la conception de nouveaux instruments.",
        # A capitalised sentence with its full stop is a duty, not a heading.
        "Les physiciens peuvent se spécialiser dans des domaines tels que l'optique.",
    ]
    assert sections[1]["duties"] == ["observer et analyser les phénomènes célestes;",
                                     "concevoir des instruments d'observation."]
    assert not any(d.startswith("Ce groupe exerce") for s in sections for d in s["duties"])


def test_a_lower_case_line_without_punctuation_is_a_duty_not_a_heading():
    sections = _sample()["72300"]["duties"]
    assert [s["heading"] for s in sections] == [None]
    assert sections[0]["duties"][1] == "effectuer au besoin des travaux d'entretien"


def test_french_exclusions_cite_unit_groups_minor_groups_and_noc2016_codes():
    exclusions = _sample()["21100"]["exclusions"]
    assert [e["codes"] for e in exclusions] == [["21102"], ["21100", "21101"], ["21100"]]
    assert _sample()["21100"]["requirements"] == ["Un doctorat en physique est habituellement exigé."]
    assert _sample()["72300"]["inclusions"] == ["plombier/plombière d'entretien"]
    assert _sample()["72300"]["additional"] == ["La mobilité est possible entre les provinces."]


def test_validation_names_the_file_in_one_line():
    parsed = _sample()
    with pytest.raises(NocDataError, match=r"^sample.csv has main duties for 2 of 516 unit groups") as err:
        noc_parse.validate_elements("sample.csv", parsed, {"21100", "72300"}, 516)
    assert "\n" not in str(err.value)
    with pytest.raises(NocDataError, match="sample.csv: elements point at unknown codes 72300"):
        noc_parse.validate_elements("sample.csv", parsed, {"21100"}, 1)
    unknown = noc_parse.parse_elements(SAMPLE, {}, "fr", {})
    with pytest.raises(NocDataError, match="an exclusion of 21100 cites 2110, neither a unit group"):
        noc_parse.validate_elements("sample.csv", unknown, {"21100", "21102", "72300"}, 2)


def test_a_file_without_an_element_type_column_is_named(tmp_path):
    path = tmp_path / "cnp_2021_version_1.0_-_elements.csv"
    path.write_text("Niveau,Code de la CNP v1.0,Titres de classes,Autre,Description d’élément Français\n"
                    "5,21100,a,b,c\n", encoding="utf-8")
    with pytest.raises(NocDataError, match="cnp_2021_version_1.0_-_elements.csv has no element type column"):
        noc_parse.parse_elements(path, {}, "fr")


def test_full_french_file_gives_french_texts_for_all_516_groups(noc):
    assert noc.sources["elements_fr"] == FR_FILE and not noc.skipped
    coverage = noc.french_coverage()
    assert coverage["main_duties"] == coverage["employment_requirements"] == 516
    assert coverage["definitions"] == 0  # no French lead statements in any file we have: English is shown
    physicists = noc.get("21100").main_duties("fr")
    assert [s.heading for s in physicists] == ["Physiciens", "Astronomes"]
    orderlies = noc.get("33102")
    assert orderlies.duties("fr")[0].startswith("répondre aux appels, fournir et vider les bassins")
    assert orderlies.employment_requirements("fr")[0].startswith("Quelques années d'études secondaires")
    assert noc.get("72300").duties("fr")[0].startswith("lire des plans, des dessins et des spécifications")
    excluded = [c for e in noc.get("00011").exclusions("fr") for c in e.codes]
    assert "00010" in excluded and "40011" in excluded  # "(Voir 4001 …)": a minor group, all its unit groups
    headings = [s.heading for ug in noc.unit_groups.values() for s in ug.main_duties_fr if s.heading]
    assert len(headings) > 500 and not any(h.endswith((";", ".", ":")) for h in headings)
    # English is unchanged.
    assert noc.get("33102").duties("en")[0].startswith("Answer call signals")


def _french(folder: Path) -> Path:
    return folder / FR_FILE


@pytest.mark.parametrize("damage", ["binary", "columns", "truncated"])
def test_an_unusable_french_file_falls_back_to_english_with_one_warning(noc_copy, damage, caplog):
    path = _french(noc_copy)
    if damage == "binary":
        path.write_bytes(b"\x00\xff" * 50)
    elif damage == "columns":
        path.write_text("Niveau,Code,Titre\n5,21100,x\n", encoding="utf-8")
    else:
        lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        path.write_text("".join(lines[:3000]), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="lib.noc"):
        noc = load_noc(use_cache=False)
    assert len(noc.unit_groups) == 516 and "elements_fr" not in noc.sources
    reason = noc.skipped["elements_fr"]["text"]
    assert reason.startswith(FR_FILE) and "\n" not in reason
    assert FR_FILE in noc.warnings("fr")[0] and "texte anglais" in noc.warnings("fr")[0]
    assert noc.get("33102").duties("fr") == noc.get("33102").duties("en")
    assert [r.getMessage() for r in caplog.records] == [reason]


def test_official_full_french_file_is_preferred(noc_copy):
    """After a download the official file (same 5 columns, plus the example titles) wins over the stand-in."""
    with _french(noc_copy).open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    with (noc_copy / "cnp_2021_version_1.0_-_elements.csv").open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerows(rows)
        out.writerow(["5", "72300", "Plombiers/plombières", "Exemple(s) illustratif(s)", "plombier/plombière"])
        out.writerow(["5", "72300", "Plombiers/plombières", "Tous les exemples", "plombier/plombière de chantier"])
    noc = load_noc(use_cache=False)
    assert noc.sources["elements_fr"] == "cnp_2021_version_1.0_-_elements.csv"
    assert noc.get("72300").illustrative_titles("fr") == ("plombier/plombière",)
    assert noc.get("72300").example_titles("fr") == ("plombier/plombière de chantier",)
    assert noc.get("72300").duties("fr")[0].startswith("lire des plans")


@pytest.mark.full_data
def test_setup_reports_which_french_parts_are_present(capsys):
    from lib.cli import noc as cli_noc

    assert cli_noc.setup() == 0
    out = capsys.readouterr().out
    assert "main duties 516/516" in out and "employment requirements 516/516" in out
    assert "lead statements 0/516 (no French lead statements: English is shown)" in out


@pytest.mark.full_data
def test_cli_noc_json_in_french_prints_the_french_duties(capsys):
    import json

    from lib.cli import main

    assert main(["noc", "33102", "--json", "--lang", "fr"]) == 0
    fr = json.loads(capsys.readouterr().out)
    assert fr["main_duties"][0]["duties"][0].startswith("répondre aux appels")
    assert fr["employment_requirements"][0].startswith("Quelques années d'études secondaires")
    assert fr["in_english"] == ["definition"]  # no French lead statement: said once
    assert main(["noc", "33102", "--json", "--lang", "en"]) == 0
    en = json.loads(capsys.readouterr().out)
    assert en["main_duties"][0]["duties"][0].startswith("Answer call signals") and "in_english" not in en


@pytest.mark.full_data
def test_cli_errors_are_english_unless_french_is_asked(capsys):
    from lib.cli import main

    assert main(["noc", "99999"]) == 1
    assert capsys.readouterr().err.strip() == "error: 99999 is not a NOC 2021 unit group code"
    assert main(["noc", "99999", "--lang", "fr"]) == 1
    assert capsys.readouterr().err.strip() == "error: 99999 n'est pas un code de groupe de base de la CNP 2021"


def test_english_evidence_duties_map_to_their_french_counterpart(noc):
    plumbers = noc.get("72300")
    assert plumbers.in_language("duty", plumbers.duties("en")[1], "en", "fr") == (plumbers.duties("fr")[1], "fr")
    # 21100: the French list has two specialisation notes more; they are set aside, not mapped.
    physicists = noc.get("21100")
    text, lang = physicists.in_language("duty", physicists.duties("en")[3], "en", "fr")
    assert lang == "fr" and text.startswith("préparer et exécuter des campagnes d'observation")
    # No French lead statement: it stays English, and says so through its language.
    assert plumbers.in_language("definition", plumbers.definition_en, "en", "fr") == (plumbers.definition_en, "en")
    mapped = sum(ug.in_language("duty", ug.duties("en")[0], "en", "fr")[1] == "fr" for ug in noc.unit_groups.values())
    assert mapped == 483
