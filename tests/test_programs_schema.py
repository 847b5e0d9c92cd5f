"""The rules files fail loudly: each broken file gives one line naming the file and the problem.

These tests copy the project's own rules files into tmp_path, break one thing, and load them against a
hand-made stand-in for the NOC (codes only, no NOC text), so they need no NOC data.
"""
from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest
import yaml

from lib.programs import RulesError, load_rules
from lib.programs.schema import DRAWS_PATH, PROGRAMS_PATH, REGULATED_PATH, ProgramsFile, RegulatedFile
from lib.programs.yaml_load import parse

# libyaml's emitter when PyYAML has it: the same text as yaml.safe_dump, several times faster.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _raw(path):
    # Dates stay strings here so that the dumper writes them back unchanged.
    from lib.programs.yaml_load import read_yaml
    return read_yaml(path)


PROGRAMS = _raw(PROGRAMS_PATH)
REGULATED = _raw(REGULATED_PATH)


def _codes() -> set[str]:
    programs = parse(ProgramsFile, PROGRAMS_PATH)
    regulated = parse(RegulatedFile, REGULATED_PATH)
    return {code for _, code in programs.component_codes()} | {p.code for p in regulated.professions}


FAKE_NOC = SimpleNamespace(version="2021", unit_groups=dict.fromkeys(_codes()))


def _component(data, component_id):
    for program in data["programs"]:
        for comp in program["components"]:
            if comp["id"] == component_id:
                return comp
    raise KeyError(component_id)


DRAWS = _raw(DRAWS_PATH)


def _load(tmp_path, programs=None, regulated=None, noc=FAKE_NOC, draws=None):
    p = tmp_path / "programs.yaml"
    r = tmp_path / "regulated_professions.yaml"
    d = tmp_path / "pstq_draws.yaml"
    p.write_text(yaml.dump(programs or PROGRAMS, Dumper=_DUMPER, allow_unicode=True), encoding="utf-8")
    r.write_text(yaml.dump(regulated or REGULATED, Dumper=_DUMPER, allow_unicode=True), encoding="utf-8")
    d.write_text(yaml.dump(draws or DRAWS, Dumper=_DUMPER, allow_unicode=True), encoding="utf-8")
    return load_rules(noc, programs_path=p, regulated_path=r, draws_path=d)


def _error(tmp_path, **kw) -> str:
    with pytest.raises(RulesError) as info:
        _load(tmp_path, **kw)
    message = str(info.value)
    assert "\n" not in message, message
    return message


def test_the_project_files_load(tmp_path):
    rules = _load(tmp_path)
    ids = [c.id for p in rules.programs.programs for c in p.components]
    assert ids == ["pstq-1", "pstq-2", "pstq-3", "pstq-4", "peq-workers", "peq-graduates",
                   "food-pilot", "orderlies-pilot", "ai-pilot-ai", "ai-pilot-it-vfx"]


