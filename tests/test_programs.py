"""Program rules on the full NOC data: every code evaluates, and hand-checked golden cases hold.

Golden cases were checked against shared/research/quebec-programs.md and the sources it cites
(Québec.ca pilot pages, LégisQuébec r. 7 and r. 9, CIC News on PSTQ streams, PEQ closure news).
"""
from __future__ import annotations

import json
from datetime import date
from typing import get_args

import pytest

from lib import share
from lib.errors import UnknownCode, UserError
from lib.programs import Answers, evaluate, vocab

TODAY = date(2026, 11, 25)   # fixed so that the golden statuses do not drift with the calendar
OCCUPATION = set(get_args(vocab.Verdict))
STATUS = set(get_args(vocab.Status))


def verdicts(noc, rules, code, as_of=TODAY, **answers):
    ev = evaluate(code, noc, rules, answers=Answers(**answers), as_of=as_of)
    return ev, {c.id: c for c in ev.components}


def test_every_code_evaluates_in_both_languages(noc, rules):
    assert len(noc.unit_groups) == 516
    for code in noc.unit_groups:
        ev = evaluate(code, noc, rules, as_of=TODAY)
        assert len(ev.components) == 10
        for comp in ev.components:
            assert comp.verdict in OCCUPATION and comp.status in STATUS
            assert comp.sources and comp.confidence in get_args(vocab.Confidence)
            for lang in ("en", "fr"):
                assert comp.reasons(lang) and all(r.strip() for r in comp.reasons(lang))
                assert "{" not in " ".join(comp.reasons(lang) + comp.notes(lang))   # no unfilled placeholder
        for lang in ("en", "fr"):
            json.dumps(ev.to_dict(lang), ensure_ascii=False)


def test_21232_software_developers(noc, rules):
    ev, c = verdicts(noc, rules, "21232")
    assert ev.teer == 1 and ev.regulated is None
    assert c["pstq-1"].verdict == "eligible" and c["pstq-1"].status == "open"
    assert c["pstq-2"].verdict == "not_eligible"
    assert "TEER 1 is not in 3–5" in c["pstq-2"].reasons("en")[0]
    assert "Software developers and programmers" in c["pstq-2"].reasons("en")[0]
    assert "FÉER 1" in c["pstq-2"].reasons("fr")[0]


def test_33102_orderlies(noc, rules):
    _, c = verdicts(noc, rules, "33102")
    assert c["pstq-2"].verdict == "eligible" and c["pstq-2"].status == "open"
    orderlies = c["orderlies-pilot"]
    assert orderlies.verdict == "eligible"
    assert orderlies.status == "ended" and orderlies.status_since == date(2026, 1, 1)
    assert any("legisquebec" in s.url for s in orderlies.sources)
    assert c["pstq-4"].verdict == "not_covered"
    assert any("NOC" in n for n in c["pstq-4"].notes("en")) and any("CNP" in n for n in c["pstq-4"].notes("fr"))
    assert c["peq-graduates"].verdict == "not_occupation_based"
    assert c["ai-pilot-ai"].verdict == "not_occupation_based"
    assert c["pstq-1"].verdict == "not_eligible"


def test_94141_butchers(noc, rules):
    _, c = verdicts(noc, rules, "94141")
    assert c["pstq-2"].verdict == "eligible"
    assert c["food-pilot"].verdict == "eligible"
    assert c["peq-workers"].verdict == "not_eligible"
    assert c["peq-workers"].reasons("en")[0].startswith("TEER 4 is not in 0–3")
    assert c["pstq-1"].reasons("en")[0].startswith("TEER 4 is not in 0–2")


def test_85100_food_pilot_only_for_chicken_catchers(noc, rules):
    _, c = verdicts(noc, rules, "85100")
    food = c["food-pilot"]
    assert food.verdict == "conditional"
    assert "chicken catcher" in food.reasons("en")[0] and "attrapeur de poulets" in food.reasons("fr")[0]


