"""Property-based fuzzing of the entry points that take untrusted text: code parsing, ranking, rules.

The tests on `noc`/`rules` run on the full NOC data (full_data tier); the ranking one on the tiny matcher."""
from __future__ import annotations

from typing import get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.errors import UserError
from lib.matching import MatchConfidence

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
CODE_LIKE = st.from_regex(r"\s*(noc|cnp|NOC)?\s*(20\d\d)?\s*[:#-]?\s*\d{1,7}(\.\d\d)?\s*", fullmatch=True)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(text=st.one_of(ANY_TEXT, CODE_LIKE))
def test_lookup_code_answers_or_raises_a_user_error(noc, text):
    try:
        found = noc.lookup_code(text)
    except UserError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    if found is not None:
        assert found.codes and all(code in noc.unit_groups for code in found.codes)


@FUZZ
@given(text=ANY_TEXT)
def test_search_never_fails(noc, text):
    assert all(code in noc.unit_groups for code in noc.search(text))


COMPONENT_IDS = {"pstq-1", "pstq-2", "pstq-3", "pstq-4", "peq-workers", "peq-graduates", "food-pilot",
                 "orderlies-pilot", "ai-pilot-ai", "ai-pilot-it-vfx"}
VERDICTS = {"eligible", "not_eligible", "conditional", "not_occupation_based", "not_covered"}


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["regulated_intent", "experience_years", "quebec_experience_years",
                                             "french_oral", "french_written", "diploma", "diploma_from_quebec",
                                             "status_in_quebec", "experience_by_2025_11_19",
                                             "diploma_by_2025_11_19", "spouse_french_oral", "junk"]),
                            ANY_TEXT | st.from_regex(r"\d{1,2}(\.5)?", fullmatch=True)))
def test_answers_from_untrusted_strings_parse_or_raise_a_one_line_error(data):
    from urllib.parse import urlencode

    from lib import share
    from lib.programs import Answers

    try:
        parsed = share.parse_answers(urlencode(data))
    except ValueError as exc:
        assert "\n" not in str(exc)
        return
    answers = Answers(**parsed)    # what the one parser accepts, Answers accepts
    assert Answers(**share.parse_answers(urlencode(share.encode(None, None, parsed)))) == answers


@FUZZ
@given(code_index=st.integers(0, 515), as_of=st.dates(), oral=st.none() | st.integers(0, 12),
       years=st.none() | st.floats(0, 60), intent=st.sampled_from([None, "yes", "no", "unsure"]))
def test_every_code_answers_and_date_gives_all_components(noc, rules, code_index, as_of, oral, years, intent):
    from lib.programs import Answers, evaluate

    code = list(noc.unit_groups)[code_index]
    result = evaluate(code, noc=noc, rules=rules, as_of=as_of,
                      answers=Answers(french_oral=oral, experience_years=years, regulated_intent=intent))
    assert {c.id for c in result.components} == COMPONENT_IDS
    assert all(c.verdict in VERDICTS and c.reasons("en") and c.reasons("fr") for c in result.components)
    assert all(c.overall in ("yes", "maybe", "no") and c.overall_reason("en") and c.overall_reason("fr")
               for c in result.components)


NASTY = st.sampled_from(["<script>alert(1)</script>", "'; DROP TABLE noc; --", "\u202eplumber", "👩‍🔧 plumber",
                         "\x00\x01\x02", "infirmière\u0301", "كاتب", "2174", "99999", " \t\n "])


@FUZZ
@given(text=st.one_of(ANY_TEXT, NASTY, st.lists(NASTY, max_size=4).map(" ".join)))
def test_ranking_answers_or_raises_a_user_error(tiny_matcher, text):
    try:
        result = tiny_matcher.rank(text, top=5)
    except UserError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert result.query_lang in ("en", "fr") and len(result.results) <= 5
    scores = [m.score for m in result.results]
    assert scores == sorted(scores, reverse=True)
    assert all(m.confidence in get_args(MatchConfidence) for m in result.results)
    assert all(m.confidence != "high" for m in result.results[1:])     # at most the top result reads as sure
