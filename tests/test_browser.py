"""The real app in a real browser: `streamlit run` headless on 127.0.0.1, Debian chromium through Playwright.

Walks Start -> Describe -> Choose -> Situation -> Programs in EN and in FR (FR chosen by the browser locale),
checks the share link in the address bar, then opens it in a fresh browser. Screenshots go to screenshots/.
The helpers (server, browser, walk) are in tests/helpers/browser.py.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from lib import i18n, share
from lib.settings import ROOT
from tests.helpers import browser as web

pytestmark = [pytest.mark.browser, pytest.mark.full_data, pytest.mark.slow,
              pytest.mark.skipif(not Path(web.CHROMIUM).exists(),
                                 reason=f"{web.CHROMIUM} not installed (apt-get install chromium); "
                                        ".ci/run installs it")]
OUT = ROOT / "screenshots"


@pytest.fixture(scope="module")
def server():
    with web.app_server() as (base, log_path):
        yield base, log_path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = web.launch(pw)
        yield chromium
        chromium.close()


def test_share_link_is_the_first_request_of_a_fresh_server(server, browser):
    """A deep link must go through the router even before any session has run it (regression: pages/ folder)."""
    base, _ = server
    text = web.open_share_link(browser, f"{base}/programs?lang=fr&code=72300&french_oral=7", "fr")
    assert "72300" in text and i18n.t("programs.sources", "fr") in text
    assert i18n.t("common.language_name.en", "fr") in text  # the router's language switch is there


@pytest.mark.parametrize("lang, locale", [("en", "en-CA"), ("fr", "fr-CA")])
def test_flow_in_the_browser(server, browser, lang, locale):
    base, log_path = server
    context = browser.new_context(viewport=web.DESKTOP, locale=locale)
    try:
        page = context.new_page()
        result = web.walk(page, base, lang, OUT, "browser-test", by_locale=True)  # language from the browser
        # Every suggestion block shows its evidence; the expected code is among the first ones.
        assert result["code"], "no occupation could be picked"
        query = dict(parse_qsl(urlsplit(result["url"]).query))
        state = share.decode(query)
        assert state.lang == lang and state.code == result["code"]
        assert state.answers.get("experience_years") == 3.0
        words = [w for w in web.EXAMPLES[lang].replace(",", " ").split() if len(w) >= 6]
        assert words and not any(w in result["url"] for w in words)  # no free text in the address bar
        assert i18n.t("programs.sources", lang) in result["programs_text"]
        # Another person opening the link sees the same result page, in the link's language.
        shared_text = web.open_share_link(browser, result["url"], lang)
        assert result["code"] in shared_text
    finally:
        context.close()
    # Nothing the person typed reaches the server log.
    assert web.EXAMPLES[lang] not in log_path.read_text(encoding="utf-8", errors="replace")


def test_phone_width_suggestions_and_show_more(server, browser):
    """At 390 px: suggestions come with evidence, and "show more" reveals the rest of the top ten."""
    base, _ = server
    context = browser.new_context(viewport=web.PHONE, locale="en-CA")
    try:
        page = context.new_page()
        t = lambda key, **kw: i18n.t(key, "en", **kw)
        page.goto(f"{base}/describe?lang=en")
        web.heading(page, t("describe.title"), web.FIRST_LOAD_S)
        page.get_by_label(t("describe.label"), exact=True).fill(web.EXAMPLES["en"])
        page.get_by_role("button", name=t("describe.submit")).click()
        web.heading(page, t("choose.title"), web.FIRST_LOAD_S)
        pick = t("choose.pick", code="")[:-3]
        assert len(page.get_by_role("button", name=pick).all()) == 5
        assert page.get_by_text(t("choose.evidence")).count() == 5
        page.get_by_role("button", name=t("choose.show_more")).click()
        web.wait_idle(page)
        picks = page.get_by_role("button", name=pick).all_inner_texts()
        assert len(picks) == 10 and any("72300" in p for p in picks), picks
        # Nothing overflows sideways at phone width.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= web.PHONE["width"] + 1
        web.shoot(page, OUT, "browser-test-phone-choose")
    finally:
        context.close()


def test_keyboard_only_describe_and_choose(server, browser):
    """No mouse: Tab to the description, type, Ctrl+Enter submits; Tab reaches a "This is my occupation" button."""
    base, _ = server
    context = browser.new_context(viewport=web.DESKTOP, locale="en-CA")
    try:
        page = context.new_page()
        t = lambda key, **kw: i18n.t(key, "en", **kw)
        page.goto(f"{base}/describe?lang=en")
        web.heading(page, t("describe.title"), web.FIRST_LOAD_S)
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement && document.activeElement.tagName") == "TEXTAREA":
                break
        else:
            pytest.fail("Tab never reached the description box")
        page.keyboard.type("plumber")
        page.keyboard.press("Control+Enter")
        web.heading(page, t("choose.title"), web.FIRST_LOAD_S)
        pick = t("choose.pick", code="")[:-3]
        for _ in range(60):
            page.keyboard.press("Tab")
            focused = page.evaluate("() => document.activeElement ? document.activeElement.innerText || '' : ''")
            if focused.startswith(pick):
                break
        else:
            pytest.fail("Tab never reached a pick button")
        page.keyboard.press("Enter")
        web.heading(page, t("situation.title"))
    finally:
        context.close()


# --- the results page (issue 10): answer first, working exports, touch and projector ---------------------

CHEF = "code=62200&french_oral=5&experience_years=4"


def _programs(browser, base, lang="en", query=CHEF, **context_kw):
    context = browser.new_context(**{"viewport": web.DESKTOP, "accept_downloads": True, **context_kw})
    page = context.new_page()
    page.goto(f"{base}/programs?lang={lang}&{query}")
    web.heading(page, i18n.t("programs.title", lang), web.FIRST_LOAD_S)
    return context, page


def test_phone_first_screen_is_the_answer(server, browser):
    """At 390 × 844 the summary comes right below the title, with component 1's French reason on screen."""
    base, _ = server
    context, page = _programs(browser, base, viewport=web.PHONE, has_touch=True, is_mobile=True)
    try:
        title = page.get_by_role("heading", name=i18n.t("programs.title", "en")).bounding_box()
        question = page.get_by_text(i18n.t("summary.title", "en"), exact=True).bounding_box()
        reason = page.get_by_text("Oral French: you answered 5; this needs 7 or more.").first.bounding_box()
        assert title["y"] < question["y"] < title["y"] + 200           # only the code line in between
        assert reason["y"] + reason["height"] <= web.PHONE["height"]   # on the first screen
        # Share link: one line that scrolls, never broken mid-word; its copy button shows without hover.
        code = page.locator("[data-testid='stCode'] code")
        assert code.evaluate("e => getComputedStyle(e).whiteSpace") == "pre"
        copy = page.locator("[data-testid='stCode'] button")
        assert copy.evaluate("e => getComputedStyle(e).visibility") == "visible"
        assert copy.evaluate("e => Number(getComputedStyle(e).opacity)") == 1
        assert copy.is_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= web.PHONE["width"] + 1
        web.shoot(page, OUT, "browser-test-phone-programs")
    finally:
        context.close()