def test_21300_regulated_profession(noc, rules):
    ev, c = verdicts(noc, rules, "21300")
    assert ev.regulated.kind == "fully"
    assert "Ordre des ingénieurs du Québec" in ev.regulated.regulators("fr")[0]
    assert c["pstq-3"].verdict == "eligible"
    assert next(x.id for x in c["pstq-3"].conditions) == "authorization"
    assert c["pstq-3"].conditions[0].state == "unknown"     # nothing in the questionnaire answers it
    assert c["pstq-1"].verdict == "conditional"          # only if not practising the regulated profession
    _, yes = verdicts(noc, rules, "21300", regulated_intent="yes")
    assert yes["pstq-1"].verdict == "not_eligible" and yes["pstq-3"].verdict == "eligible"
    _, no = verdicts(noc, rules, "21300", regulated_intent="no")
    assert no["pstq-1"].verdict == "eligible" and no["pstq-3"].verdict == "not_eligible"


def test_partially_and_construction_only(noc, rules):
    ev, c = verdicts(noc, rules, "41409")            # criminologist: MIFI's partially regulated example
    assert ev.regulated.kind == "partially" and c["pstq-3"].verdict == "conditional"
    assert any("Only some jobs" in r for r in c["pstq-3"].reasons("en"))
    ev, c = verdicts(noc, rules, "72310")            # carpenter: MIFI's construction-only example
    assert ev.regulated.kind == "construction_only" and c["pstq-3"].verdict == "conditional"
    assert any("construction industry" in r for r in c["pstq-3"].reasons("en"))
    assert any("construction" in r for r in c["pstq-3"].reasons("fr"))


def test_low_confidence_mapping_says_whom_to_ask(noc, rules):
    ev, c = verdicts(noc, rules, "72200")
    assert ev.regulated.to_verify and ev.regulated.confidence == "low"
    assert "Qualifications Québec" in ev.regulated.check_with("en")
    assert c["pstq-1"].to_verify
    assert any("Qualifications Québec" in n for n in c["pstq-1"].notes("fr"))


def test_unverified_it_vfx_list_is_flagged(noc, rules):
    _, c = verdicts(noc, rules, "21232")
    it = c["ai-pilot-it-vfx"]
    assert it.verdict == "eligible" and it.to_verify and it.confidence == "low"
    assert any(n.startswith("To verify") for n in it.notes("en"))
    assert any(n.startswith("À vérifier") for n in it.notes("fr"))


def test_status_depends_on_the_date(noc, rules):
    def status(component, day):
        _, c = verdicts(noc, rules, "21232", as_of=day)
        return c[component].status, c[component].status_since

    assert status("peq-workers", date(2025, 1, 1)) == ("open", date(2010, 2, 14))
    assert status("peq-workers", date(2025, 7, 1)) == ("suspended", date(2025, 6, 5))
    # Abolished on 2025-11-19, then temporarily reopened from 2026-07-02 to 2028-07-02 (research of 2026-12).
    assert status("peq-workers", date(2025, 12, 1)) == ("closed", date(2025, 11, 19))
    assert status("peq-workers", date(2026, 8, 1)) == ("open", date(2026, 7, 2))
    assert status("peq-graduates", date(2026, 12, 1)) == ("open", date(2026, 7, 2))
    assert status("peq-workers", date(2028, 7, 3)) == ("ended", date(2028, 7, 3))
    assert status("peq-graduates", date(2025, 1, 1)) == ("suspended", date(2024, 10, 31))
    assert status("orderlies-pilot", date(2025, 12, 31))[0] == "open"
    assert status("orderlies-pilot", date(2026, 1, 1)) == ("ended", date(2026, 1, 1))
    assert status("pstq-1", date(2025, 3, 1)) == ("suspended", date(2024, 11, 29))   # invitation freeze
    assert status("pstq-1", date(2025, 8, 1)) == ("open", date(2025, 7, 1))
    assert status("pstq-1", date(2024, 1, 1)) == ("closed", None)                      # not yet in force


