"""Downloads: the Markdown and PDF reports say what the page says, in the chosen language, and stay inert."""
import pytest

from lib import report
from lib.typography import for_lang
from lib.programs import Answers, evaluate, load_rules


@pytest.fixture(scope="module")
def rules(noc):
    return load_rules(noc)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_markdown_lists_every_component_with_sources(noc, rules, lang):
    answers = {"experience_years": 3.0, "french_oral": 7, "diploma": "college", "diploma_from_quebec": False}
    ev = evaluate("31301", noc, rules, Answers(**answers))
    text = report.to_markdown(ev, lang, answers)
    plain = text.replace("\\", "")
    assert for_lang(ev.title(lang), lang) in plain and for_lang(ev.disclaimer(lang), lang) in plain
    for comp in ev.components:
        assert for_lang(comp.name(lang), lang) in plain
        for source in comp.sources:
            assert f"(<{source.url_in(lang)}>)" in text
    assert report.answer_lines(answers, lang)[0] in plain
    assert ("Yes" if lang == "en" else "Oui") not in report.answer_lines({"diploma_from_quebec": False}, lang)[0]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pdf_is_a_pdf(noc, rules, lang):
    ev = evaluate("72300", noc, rules, Answers())
    data = report.to_pdf(ev, lang, {})
    assert data[:5] == b"%PDF-" and len(data) > 2000


def test_pdf_without_unicode_font_still_works(noc, rules, monkeypatch, tmp_path):
    monkeypatch.setattr(report, "DEJAVU", tmp_path / "absent.ttf")
    ev = evaluate("31301", noc, rules, Answers())
    assert report.to_pdf(ev, "fr", {"regulated_intent": "yes"})[:5] == b"%PDF-"


@pytest.mark.parametrize("raw", ["[click](http://evil.example)", "![x](http://evil.example/a.png)",
                                 "<script>alert(1)</script>", "**bold** _it_ `code` $x$", "# heading\n- item",
                                 "1. list", "a|b|c"])
def test_escape_md_leaves_nothing_active(raw):
    out = report.escape_md(raw)
    assert "\n" not in out
    for token in ("[", "]", "<", ">", "*", "_", "`", "$", "|"):
        assert out.count(token) == out.count("\\" + token), (token, out)
    assert not out.startswith(("#", "-", "1."))


def test_sources_official_first_and_in_the_readers_language(noc, rules):
    """French readers get French titles and French pages where they exist, official sources first."""
    ev = evaluate("33102", noc, rules, Answers())
    orderlies = next(c for c in ev.components if c.id == "orderlies-pilot")
    fr = report.ordered_sources(orderlies.sources, "fr")
    assert [s.official for s in fr] == sorted((s.official for s in fr), reverse=True)
    first = fr[0]
    assert first.id == "legisquebec-r7-orderlies" and "/fr/" in first.url_in("fr") and "/en/" in first.url_in("en")
    assert report.source_label(first, "fr").startswith("LégisQuébec – I-0.2.1, r. 7 : Programme pilote")
    text = report.to_markdown(ev, "fr", {})
    assert first.url_in("fr") in text and first.url_in("en") not in text
    # An English-only page keeps its link and says so in French.
    english_only = next(s for s in fr if s.page_lang("fr") == "en")
    assert report.source_label(english_only, "fr").endswith("(page en anglais)")
    assert report.source_label(english_only, "en") == english_only.title
