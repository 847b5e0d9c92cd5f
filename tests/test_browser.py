"""The real app in a real browser: `streamlit run` headless on 127.0.0.1, Debian chromium through Playwright.

Walks Start -> Describe -> Choose -> Situation -> Programs in EN and in FR (FR chosen by the browser locale),
checks the share link in the address bar, then opens it in a fresh browser. Screenshots go to screenshots/.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from lib import i18n, share
from lib.settings import ROOT

_spec = importlib.util.spec_from_file_location("app_screenshots", ROOT / "scripts" / "screenshots.py")
shots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shots)

pytestmark = pytest.mark.skipif(not Path(shots.CHROMIUM).exists(),
                                reason=f"{shots.CHROMIUM} not installed (apt-get install chromium); .ci/run installs it")
OUT = ROOT / "screenshots"


@pytest.fixture(scope="module")
def server():
    with shots.app_server() as (base, log_path):
        yield base, log_path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = shots.launch(pw)
        yield chromium
        chromium.close()


def test_share_link_is_the_first_request_of_a_fresh_server(server, browser):
    """A deep link must go through the router even before any session has run it (regression: pages/ folder)."""
    base, _ = server
    text = shots.open_share_link(browser, f"{base}/programs?lang=fr&code=72300&french_oral=7", "fr")
    assert "72300" in text and i18n.t("programs.sources", "fr") in text
    assert i18n.t("common.language_name.en", "fr") in text  # the router's language switch is there


@pytest.mark.parametrize("lang, locale", [("en", "en-CA"), ("fr", "fr-CA")])
def test_flow_in_the_browser(server, browser, lang, locale):
    base, log_path = server
    context = browser.new_context(viewport=shots.DESKTOP, locale=locale)
    try:
        page = context.new_page()
        result = shots.walk(page, base, lang, OUT, "browser-test", by_locale=True)  # language from the browser
        # Every suggestion block shows its evidence; the expected code is among the first ones.
        assert result["code"], "no occupation could be picked"
        query = dict(parse_qsl(urlsplit(result["url"]).query))
        state = share.decode(query)
        assert state.lang == lang and state.code == result["code"]
        assert state.answers.get("experience_years") == 3.0
        words = [w for w in shots.EXAMPLES[lang].replace(",", " ").split() if len(w) >= 6]
        assert words and not any(w in result["url"] for w in words)  # no free text in the address bar
        assert i18n.t("programs.sources", lang) in result["programs_text"]
        # Another person opening the link sees the same result page, in the link's language.
        shared_text = shots.open_share_link(browser, result["url"], lang)
        assert result["code"] in shared_text
    finally:
        context.close()
    # Nothing the person typed reaches the server log.
    assert shots.EXAMPLES[lang] not in log_path.read_text(encoding="utf-8", errors="replace")


def test_phone_width_suggestions_and_show_more(server, browser):
    """At 390 px: suggestions come with evidence, and "show more" reveals the rest of the top ten."""
    base, _ = server
    context = browser.new_context(viewport=shots.PHONE, locale="en-CA")
    try:
        page = context.new_page()
        t = lambda key, **kw: i18n.t(key, "en", **kw)  # noqa: E731
        page.goto(f"{base}/describe?lang=en")
        shots.heading(page, t("describe.title"), shots.FIRST_LOAD_S)
        page.get_by_label(t("describe.label"), exact=True).fill(shots.EXAMPLES["en"])
        page.get_by_role("button", name=t("describe.submit")).click()
        shots.heading(page, t("choose.title"), shots.FIRST_LOAD_S)
        pick = t("choose.pick", code="")[:-3]
        assert len(page.get_by_role("button", name=pick).all()) == 5
        assert page.get_by_text(t("choose.evidence")).count() == 5
        page.get_by_role("button", name=t("choose.show_more")).click()
        shots.wait_idle(page)
        picks = page.get_by_role("button", name=pick).all_inner_texts()
        assert len(picks) == 10 and any("72300" in p for p in picks), picks
        # Nothing overflows sideways at phone width.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= shots.PHONE["width"] + 1
        shots.shoot(page, OUT, "browser-test-phone-choose")
    finally:
        context.close()


def test_keyboard_only_describe_and_choose(server, browser):
    """No mouse: Tab to the description, type, Ctrl+Enter submits; Tab reaches a "This is my occupation" button."""
    base, _ = server
    context = browser.new_context(viewport=shots.DESKTOP, locale="en-CA")
    try:
        page = context.new_page()
        t = lambda key, **kw: i18n.t(key, "en", **kw)  # noqa: E731
        page.goto(f"{base}/describe?lang=en")
        shots.heading(page, t("describe.title"), shots.FIRST_LOAD_S)
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement && document.activeElement.tagName") == "TEXTAREA":
                break
        else:
            pytest.fail("Tab never reached the description box")
        page.keyboard.type("plumber")
        page.keyboard.press("Control+Enter")
        shots.heading(page, t("choose.title"), shots.FIRST_LOAD_S)
        pick = t("choose.pick", code="")[:-3]
        for _ in range(60):
            page.keyboard.press("Tab")
            focused = page.evaluate("() => document.activeElement ? document.activeElement.innerText || '' : ''")
            if focused.startswith(pick):
                break
        else:
            pytest.fail("Tab never reached a pick button")
        page.keyboard.press("Enter")
        shots.heading(page, t("situation.title"))
    finally:
        context.close()