def test_notes_say_how_far_the_sources_go_and_not_legal_advice(noc, rules):
    ev, _ = verdicts(noc, rules, "21232")
    assert any("November 2026" in n and "May 2026" in n for n in ev.notes("en"))
    assert any("novembre 2026" in n and "mai 2026" in n for n in ev.notes("fr"))
    assert ev.rules_last_verified == date(2026, 12, 1) and ev.sources_until == date(2026, 11, 30)
    assert "not legal advice" in ev.disclaimer("en") and "pas un avis juridique" in ev.disclaimer("fr")
    _, late = verdicts(noc, rules, "21232", as_of=date(2027, 1, 1))
    assert any("not verified" in n for n in late["pstq-1"].notes("en"))       # a status past the sources
    _, early = verdicts(noc, rules, "21232", as_of=date(2025, 8, 1))
    assert not any("not verified" in n for n in early["pstq-1"].notes("en"))


def test_conditions_from_answers(noc, rules):
    _, c = verdicts(noc, rules, "94141", experience_years=3, quebec_experience_years=1.5, french_oral=5,
                    diploma="secondary")
    states = {x.id: x.state for x in c["pstq-2"].conditions}
    assert states == {"experience": "met", "quebec-experience": "met", "diploma": "met", "french-oral": "met",
                      "spouse-french": "unknown"}
    _, c = verdicts(noc, rules, "94141", spouse_french_oral="none")
    assert {x.id: x.state for x in c["pstq-2"].conditions}["spouse-french"] == "met"     # no accompanying spouse
    _, c = verdicts(noc, rules, "94141", spouse_french_oral=3)
    assert {x.id: x.state for x in c["pstq-2"].conditions}["spouse-french"] == "not_met"
    _, c = verdicts(noc, rules, "94141", experience_years=1, french_oral=4, diploma="none")
    states = {x.id: x.state for x in c["pstq-2"].conditions}
    assert states["experience"] == states["french-oral"] == states["diploma"] == "not_met"
    assert states["quebec-experience"] == "unknown"


def test_condition_details(noc, rules):
    _, c = verdicts(noc, rules, "21232", diploma="vocational", diploma_from_quebec=True,
                    status_in_quebec="outside")
    grads = {x.id: x.state for x in c["peq-graduates"].conditions}
    assert grads["diploma"] == "unknown" and grads["diploma-from-quebec"] == "met"   # DEP counts only if ≥ 1,800 h
    assert {x.id: x.state for x in c["peq-workers"].conditions}["status"] == "not_met"
    assert {x.id: x.state for x in c["ai-pilot-ai"].conditions}["teer-experience"] == "met"
    _, c = verdicts(noc, rules, "94141")
    assert {x.id: x.state for x in c["ai-pilot-ai"].conditions}["teer-experience"] == "not_met"
    # PSTQ 3 French levels follow the profession's TEER.
    _, c = verdicts(noc, rules, "21300")
    assert {x.id for x in c["pstq-3"].conditions} >= {"french-oral", "french-written"}
    _, c = verdicts(noc, rules, "63101")
    assert "french-oral-teer-3-5" in {x.id for x in c["pstq-3"].conditions}


def test_unknown_code(noc, rules):
    with pytest.raises(UnknownCode):
        evaluate("99999", noc, rules)


def test_answers_are_validated():
    with pytest.raises(UserError):
        Answers(french_oral=13)
    with pytest.raises(UserError):
        Answers(diploma="phd")
    with pytest.raises(UserError):
        Answers(regulated_intent="maybe")
    # From text (a share link, --answers): the one parser; an empty value is unanswered, a bad one is refused.
    parsed = share.parse_answers("french_oral=7&experience_years=2.5&diploma_from_quebec=true&diploma=bachelor"
                                 "&french_written=")
    answers = Answers(**parsed)
    assert answers == Answers(french_oral=7, experience_years=2.5, diploma_from_quebec=True, diploma="bachelor")
    assert Answers(**share.decode(share.encode(None, None, parsed)).answers) == answers
    assert share.decode({"french_oral": "7", "ignored": "x"}).answers == {"french_oral": 7}
    with pytest.raises(ValueError):
        share.parse_answers("experience_years=lots")


