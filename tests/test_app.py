"""The Streamlit app driven with AppTest: the whole flow in EN and FR, share links, bad links, privacy, presenter.

The model, index and rules are built once per test process (st.cache_resource is process-wide), so only the
first flow pays for loading them; the rest of the file runs in seconds. Every test here needs the full NOC data
and the model (full_data); what the app does without data is in test_app_without_data.py. The AppTest helpers
are in tests/helpers/apptest.py.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from lib import i18n, share
from lib.typography import for_lang
from tests.helpers.apptest import (
    APP,
    TIMEOUT,
    all_text,
    answer_and_see_programs,
    button,
    new_app,
    ok,
    t,
    titles,
    walk,
)

pytestmark = pytest.mark.full_data
MARKER = "zqxmarker"  # a made-up word: must never reach the URL


@pytest.mark.parametrize("lang, text, expect", [
    ("en", f"I install and repair water pipes in new houses {MARKER}", "72300"),
    ("fr", f"je soigne des patients à l'hôpital, infirmière {MARKER}", "31301"),
])
def test_whole_flow(lang, text, expect):
    at = walk(lang, text)
    codes = [m.code for m in at.session_state["ranked"].results]
    assert expect in codes, codes  # a sensible code among the suggestions (ranking quality: tests/test_matching*)
    assert [b.key for b in at.button if b.key.startswith("pick_")] == [f"pick_{c}" for c in codes[:5]]
    shown = all_text(at)
    assert t("choose.evidence", lang) in shown            # evidence is shown for the suggestions
    at = answer_and_see_programs(at, lang)
    code = at.session_state["code"]
    body = all_text(at).replace("\\", "")  # Markdown escapes removed
    from views import common as ui  # the same cached objects the app used
    ev = ui.evaluate(code, at.session_state["answers"])
    assert for_lang(ev.disclaimer(lang), lang) in body  # data text gets the language's typography too
    assert t("programs.sources", lang) in body
    for comp in ev.components:  # every component, with its verdict and status
        assert for_lang(comp.name(lang), lang) in body
        assert t(f"verdict.{comp.verdict}", lang) in body
    # The share link holds the language, code and answers, and never the free text.
    link = at.code[0].value
    assert MARKER not in link and "zqx" not in link
    params = dict(parse_qsl(urlsplit(link).query))
    assert params["lang"] == lang and params["noc"] == "2021"
    state = share.decode(params)
    assert state.code == code and state.answers["diploma"] == "college" and state.answers["french_oral"] == 7
    assert len(at.download_button) == 2


def test_share_link_restores_programs_page():
    at = ok(new_app("fr", code="72300", experience_years="3", french_oral="7", diploma="college").run())
    assert titles(at) == [t("programs.title", "fr")]
    assert "72300" in all_text(at)
    assert at.session_state["answers"] == {"experience_years": 3.0, "french_oral": 7, "diploma": "college"}
    # Opening the same link restores the same page in English too.
    at_en = ok(new_app("en", code="72300").run())
    assert titles(at_en) == [t("programs.title", "en")]


@pytest.mark.parametrize("params", [
    {"code": "abc", "french_oral": "99", "lang": "xx"},
    {"code": "<script>alert(1)</script>"},
    {"code": "99999"},                               # well-formed, not a NOC 2021 code
    {"code": "72300", "experience_years": "nan", "diploma": "'; DROP TABLE x;--"},
    {"code": "72300\x00", "status_in_quebec": "é" * 3000},
])
def test_malformed_links_never_crash(params):
    at = ok(new_app(**params).run())
    assert titles(at)  # some page rendered
    assert "<script>" not in all_text(at)


def test_link_from_another_noc_version_does_not_restore_its_code():
    at = ok(new_app("en", code="72300", noc="2016").run())
    assert "code" not in at.session_state
    assert any("NOC 2016" in w.value and "NOC 2021" in w.value for w in at.warning)
    current = ok(new_app("en", code="72300", noc="2021").run())
    assert titles(current) == [t("programs.title", "en")]


def test_unknown_code_in_link_says_so_in_one_line():
    at = ok(new_app("en", code="99999").run())
    assert titles(at) == [t("programs.title", "en")]
    assert any("99999" in e.value for e in at.error)


def test_language_follows_switch_and_browser_locale():
    at = ok(new_app().run())
    assert titles(at) == [t("start.title", "en")]
    at.segmented_control(key="w_lang").set_value("fr").run()
    assert titles(ok(at)) == [t("start.title", "fr")]
    ok(at.switch_page("views/about.py").run())          # the choice survives page changes
    assert titles(at) == [t("about.title", "fr")]
    at_fr = ok(AppTest.from_file(APP, default_timeout=TIMEOUT))
    at_fr.run()  # no lang parameter: the browser locale decides (en in AppTest)
    assert titles(at_fr) == [t("start.title", "en")]


def test_presenter_toggle_turns_on_large_type():
    at = ok(new_app("en").run())
    at.toggle(key="w_presenter").set_value(True).run()
    assert at.session_state["presenter"] is True
    ok(at.switch_page("views/about.py").run())
    assert at.session_state["presenter"] is True


def test_empty_description_is_refused_politely():
    at = ok(new_app("en").run())
    ok(at.switch_page("views/describe.py").run())
    at.text_area(key="w_description").input("   ")
    ok(button(at, t("describe.submit", "en")).click().run())
    assert titles(at) == [t("describe.title", "en")]
    assert any(t("describe.empty", "en") in w.value for w in at.warning)


def test_browse_search_and_pick_goes_to_programs():
    at = ok(new_app("fr").run())
    at.switch_page("views/browse.py").run()
    at.text_input(key="w_browse_query").input("plombier").run()
    ok(at)
    ok(at.button(key="search_72300").click().run())
    assert titles(at) == [t("programs.title", "fr")]
    assert at.session_state["code"] == "72300"


def test_presenter_reset_forgets_the_visitor():
    # AppTest (1.67) shows the entrypoint's widgets only in the first run's tree, so presenter mode is set
    # through the session before that run; the toggle itself is checked in test_presenter_toggle.
    at = new_app("en", code="72300", diploma="master")
    at.session_state["presenter"] = True
    ok(at.run())
    assert at.session_state["code"] == "72300"
    ok(button(at, t("presenter.reset", "en")).click().run())
    assert "code" not in at.session_state and at.session_state["answers"] == {}
    assert at.session_state["presenter"] is True
    assert "code" not in at.query_params


def test_every_page_renders_in_both_languages():
    for lang in i18n.LANGUAGES:
        for page in ("start", "describe", "choose", "situation", "programs", "browse", "about"):
            at = ok(new_app(lang).run())
            ok(at.switch_page(f"views/{page}.py").run())
            assert titles(at), page


@pytest.mark.parametrize("text", [
    "x" * 1_000_000,                                   # 1 MB
    "plumber\x00\x01\x1b[31m",                          # NUL and control characters
    "👩‍⚕️ nurse 🏥",                                      # emoji
    "أقوم بإصلاح الأنابيب في المنازل الجديدة",             # right-to-left text
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "'; DROP TABLE noc; -- ",
    "[click me](javascript:alert(1)) ![x](http://example.invalid/x.png) $x^2$",
    "99999",                                           # well-formed, unknown code
    "123",                                             # not a NOC code
])
def test_bad_descriptions_get_a_sane_answer(text):
    at = ok(new_app("en").run())
    ok(at.switch_page("views/describe.py").run())
    at.text_area(key="w_description").input(text)
    ok(button(at, t("describe.submit", "en")).click().run())
    assert titles(at) in ([t("choose.title", "en")], [t("describe.title", "en")])
    shown = all_text(at)
    for raw in ("<script>", "<img", "](javascript", "![x]"):
        assert raw not in shown  # escaped or refused, never live Markdown/HTML
    if titles(at) == [t("describe.title", "en")]:
        assert at.error or at.warning  # refused with a one-line message


def test_dropped_link_parts_are_named_once():
    at = ok(new_app("en", code="72300", french_oral="99", diploma="phd").run())
    assert titles(at) == [t("programs.title", "en")]
    warnings = " ".join(w.value for w in at.warning)
    assert "french_oral" in warnings and "diploma" in warnings
    at.switch_page("views/about.py").run()
    assert not any("french_oral" in w.value for w in at.warning)


def test_ended_programs_do_not_read_as_good_news():
    at = ok(new_app("en", code="33102").run())
    no_box = next(e.value for e in at.error if e.value.startswith(f"**{t('overall.no', 'en')}**"))
    orderlies = plain(next(line for line in no_box.splitlines() if "Orderlies" in line))
    assert "Ended on 2026-01-01" in orderlies
    expander = next(e for e in at.expander if "Orderlies pilot" in e.label)
    assert any(t("programs.no_new_applications", "en") in m.value for m in expander.markdown)


def plain(text: str) -> str:
    """Page text without Markdown escapes and with the non-breaking hyphens of dates as plain ones."""
    return text.replace("\\", "").replace("\u2011", "-")


def _main_elements(at: AppTest) -> list:
    return [el for el in at.main if type(el).__name__ not in ("SpecialBlock", "ButtonGroup")]


def test_first_screen_says_component_1_is_not_for_a_chef_with_oral_french_5():
    """The issue's first 'done when': title, code line, then the answer, with the reason, before any detail."""
    at = ok(new_app("en", code="62200", french_oral="5").run())
    first = _main_elements(at)[:6]
    assert type(first[0]).__name__ == "Title"
    kinds = [type(el).__name__ for el in first]
    assert "Error" in kinds and kinds.index("Error") <= 5           # the 'no' box is within the first elements
    no_box = next(el.value for el in first if type(el).__name__ == "Error")
    line = next(x for x in no_box.splitlines() if "PSTQ component 1" in x)
    assert "Oral French: you answered 5; this needs 7 or more." in line.replace("\\", "")
    # Summary before the share link and downloads, which come before the components.
    order = [type(el).__name__ for el in at.main]
    assert order.index("Error") < order.index("Code")
    # 'No' components are folded; a 'maybe' is open.
    folded = {e.label.split("**")[1]: e.proto.expanded for e in at.expander}
    assert folded["PSTQ component 1"] is False and folded["PSTQ component 4"] is True


