"""Downloads: the Markdown and PDF reports say what the page says, in the chosen language, and stay inert."""
import pytest

from lib.programs import Answers, evaluate, report
from lib.typography import for_lang


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
            assert f"<{source.url_in(lang)}>" in text    # every address printed in full, in the reader's language
    assert report.answer_lines(answers, lang)[0] in plain
    assert ("Yes" if lang == "en" else "Oui") not in report.answer_lines({"diploma_from_quebec": False}, lang)[0]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pdf_is_a_pdf(noc, rules, lang):
    ev = evaluate("72300", noc, rules, Answers())
    data = report.to_pdf(ev, lang, {})
    assert data[:5] == b"%PDF-" and len(data) > 2000
    # Made on each click of the download: the same result gives the same file, dated by its evaluation.
    assert report.to_pdf(ev, lang, {}) == data
    assert f"D:{ev.as_of:%Y%m%d}".encode() in data


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


def _pages(pdf: bytes) -> int:
    import re
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_exports_start_with_the_summary_and_the_share_link(noc, rules, lang):
    answers = {"french_oral": 5, "experience_years": 4}
    ev = evaluate("62200", noc, rules, Answers(**answers))
    link = "https://qc.example/programs?lang=en&code=62200&noc=2021&french_oral=5"
    text = report.to_markdown(ev, lang, answers, link)
    summary_at = text.index(report.t("summary.title", lang))
    first_component = text.index("\n## ", summary_at)
    head = text[:first_component]
    assert f"<{link}>" in head                                     # the link, printed, before any detail
    table = [line for line in head.splitlines() if line.startswith("| ")]
    assert len(table) >= 1 + 4                                     # header + merged rows
    no = report.t("overall.no", lang)
    french_row = next(line for line in table if report.t("overall.no", lang) in line and "1" in line
                      and ("Oral French" in line or "Français oral" in line))
    assert "5" in french_row and "7" in french_row
    assert sum(no in line for line in table) < 8                  # the four ended pilots share one row


@pytest.mark.parametrize("code, answers", [("62200", {"french_oral": 5, "experience_years": 4}),
                                           ("33102", {"french_oral": 7, "experience_years": 3, "diploma": "college"}),
                                           ("21232", {})])
def test_a_typical_pdf_is_four_pages_or_fewer_with_summary_and_link(noc, rules, code, answers):
    ev = evaluate(code, noc, rules, Answers(**answers))
    link = f"https://qc.example/programs?lang=fr&code={code}"
    for lang in ("en", "fr"):
        pdf = report.to_pdf(ev, lang, answers, link)
        assert pdf[:5] == b"%PDF-" and _pages(pdf) <= 4, (code, lang, _pages(pdf))
    # Left-aligned text and the link as a clickable annotation (justified text was hard to read).
    assert b"/URI (" + link.encode() in pdf or link.encode() in pdf


def test_pdf_uses_left_alignment(noc, rules, monkeypatch):
    from fpdf import FPDF
    seen = []
    original = FPDF.multi_cell

    def spy(self, *args, **kw):
        seen.append(kw.get("align", "J"))
        return original(self, *args, **kw)
    monkeypatch.setattr(FPDF, "multi_cell", spy)
    report.to_pdf(evaluate("62200", noc, rules, Answers()), "en", {})
    assert seen and all(str(a).upper().endswith(("L", "LEFT")) for a in seen), set(seen)   # never justified


def test_source_titles_with_numbers_keep_no_stray_backslash():
    out = report.escape_md("98.5 FM – Le gouvernement met fin au PEQ")
    assert out.startswith("98\\.5 FM")                           # Markdown renders "98.5 FM"
    assert report.escape_md("1. list").startswith("1\\.") and report.escape_md("- x").startswith("\\-")
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