def test_the_questionnaire_is_derived_from_its_declaration():
    """Each Answers field's type is the one declaration: its values, its parser and the rules' check fields."""
    from lib.programs import answers, schema, vocab
    assert answers.options("diploma") == vocab.DIPLOMAS and answers.options("french_oral") == vocab.FRENCH_LEVELS
    assert answers.options("spouse_french_oral")[0] == vocab.NO_SPOUSE and answers.options("experience_years") is None
    assert set(share.ANSWER_PARSERS) == set(answers.FIELDS) and "regulated_intent" not in schema.CHECK_FIELDS
    assert schema.CHECK_FIELDS["status_in_quebec"] == answers.options("status_in_quebec")
    assert [vocab.french_stage(n) for n in (1, 4, 5, 8, 9, 12)] == ["beginner", "beginner", "intermediate",
                                                                    "intermediate", "advanced", "advanced"]


def test_the_front_door_exports_what_it_names(rules):
    import lib.programs
    from lib.programs import vocab
    assert all(hasattr(lib.programs, name) for name in lib.programs.__all__)
    assert [c.id for p in rules.programs.programs for c in p.components] == list(vocab.COMPONENT_IDS)


def test_closed_programs_take_no_applications(noc, rules):
    _, c = verdicts(noc, rules, "33102", as_of=date(2026, 12, 1))
    orderlies, pstq2 = c["orderlies-pilot"], c["pstq-2"]
    assert not orderlies.takes_applications and orderlies.verdict_without_applications
    assert pstq2.takes_applications and not pstq2.verdict_without_applications
    assert orderlies.to_dict("en")["occupation"] == orderlies.to_dict("en")["verdict"] == "eligible"


# --- the overall answer: yes / maybe / no ------------------------------------------------------------------

def test_chef_with_oral_french_5_is_a_no_for_component_1_because_of_french(noc, rules):
    _, c = verdicts(noc, rules, "62200", as_of=date(2026, 12, 1), french_oral=5)
    pstq1 = c["pstq-1"]
    assert pstq1.verdict == "eligible" and pstq1.overall == "no"
    assert pstq1.overall_reason("en") == "Oral French: you answered 5; this needs 7 or more."
    assert pstq1.overall_reason("fr").startswith("Français oral : vous avez répondu 5")
    assert not pstq1.answers_needed   # a 'no' asks nothing more


def test_a_complete_yes_for_component_2(noc, rules):
    answers = {"experience_years": 3, "quebec_experience_years": 1.5, "diploma": "secondary", "french_oral": 6,
               "spouse_french_oral": "none"}
    ev, c = verdicts(noc, rules, "94141", as_of=date(2026, 12, 1), **answers)
    assert c["pstq-2"].overall == "yes" and c["pstq-2"].accepting
    assert "every condition" in c["pstq-2"].overall_reason("en")
    assert [x["id"] for x in ev.summary("en")["yes"]] == ["pstq-2"]
    assert ev.ordered()[0].id == "pstq-2"
    # One answer missing: maybe, and the summary names the question that settles it.
    _, c = verdicts(noc, rules, "94141", as_of=date(2026, 12, 1), **{**answers, "spouse_french_oral": None})
    assert c["pstq-2"].overall == "maybe" and c["pstq-2"].answers_needed == ("spouse_french_oral",)
    assert "spouse's oral French" in c["pstq-2"].overall_reason("en")


def test_maybe_names_the_fact_to_check(noc, rules):
    _, c = verdicts(noc, rules, "21300", as_of=date(2026, 12, 1), experience_years=5, french_oral=8,
                    french_written=6, spouse_french_oral="none")
    pstq3 = c["pstq-3"]
    assert pstq3.overall == "maybe" and not pstq3.answers_needed
    assert any("authorization to practise" in x for x in pstq3.to_check("en"))
    pstq1 = c["pstq-1"]                                   # regulated: depends on whether you will practise it
    assert pstq1.overall == "maybe" and "regulated_intent" in pstq1.answers_needed