def test_peq_reopening_for_a_developer_qualified_on_the_reference_date():
    at = ok(new_app("en", code="21232", experience_by_2025_11_19="1", quebec_experience_years="3",
                    status_in_quebec="temporary_worker", french_oral="8").run())
    no_box = next(e.value for e in at.error if e.value.startswith(f"**{t('overall.no', 'en')}**"))
    peq = plain(next(line for line in no_box.splitlines() if "PEQ – temporary workers" in line))
    assert "Open until 2028-07-02" in peq and "reception periods" in peq and "none is open" in peq


def test_french_summary_and_new_questions():
    at = ok(new_app("fr", code="62200", french_oral="5", spouse_french_oral="none").run())
    assert any(e.value.startswith(f"**{t('overall.no', 'fr')}**") for e in at.error)
    assert any(for_lang("Français oral : vous avez répondu 5", "fr") in e.value for e in at.error)
    ok(at.switch_page("views/situation.py").run())
    assert at.selectbox(key="w_spouse_french_oral").value == "none"
    assert at.selectbox(key="w_experience_by_2025_11_19").value is None
    at.selectbox(key="w_experience_by_2025_11_19").set_value(True)
    ok(button(at, t("situation.submit", "fr")).click().run())
    assert at.session_state["answers"]["experience_by_2025_11_19"] is True
    assert "experience_by_2025_11_19=1" in at.code[0].value