@pytest.mark.parametrize("order", [("pdf", "md"), ("md", "pdf")])
def test_both_downloads_work_whatever_the_order_and_speed(server, browser, order):
    """Regression: a PDF click right after the Markdown one failed with 'Deferred file … not found'."""
    base, log_path = server
    context, page = _programs(browser, base, lang="fr")
    labels = {"pdf": i18n.t("programs.download_pdf", "fr"), "md": i18n.t("programs.download_md", "fr")}
    try:
        downloads = []
        page.on("download", lambda d: downloads.append(d))
        for kind in order:   # one click right after the other, no wait
            page.get_by_role("button", name=labels[kind]).click()
        page.wait_for_timeout(100)
        for _ in range(200):
            if len(downloads) >= 2:
                break
            page.wait_for_timeout(100)
        got = {Path(d.suggested_filename).suffix.lstrip("."): Path(d.path()).read_bytes() for d in downloads}
        assert set(got) == {"pdf", "md"}, [d.suggested_filename for d in downloads]
        # And again, after the page settled.
        web.wait_idle(page)
        with page.expect_download() as again:
            page.get_by_role("button", name=labels[order[0]]).click()
        assert Path(again.value.path()).read_bytes() == got[order[0]]
    finally:
        context.close()
    assert got["pdf"][:5] == b"%PDF-"
    md = got["md"].decode("utf-8")
    assert i18n.t("summary.title", "fr") in md and "62200" in md
    assert "/programs?lang=fr&code=62200" in md                         # the share link is printed
    assert "MediaFileStorageError" not in log_path.read_text(encoding="utf-8", errors="replace")


