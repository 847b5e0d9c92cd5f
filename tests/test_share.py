"""Share links: only closed values travel; malformed parameters are dropped, never raised."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib import share


def test_round_trip():
    answers = {"regulated_intent": "no", "experience_years": 3.5, "quebec_experience_years": 1.0,
               "french_oral": 7, "french_written": 5, "diploma": "college", "diploma_from_quebec": True,
               "status_in_quebec": "temporary_worker"}
    params = share.encode("fr", "72300", answers)
    assert params["experience_years"] == "3.5" and params["diploma_from_quebec"] == "1"
    state = share.decode(params)
    assert (state.lang, state.code, state.answers, state.dropped) == ("fr", "72300", answers, [])


def test_none_and_foreign_answers_are_not_written():
    params = share.encode("en", "21232", {"french_oral": None, "description": "my secret text", "diploma": "x"})
    assert params == {"lang": "en", "code": "21232"}


@pytest.mark.parametrize("params, dropped", [
    ({"lang": "de"}, ["lang"]),
    ({"code": "7230"}, ["code"]),
    ({"code": "<script>"}, ["code"]),
    ({"french_oral": "13"}, ["french_oral"]),
    ({"french_oral": "seven"}, ["french_oral"]),
    ({"experience_years": "nan"}, ["experience_years"]),
    ({"experience_years": "1e999"}, ["experience_years"]),
    ({"experience_years": "-1"}, ["experience_years"]),
    ({"diploma": "phd"}, ["diploma"]),
    ({"diploma_from_quebec": "maybe"}, ["diploma_from_quebec"]),
    ({"status_in_quebec": "x" * 5000}, ["status_in_quebec"]),
    ({"code": []}, ["code"]),
])
def test_malformed_values_are_dropped(params, dropped):
    state = share.decode(params)
    assert state.dropped == dropped
    assert state.code is None and state.answers == {} and state.lang is None


def test_unknown_keys_ignored_and_last_value_wins():
    state = share.decode({"utm_source": "x", "q": "free text", "code": ["11111", "72300"]})
    assert state.code == "72300" and state.dropped == []


@given(st.dictionaries(st.text(max_size=30), st.one_of(st.text(max_size=40), st.lists(st.text(max_size=10)))))
def test_decode_never_raises(params):
    state = share.decode(params)
    assert set(state.answers) <= set(share.ANSWER_PARSERS)


@given(st.dictionaries(st.sampled_from(sorted(share.KNOWN_KEYS)), st.text(max_size=20)))
def test_decode_encode_is_stable(params):
    """Whatever a link holds, re-encoding what was understood gives a link that decodes the same."""
    state = share.decode(params)
    again = share.decode(share.encode(state.lang, state.code, state.answers))
    assert (again.lang, again.code, again.answers) == (state.lang, state.code, state.answers)


def test_links_name_the_noc_version_of_their_code():
    params = share.encode("en", "72300", {}, noc_version="2021")
    assert params == {"lang": "en", "code": "72300", "noc": "2021"}
    assert share.decode(params).noc_version == "2021"
    assert share.encode("en", None, {}, noc_version="2021") == {"lang": "en"}  # no code, no version
    assert share.decode({"noc": "20x1"}).dropped == ["noc"]


def test_new_answers_round_trip_and_old_links_still_work():
    answers = {"experience_by_2025_11_19": True, "diploma_by_2025_11_19": False, "spouse_french_oral": "none"}
    params = share.encode("en", "21232", answers)
    assert params["experience_by_2025_11_19"] == "1" and params["spouse_french_oral"] == "none"
    assert share.decode(params).answers == answers
    assert share.decode({"spouse_french_oral": "4"}).answers == {"spouse_french_oral": 4}
    assert share.decode({"spouse_french_oral": "13"}).dropped == ["spouse_french_oral"]
    old = share.decode({"lang": "fr", "code": "72300", "french_oral": "7"})       # a link from before
    assert old.answers == {"french_oral": 7} and old.dropped == []


def test_parse_answers_for_the_command_line():
    assert share.parse_answers("experience_years=4&french_oral=5") == {"experience_years": 4.0, "french_oral": 5}
    assert share.parse_answers("https://x.example/programs?lang=fr&code=1&spouse_french_oral=none") == {
        "spouse_french_oral": "none"}
    for bad in ("french_oral=13", "nope=1", "diploma=phd"):
        with pytest.raises(ValueError):
            share.parse_answers(bad)


def test_normalize_answers_keeps_what_a_link_carries():
    answers = {"experience_years": 3.14, "french_oral": 7, "diploma": None, "status_in_quebec": "nowhere",
               "spouse_french_oral": "none"}
    assert share.normalize_answers(answers) == {"experience_years": 3.1, "french_oral": 7, "spouse_french_oral": "none"}
    assert share.normalize_answers(None) == {}