def test_questionnaire_explains_the_french_scale():
    at = ok(new_app("en", code="62200").run())
    ok(at.switch_page("views/situation.py").run())
    assert any("Échelle québécoise" in c.value and "12 levels" in c.value for c in at.caption)


def test_show_more_and_the_hierarchy_rerun_only_their_part():
    at = walk("en", "I install and repair water pipes in new houses")
    picks = lambda: [b for b in at.button if b.key and b.key.startswith("pick_")]
    assert len(picks()) == 5
    ok(at.button(key="choose_more").click().run())
    assert len(picks()) == 10 and titles(at) == [t("choose.title", "en")]
    ok(at.switch_page("views/browse.py").run())
    for level, code in (("broad", "7"), ("major", "72"), ("sub_major", "723"), ("minor", "7230")):
        ok(at.selectbox(key=f"w_browse_{level}").set_value(code).run())
    ok(at.button(key="tree_72300").click().run())
    assert titles(at) == [t("programs.title", "en")] and at.session_state["code"] == "72300"


@pytest.mark.parametrize("adapt", ["1", "0"])
def test_about_says_whether_the_model_was_adapted_to_the_noc(adapt, monkeypatch):
    monkeypatch.setenv("QC_ADAPT", adapt)
    at = ok(new_app("en").run())
    ok(at.switch_page("views/about.py").run())
    said = " ".join(m.value for m in at.markdown)
    assert ("fine-tuned when this tool was installed" in said) == (adapt == "1")
