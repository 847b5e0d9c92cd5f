"""The French flow in AppTest: official French duties as evidence, French sources first, French typography, and
no English words on any French page (outside proper names and codes)."""
from __future__ import annotations

import re

import pytest

from lib.typography import NBSP, french
from tests.test_app import answer_and_see_programs, new_app, ok, t, titles, walk

PAGES = ("start", "describe", "choose", "situation", "programs", "browse", "about")

# Words that only English uses (French has none of them), so one of them on a French page betrays English text.
ENGLISH_WORDS = set("""the and of to with is are your you this that from which will be has have for by an it its all
any may can must should their they we our there these those what when where who how in not been were was would
could about into than then only also each such duties duty occupation occupations workers worker skilled program
programs apply read page source english french""".split())
# Allowed on French pages, and why: the language switch names both languages in their own words ("English" and
# the bilingual label "Language · Langue"); nothing else.
ALLOWED = {"english", "language"}


def visible_text(at) -> str:
    """What a person reads on the page: text elements, labels, options and button captions (not URLs)."""
    parts = [el.value for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success")
             for el in getattr(at, kind)]
    parts += [b.label for b in at.button] + [e.label for e in at.expander]
    for widget in list(at.selectbox) + list(at.text_area) + list(at.number_input) + list(at.text_input):
        parts.append(widget.label)
        parts += [str(widget.format_func(o)) for o in getattr(widget, "options", [])][:20]
    text = "\n".join(str(p) for p in parts)
    text = re.sub(r"\]\(<[^>]*>\)", "]", text)         # Markdown link targets are addresses, not words
    return re.sub(r"https?://\S+", " ", text)


def english_words(text: str) -> list[str]:
    words = re.findall(r"[A-Za-zÀ-ÿ']+", text.replace("\\", " "))
    return sorted({w for w in words if w.lower() in ENGLISH_WORDS and w.lower() not in ALLOWED})


def _evidence(at) -> str:
    return "\n".join(m.value for m in at.markdown if m.value.startswith("- ") and NBSP + ":" in m.value)


@pytest.mark.parametrize("text, code", [
    ("je suis préposée aux bénéficiaires dans un CHSLD", "33102"),
    ("plombier", "72300"),
])
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
    assert " :" not in page and " ;" not in page, "punctuation without its non-breaking space"


def test_choose_page_evidence_is_french_for_both_examples():
    for text, code in (("je suis préposée aux bénéficiaires dans un CHSLD", "33102"), ("plombier", "72300")):
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
    found = english_words(visible_text(at))
    assert found == [], (page, found)


def test_the_english_words_check_can_fail():
    assert english_words("Fonction : Assist with proper eating") == ["with"]
    assert english_words("Langue · English") == []