def test_peq_reopening_open_until_2028_but_no_reception_period_now(noc, rules):
    answers = {"experience_by_2025_11_19": True, "quebec_experience_years": 3,
               "status_in_quebec": "temporary_worker", "french_oral": 8, "spouse_french_oral": "none"}
    _, c = verdicts(noc, rules, "21232", as_of=date(2026, 12, 1), **answers)
    peq = c["peq-workers"]
    assert peq.status == "open" and peq.status_until == date(2028, 7, 2) and not peq.accepting
    assert peq.overall == "no"
    reason = peq.overall_reason("en")
    assert "2028-07-02" in reason and "reception periods" in reason and "none is open" in reason
    assert "2026-10-31" in reason
    assert "période" in peq.overall_reason("fr")
    assert [w.to_dict() for w in peq.reception] == [{"opens": "2026-07-02", "closes": "2026-10-31", "open_now": False}]
    assert any("5 October 2026" in n for n in peq.notes("en"))           # the election caveat
    # During the first reception period the same person is a 'maybe': the reopening itself is to verify.
    _, during = verdicts(noc, rules, "21232", as_of=date(2026, 8, 1), **answers)
    assert during["peq-workers"].accepting and during["peq-workers"].overall == "maybe"
    assert any("status" in x for x in during["peq-workers"].to_check("en"))
    # Not qualified on the reference date: a plain no, whatever the period.
    _, late = verdicts(noc, rules, "21232", as_of=date(2026, 8, 1), **{**answers, "experience_by_2025_11_19": False})
    assert late["peq-workers"].overall == "no"
    assert "19 November 2025" in late["peq-workers"].overall_reason("en")


def test_pilots_ended_say_so_in_one_line(noc, rules):
    _, c = verdicts(noc, rules, "33102", as_of=date(2026, 12, 1))
    orderlies = c["orderlies-pilot"]
    assert orderlies.verdict == "eligible" and orderlies.overall == "no"
    assert orderlies.overall_reason("en") == "Ended on 2026-01-01: it takes no new applications."


def test_pstq_components_carry_their_2026_draws(noc, rules):
    _, c = verdicts(noc, rules, "21232", as_of=date(2026, 12, 1))
    draws = c["pstq-1"].draws
    assert c["pstq-1"].draws_found_until == date(2026, 4, 30)
    assert [d.date for d in draws] == sorted((d.date for d in draws), reverse=True)
    assert {(d.date, d.invitations, d.min_score) for d in draws} >= {(date(2026, 2, 23), 419, 627),
                                                                      (date(2026, 4, 30), 379, 716)}
    assert any(d.label("en") == "priority occupations" for d in draws)
    assert any("physicians" in d.label("en") for d in c["pstq-3"].draws)
    assert all(d.source.url.startswith("https://") for d in draws)
    assert c["peq-workers"].draws is None
    _, early = verdicts(noc, rules, "21232", as_of=date(2026, 3, 1))   # rounds after the date are not shown
    assert max(d.date for d in early["pstq-1"].draws) == date(2026, 2, 23)


def test_ircc_public_policy_note_is_dated(noc, rules):
    _, c = verdicts(noc, rules, "21232", as_of=date(2026, 12, 1))
    assert any("IRCC" in n and "31 December 2026" in n for n in c["pstq-2"].notes("en"))
    _, later = verdicts(noc, rules, "21232", as_of=date(2027, 1, 1))
    assert not any("IRCC" in n for n in later["pstq-2"].notes("en"))


def test_every_no_has_a_reason_and_every_maybe_says_what_settles_it(noc, rules):
    for code in list(noc.unit_groups)[::7]:
        ev = evaluate(code, noc, rules, as_of=date(2026, 12, 1), answers=Answers(french_oral=7))
        for comp in ev.components:
            assert comp.overall in vocab.OVERALL
            for lang in ("en", "fr"):
                assert comp.overall_reason(lang).strip(), (code, comp.id)
            if comp.overall == "maybe":
                assert comp.answers_needed or comp.to_check("en") or comp.verdict == "conditional"