def test_unknown_code_in_a_list(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    _component(data, "food-pilot")["occupation"]["codes"][0]["code"] = "99999"
    message = _error(tmp_path, programs=data)
    assert message.startswith(str(tmp_path / "programs.yaml"))
    assert "food-pilot" in message and "99999 is not a NOC 2021 code" in message


def test_malformed_code_names_the_place(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    _component(data, "orderlies-pilot")["occupation"]["codes"][0]["code"] = "3310"
    message = _error(tmp_path, programs=data)
    assert "components[orderlies-pilot].occupation.codes" in message


def test_unknown_regulated_code(tmp_path):
    data = copy.deepcopy(REGULATED)
    data["professions"][0]["code"] = "99998"
    message = _error(tmp_path, regulated=data)
    assert message.startswith(str(tmp_path / "regulated_professions.yaml")) and "99998" in message


def test_missing_source(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    del _component(data, "pstq-2")["sources"]
    message = _error(tmp_path, programs=data)
    assert "components[pstq-2].sources" in message and "required" in message.lower()


def test_empty_source_list(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    _component(data, "pstq-2")["sources"] = []
    assert "components[pstq-2].sources" in _error(tmp_path, programs=data)


def test_unknown_source_id(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    _component(data, "pstq-1")["sources"].append("no-such-source")
    assert "component pstq-1: unknown source 'no-such-source'" in _error(tmp_path, programs=data)


def test_bad_date(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    data["programs"][0]["status_history"][0]["since"] = "2024-02-30"
    message = _error(tmp_path, programs=data)
    assert "programs[pstq].status_history[0].since" in message and "bad date '2024-02-30'" in message


def test_missing_date(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    del _component(data, "peq-workers")["last_verified"]
    assert "components[peq-workers].last_verified" in _error(tmp_path, programs=data)


def test_unknown_component_id(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    _component(data, "pstq-4")["id"] = "pstq-5"
    assert "components[pstq-5].id" in _error(tmp_path, programs=data)


def test_missing_component(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    pilot = next(p for p in data["programs"] if p["id"] == "pilot-ai-it-vfx")
    pilot["components"] = [c for c in pilot["components"] if c["id"] != "ai-pilot-ai"]
    assert "missing component(s) ai-pilot-ai" in _error(tmp_path, programs=data)


def test_low_confidence_must_be_flagged(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    _component(data, "ai-pilot-it-vfx")["occupation"]["to_verify"] = False
    assert "to_verify" in _error(tmp_path, programs=data)


def test_status_periods_must_follow_each_other(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    data["programs"][0]["status_history"][1]["since"] = "2025-08-01"
    assert "does not follow" in _error(tmp_path, programs=data)


def test_ended_must_be_last(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    history = data["programs"][0]["status_history"]
    history[0]["status"] = "ended"
    assert "'ended' can only be the last" in _error(tmp_path, programs=data)


def test_unknown_key(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    _component(data, "pstq-1")["occupaton"] = {}
    assert "unknown key" in _error(tmp_path, programs=data)


def test_missing_french(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    del _component(data, "pstq-1")["name"]["fr"]
    assert "components[pstq-1].name.fr" in _error(tmp_path, programs=data)


def test_bad_check_value(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    _component(data, "pstq-2")["conditions"][2]["check"] = {"field": "diploma", "min": "phd"}
    assert "'phd' is not a value of diploma" in _error(tmp_path, programs=data)


def test_unknown_regulator(tmp_path):
    data = copy.deepcopy(REGULATED)
    data["professions"][0]["regulations"][0]["regulator"] = "nobody"
    assert "unknown regulator 'nobody'" in _error(tmp_path, regulated=data)


def test_invalid_yaml(tmp_path):
    p = tmp_path / "programs.yaml"
    p.write_text("noc_version: '2021'\nprograms: [\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"programs.yaml: invalid YAML at line \d+"):
        load_rules(FAKE_NOC, programs_path=p, regulated_path=REGULATED_PATH)


def test_missing_file(tmp_path):
    with pytest.raises(RulesError, match="file not found"):
        load_rules(FAKE_NOC, programs_path=tmp_path / "nope.yaml", regulated_path=REGULATED_PATH)


def test_noc_version_must_match(tmp_path):
    other = SimpleNamespace(version="2026", unit_groups=FAKE_NOC.unit_groups)
    message = _error(tmp_path, noc=other)
    assert "written for NOC 2021 but NOC 2026 is loaded" in message


def _peq_reopening(data):
    peq = next(p for p in data["programs"] if p["id"] == "peq")
    return next(period for period in peq["status_history"] if period.get("applications") == "reception_periods")


def test_reception_period_outside_its_status_period(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    _peq_reopening(data)["reception_periods"][0]["closes"] = "2028-12-31"
    message = _error(tmp_path, programs=data)
    assert "outside its status period" in message and "status_history" in message


def test_reception_periods_must_not_overlap(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    window = _peq_reopening(data)["reception_periods"][0]
    _peq_reopening(data)["reception_periods"].append({**window, "opens": "2026-10-01", "closes": "2026-12-31"})
    assert "overlaps" in _error(tmp_path, programs=data)


def test_reception_periods_need_the_reception_mode(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    del _peq_reopening(data)["applications"]
    assert "applications: reception_periods" in _error(tmp_path, programs=data)


def test_reception_period_source_must_exist(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    _peq_reopening(data)["reception_periods"][0]["sources"] = ["nowhere"]
    assert "unknown source 'nowhere'" in _error(tmp_path, programs=data)


def test_draw_with_unknown_source_or_component(tmp_path):
    draws = copy.deepcopy(DRAWS)
    draws["draws"][0]["source"] = "nowhere"
    assert "pstq_draws.yaml" in _error(tmp_path, draws=draws) and "nowhere" in _error(tmp_path, draws=draws)
    draws = copy.deepcopy(DRAWS)
    draws["draws"][1]["components"] = ["peq-workers"]
    assert "components" in _error(tmp_path, draws=draws)


def test_draw_after_found_until_is_refused(tmp_path):
    draws = copy.deepcopy(DRAWS)
    draws["draws"][0]["date"] = "2026-06-01"
    assert "after found_until" in _error(tmp_path, draws=draws)


def test_spouse_check_accepts_only_none_as_met(tmp_path):
    data = copy.deepcopy(PROGRAMS)
    cond = next(c for c in _component(data, "pstq-2")["conditions"] if c["id"] == "spouse-french")
    cond["check"]["met"] = ["yes"]
    assert "met: only 'none'" in _error(tmp_path, programs=data)