# Contrast of every visible text and button, from computed colours (WCAG 2 relative luminance), layering
# semi-transparent backgrounds over their ancestors.
CONTRAST_JS = """(root) => {
  const parse = c => { const m = c.match(/[\\d.]+/g) || [0, 0, 0, 0];
    return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; };
  const over = (top, under) => { const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]); };
  const background = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let bg = [255, 255, 255, 1];
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const out = [];
  for (const el of [root, ...root.querySelectorAll('*')]) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const isButton = el.tagName === 'BUTTON';
    if (!own && !isButton) continue;
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (!r.width || !r.height || s.visibility !== 'visible' || +s.opacity === 0) continue;
    const bg = background(el), fg = over(parse(s.color), bg);
    out.push({text: (el.innerText || el.getAttribute('aria-label') || el.tagName).trim().slice(0, 60),
              tag: el.tagName, ratio: ratio(fg, bg)});
  }
  return out; }"""


def _contrast_failures(page, selector="[data-testid='stApp']", minimum=4.5):
    rows = page.locator(selector).first.evaluate(CONTRAST_JS)
    assert rows, "nothing measured"
    return [r for r in rows if r["ratio"] < minimum]


def test_presenter_mode_contrast_in_every_state(server, browser):
    base, _ = server
    context, page = _programs(browser, base, viewport={"width": 1280, "height": 1000})
    try:
        page.get_by_text(i18n.t("presenter.toggle", "en"), exact=True).click()
        web.wait_idle(page)
        assert not _contrast_failures(page), _contrast_failures(page)
        # Hover, keyboard focus and pressed, on each kind of button (pressed: mouse down, moved off before up).
        buttons = page.locator("[data-testid='stMain'] button:visible, [data-testid='stSidebar'] button:visible")
        kinds = {}
        for i in range(buttons.count()):
            button = buttons.nth(i)
            checked = button.get_attribute("aria-checked")   # the language switch: selected or not
            kinds.setdefault(button.get_attribute("kind") or f"segment-{checked}", button)
        assert {"secondary", "primary", "segment-true", "segment-false", "elementToolbar"} <= set(kinds), set(kinds)
        for kind in ("secondary", "primary", "segment-true", "segment-false", "elementToolbar"):
            button = kinds[kind]
            button.scroll_into_view_if_needed()
            button.hover()
            assert not _contrast_failures(page, "button:hover"), (kind, "hover")
            button.focus()
            assert not _contrast_failures(page, "button:focus"), (kind, "focus")
            box = button.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.mouse.down()
            try:
                assert page.locator("button:active").count() == 1
                assert not _contrast_failures(page, "button:active"), (kind, "pressed")
            finally:
                page.mouse.move(1, 1)
                page.mouse.up()
        # Expanders open and closed, hovered.
        summary = page.locator("[data-testid='stExpander'] summary").last
        summary.hover()
        assert not _contrast_failures(page, "[data-testid='stExpander'] summary:hover")
        # No sidebar page name is cut short.
        cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stSidebarNav] a *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis'
                         && e.scrollWidth > e.clientWidth).map(e => e.innerText)""")
        assert cut == [], cut
        web.shoot(page, OUT, "browser-test-presenter-programs")
        # The questionnaire too (labels, help, the French-scale note).
        page.get_by_role("button", name=i18n.t("programs.change_answers", "en")).click()
        web.heading(page, i18n.t("situation.title", "en"))
        assert not _contrast_failures(page), _contrast_failures(page)
    finally:
        context.close()
