"""The French flow in AppTest: official French duties as evidence, French sources first, French typography, and
no English words on any French page (outside proper names and codes)."""
from __future__ import annotations

import re

import pytest

from lib.typography import NBSP, french
from tests.helpers.apptest import answer_and_see_programs, new_app, ok, t, titles, walk

pytestmark = pytest.mark.full_data

PAGES = ("start", "describe", "choose", "situation", "programs", "browse", "about")

# Words that only English uses (French has none of them), so one of them on a French page betrays English text.
ENGLISH_WORDS = set("""
    the and of to with is are your you this that from which will be has have for by it its all any may can must
    should their they we our there these those what when where who how in not been were was would could about into
    than then only also each such duties duty workers worker skilled program programs apply read english french
""".split())
# Allowed on French pages, and why: the language switch names both languages in their own words ("English" and
# the bilingual label "Language · Langue"), and the official French NOC text cites one English proper name.
ALLOWED = {"english", "language"}
PROPER_NAMES = ("Leadership in Energy and Environmental Design",)  # LEED, in the official French text of 72300


def visible_text(at, options: bool = True) -> str:
    """What a person reads on the page: text elements, labels, options and button captions (not URLs)."""
    parts = [el.value for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success")
             for el in getattr(at, kind)]
    parts += [b.label for b in at.button] + [e.label for e in at.expander]
    for widget in list(at.selectbox) + list(at.text_area) + list(at.number_input) + list(at.text_input):
        parts.append(widget.label)
        if options:
            parts += [str(o) for o in getattr(widget, "options", [])][:20]  # AppTest gives the shown labels
    text = "\n".join(str(p) for p in parts)
    text = re.sub(r"\]\(<[^>]*>\)", "]", text)         # Markdown link targets are addresses, not words
    return re.sub(r"https?://\S+", " ", text)


def english_words(text: str) -> list[str]:
    """English-only words, outside proper names and codes (file names, model names, NOC codes: any token with a
    digit, an underscore or a dot inside)."""
    text = text.replace("\\", "")
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    tokens = [tok for tok in text.split() if not re.search(r"[\d_]|\w\.\w", tok)]
    words = re.findall(r"[A-Za-zÀ-ÿ']+", " ".join(tokens))
    return sorted({w for w in words if w.lower() in ENGLISH_WORDS and w.lower() not in ALLOWED})


def _evidence(at) -> str:
    return "\n".join(m.value for m in at.markdown if m.value.startswith("- ") and NBSP + ":" in m.value)


# Titles, so that the test does not depend on how well sentences rank (that is tests/test_matching*).
FLOWS = [("préposée aux bénéficiaires", "33102"), ("plombier", "72300")]


@pytest.mark.parametrize("text, code", FLOWS)
def test_french_flow_shows_french_duties_and_no_english(text, code):
    from views import common as ui

    at = walk("fr", text)
    codes = [m.code for m in at.session_state["ranked"].results]
    assert code in codes[:3], codes
    french_duties = ui.noc().get(code).duties("fr")
    shown = visible_text(at)
    assert "(en anglais)" not in shown
    # The suggestion's details hold its official French duties; its evidence is French.
    assert sum(french(d)[:40] in shown for d in french_duties) >= len(french_duties) // 2
    assert english_words(shown) == [], english_words(shown)
    at = answer_and_see_programs(at, "fr")
    page = visible_text(at)
    assert english_words(page) == [], english_words(page)
    # Sources: French titles, official ones first, French pages where they exist.
    links = re.findall(r"\]\(<(https://[^>]+)>\)", "\n".join(m.value for m in at.markdown))
    assert links and not any("legisquebec.gouv.qc.ca/en/" in u for u in links)
    prose = re.sub(r":material/[a-z_]+:|:[a-z-]+\[", "", page)  # Streamlit icons and colours are not punctuation
    assert " :" not in prose and " ;" not in prose, "punctuation without its non-breaking space"


def test_choose_page_evidence_is_french_for_both_examples():
    for text, code in FLOWS:
        at = walk("fr", text)
        match = next(m for m in at.session_state["ranked"].results if m.code == code)
        evidence = _evidence(at)
        assert evidence, "no evidence lines"
        assert t("choose.evidence", "fr") in "\n".join(m.value for m in at.markdown)
        assert "Fonction" in evidence or "Titre" in evidence
        assert not english_words(evidence), (code, english_words(evidence), [e.text for e in match.evidence])


@pytest.mark.parametrize("page", PAGES)
def test_every_french_page_has_no_english_words(page):
    at = ok(new_app("fr", code="72300").run()) if page in ("situation", "programs") else ok(new_app("fr").run())
    ok(at.switch_page(f"views/{page}.py").run())
    assert titles(at), page
    # Browse: the group titles above the unit groups have no French source file; the page says so once and the
    # options are left out of the check (the unit groups' own titles are French).
    groups_in_english = page == "browse" and any(t("browse.groups_in_english", "fr") == c.value for c in at.caption)
    found = english_words(visible_text(at, options=not groups_in_english))
    assert found == [], (page, found)


def test_the_english_words_check_can_fail():
    assert english_words("Fonction : Assist with proper eating") == ["with"]
    assert english_words("Source : the Skilled Worker Selection Program") == ["Program", "Skilled", "Worker", "the"]
    assert english_words("Langue · English · statcan_noc2016_to_noc2021_eng.csv · all-MiniLM-L6-v2") == []
