"""The NOC data layer: one validated bilingual model of NOC 2021, code look-ups, caching and clear errors."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from lib.errors import NocDataError, UnknownCode, UserError
from lib.noc import load_noc


def test_full_data_has_516_unit_groups_with_teer_from_second_digit(noc):
    assert len(noc.unit_groups) == 516
    assert Counter(ug.teer for ug in noc.unit_groups.values()) == {0: 48, 1: 97, 2: 162, 3: 69, 4: 95, 5: 45}
    assert all(ug.teer == int(code[1]) for code, ug in noc.unit_groups.items())
    assert list(noc.unit_groups) == sorted(noc.unit_groups)


def test_unit_group_is_bilingual_with_duties_examples_and_hierarchy(noc):
    ug = noc.get("21232")
    assert ug.teer == 1
    assert ug.title("en") == "Software developers and programmers"
    assert ug.title("fr").startswith("Développeurs/développeuses")
    assert any("test" in d and "code" in d for d in ug.duties("en"))
    assert "software developer" in ug.example_titles("en")
    assert len(ug.example_titles("fr")) > 10 and ug.example_titles("fr") != ug.example_titles("en")
    assert [g.level for g in noc.hierarchy("21232")] == ["broad", "major", "sub_major", "minor"]
    assert [g.code for g in noc.hierarchy("21232")] == ["2", "21", "212", "2123"]
    # French duties come from the official French elements; the lead statement has no French text yet.
    assert ug.duties("fr")[0].startswith("concevoir, écrire, lire, tester et corriger")
    assert ug.duties("fr") != ug.duties("en")
    assert ug.definition("fr") == ug.definition("en")


def test_role_headings_are_kept_as_sections(noc):
    sections = noc.get("11100").main_duties("en")
    assert [s.heading for s in sections] == ["Financial auditors", "Accountants"]
    assert all(s.duties for s in sections)
    assert not any(d.endswith(":") for d in noc.get("11100").duties("en"))


def test_exclusions_point_at_known_codes(noc):
    codes = [c for e in noc.get("11100").exclusions("en") for c in e.codes]
    assert "10010" in codes and "12200" in codes
    assert all(c in noc.unit_groups for ug in noc.unit_groups.values() for e in ug.exclusions_en for c in e.codes)


@pytest.mark.parametrize("text, kind, codes", [
    ("21232", "noc2021", ("21232",)),
    ("  NOC 21232 ", "noc2021", ("21232",)),
    ("cnp 2021 21232", "noc2021", ("21232",)),
    ("21232.00", "noc2021", ("21232",)),
    ("2174", "noc2016", ("21230", "21232", "21234")),
    ("0011", "noc2016", ("00010",)),
])
def test_lookup_code_resolves_new_and_old_codes(noc, text, kind, codes):
    found = noc.lookup_code(text)
    assert (found.kind, found.codes) == (kind, codes)


def test_lookup_code_rejects_unknown_and_malformed_codes(noc):
    assert noc.lookup_code("software developer") is None
    assert noc.lookup_code("") is None
    with pytest.raises(UnknownCode, match="99999 is not a NOC 2021"):
        noc.lookup_code("99999")
    with pytest.raises(UnknownCode, match="9999 is not a NOC 2016"):
        noc.lookup_code("9999")
    with pytest.raises(UserError, match="5 digits"):
        noc.lookup_code("123")


def test_concordance_keeps_one_to_many_links(noc):
    assert len(noc.concordance) == 500
    assert sum(len(v) > 1 for v in noc.concordance.values()) == 60
    assert all(c in noc.unit_groups for codes in noc.concordance.values() for c in codes)


def test_search_finds_titles_without_accents_and_by_code_prefix(noc):
    assert noc.search("infirmiere")[:1] == ["31301"]
    assert noc.search("2123") == ["21230", "21231", "21232", "21233", "21234"]
    assert noc.search("zzzz-not-a-job") == []


def test_children_walk_the_hierarchy(noc):
    assert len(noc.children("")) == 10
    assert noc.children("2123") == ["21230", "21231", "21232", "21233", "21234"]


def test_parsed_cache_round_trip_and_corrupt_cache_is_rebuilt(noc_copy, tmp_path, monkeypatch):
    from lib import settings

    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path / "cache")
    first = load_noc(use_cache=True, data_dir=noc_copy)
    cache_files = list((tmp_path / "cache").glob("noc2021-*.json"))
    assert len(cache_files) == 1
    from lib.noc import load as noc_module

    assert noc_module._read_cache(cache_files[0])[0]["21232"] == first.get("21232")
    cache_files[0].write_text("{ not json", encoding="utf-8")
    assert noc_module._read_cache(cache_files[0]) is None
    rebuilt = noc_module._load("2021", str(noc_copy), True)
    assert rebuilt.get("21232") == first.get("21232")
    json.loads(cache_files[0].read_text(encoding="utf-8"))  # rewritten whole


def test_checksum_changes_when_a_source_file_changes(noc_copy):
    before = load_noc(use_cache=False).checksum
    with (noc_copy / "statcan_noc2016v1.3_to_noc2021v1.0_concordance_eng.csv").open("a", encoding="utf-8") as f:
        f.write("\n")
    assert load_noc(use_cache=False).checksum != before


def _structure(folder):
    return folder / "noc_2021_version_1.0_-_classification_structure.csv"


def test_missing_folder_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setenv("NOC_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(NocDataError) as err:
        load_noc(use_cache=False)
    assert "not found" in str(err.value) and "setup --download" in str(err.value) and "\n" not in str(err.value)


def test_missing_required_file(noc_copy):
    _structure(noc_copy).unlink()
    with pytest.raises(NocDataError, match="noc_2021_version_1.0_-_classification_structure.csv is missing"):
        load_noc(use_cache=False)


def test_truncated_file_mid_row(noc_copy):
    data = _structure(noc_copy).read_bytes()
    _structure(noc_copy).write_bytes(data[: len(data) // 2].rsplit(b",", 1)[0])
    with pytest.raises(NocDataError, match="truncated"):
        load_noc(use_cache=False)


def test_truncated_file_at_row_boundary(noc_copy):
    lines = _structure(noc_copy).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    _structure(noc_copy).write_text("".join(lines[:400]), encoding="utf-8")
    with pytest.raises(NocDataError, match="should have 516 unit groups"):
        load_noc(use_cache=False)


def test_wrong_encoding(noc_copy):
    text = _structure(noc_copy).read_text(encoding="utf-8-sig") + "5,Unit Group,99999,Café,é\n"
    _structure(noc_copy).write_bytes(text.encode("latin-1", errors="replace"))
    with pytest.raises(NocDataError, match="not UTF-8"):
        load_noc(use_cache=False)


def test_duplicate_codes(noc_copy):
    text = _structure(noc_copy).read_text(encoding="utf-8-sig")
    _structure(noc_copy).write_text(text + '5,Unit Group,21232,Duplicate,"Again"\n', encoding="utf-8")
    with pytest.raises(NocDataError, match="21232 appears twice"):
        load_noc(use_cache=False)


def test_binary_file(noc_copy):
    _structure(noc_copy).write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(NocDataError, match="binary|not UTF-8"):
        load_noc(use_cache=False)


def test_example_title_pointing_at_unknown_code(noc_copy):
    path = noc_copy / "noc2021_example_titles_en_fr.csv"
    with path.open("a", encoding="utf-8") as f:
        f.write("99999,en,Nothing,Ghost title,\n")
    with pytest.raises(NocDataError, match="unknown codes"):
        load_noc(use_cache=False)


def test_official_french_structure_gives_french_definitions_and_group_titles(noc_copy):
    """With the French structure in the folder (as after a download), French titles and definitions come from it."""
    import csv

    with (noc_copy / "noc_2021_version_1.0_-_classification_structure.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))[1:]
    french = noc_copy / "cnp_2021_version_1.0_-_structure_de_la_classification.csv"
    with french.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Niveau", "Structure hiérarchique", "Code - CNP 2021 V1.0", "Titre de la classe",
                      "Définition de la classe"])
        for level, structure, code, _title, _definition in rows:
            out.writerow([level, structure, code, f"Titre FR {code}", f"Définition FR {code}"])
    noc = load_noc(use_cache=False)
    ug = noc.get("21232")
    assert noc.has_fr_details and ug.has_fr_details()
    assert ug.title("fr") == "Titre FR 21232" and ug.definition("fr") == "Définition FR 21232"
    assert noc.hierarchy("21232")[0].title("fr") == "Titre FR 2"
    assert noc.french_coverage()["definitions"] == 516
