"""Drive the real app in Debian chromium: walk the flow (EN and FR, desktop and phone), save PNGs, time pages.

Usage: python scripts/screenshots.py [--out screenshots] [--rounds 3]
Starts `streamlit run app.py` headless on 127.0.0.1 (a free port), waits for /_stcore/health, then walks
Start -> Describe -> Choose -> Situation -> Programs -> share link, and prints p50 render times per page
(from the click to the new page's title on screen, warm runs only). The browser helpers live in
tests/helpers/browser.py (the browser tests use them too).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # before the project imports, so the script runs from anywhere

from lib import i18n
from tests.helpers.browser import (
    CHROMIUM,
    DESKTOP,
    EXAMPLES,
    FIRST_LOAD_S,
    PHONE,
    Timer,
    app_server,
    heading,
    launch,
    shoot,
    wait_idle,
    walk,
)


def extras(browser, base: str, out: Path) -> None:
    """Browse (search), About, presenter mode and the print layout of a result."""
    for lang in ("en", "fr"):
        t = lambda key, lang=lang, **kw: i18n.t(key, lang, **kw)
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.goto(f"{base}/browse?lang={lang}")
        heading(page, t("browse.title"))
        page.get_by_label(t("browse.search_label"), exact=True).fill("plombier" if lang == "fr" else "plumber")
        page.get_by_label(t("browse.search_label"), exact=True).press("Enter")
        wait_idle(page)
        shoot(page, out, f"{lang}-desktop-6-browse")
        page.goto(f"{base}/about?lang={lang}")
        heading(page, t("about.title"))
        shoot(page, out, f"{lang}-desktop-7-about")
        page.goto(f"{base}/programs?lang={lang}&code=72300&experience_years=3&french_oral=7")
        heading(page, t("programs.title"))
        page.get_by_text(t("presenter.toggle"), exact=True).click()
        wait_idle(page)
        shoot(page, out, f"{lang}-desktop-8-presenter")
        page.emulate_media(media="print")
        shoot(page, out, f"{lang}-desktop-9-print")
        context.close()


# The results page for the two cases: a chef with oral French 5; a developer qualified for the PEQ reopening.
PROGRAMS_CASES = {"chef": "code=62200&french_oral=5&experience_years=4",
                  "developer": "code=21232&experience_by_2025_11_19=1&quebec_experience_years=3"
                               "&status_in_quebec=temporary_worker&french_oral=8&french_written=6"}


def programs_shots(browser, base: str, out: Path, cases=PROGRAMS_CASES) -> None:
    """The Programs page, EN and FR, desktop and phone: the first screen and the whole page."""
    for lang in ("en", "fr"):
        for tag, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            for case, query in cases.items():
                page.goto(f"{base}/programs?lang={lang}&{query}")
                heading(page, i18n.t("programs.title", lang), FIRST_LOAD_S)
                page.screenshot(path=str(out / f"{lang}-{tag}-programs-{case}-first-screen.png"))
                shoot(page, out, f"{lang}-{tag}-programs-{case}-full")
            context.close()


def script_times(rounds: int = 11) -> str:
    """Server-side render time per page (AppTest, warm, after the FR flow): the part the app itself controls."""
    from streamlit.testing.v1 import AppTest

    t = lambda key, **kw: i18n.t(key, "fr", **kw)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=FIRST_LOAD_S)
    at.query_params["lang"] = "fr"
    at.run()
    at.button(key="start_begin").click().run()
    at.text_area(key="w_description").input(EXAMPLES["fr"])
    next(b for b in at.button if b.label == t("describe.submit")).click().run()
    next(b for b in at.button if b.key.startswith("pick_")).click().run()
    at.number_input(key="w_experience_years").set_value(3.0)
    next(b for b in at.button if b.label == t("situation.submit")).click().run()
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        for page in ("start", "describe", "choose", "situation", "programs", "browse", "about"):
            start = time.perf_counter()
            at.switch_page(f"views/{page}.py").run()
            times.setdefault(page, []).append((time.perf_counter() - start) * 1000)
            if at.exception:
                raise RuntimeError(f"{page}: {at.exception[0].value}")
    return "\n".join(f"{page:<12} script p50 {statistics.median(v[1:]):6.1f} ms" for page, v in times.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--rounds", type=int, default=3, help="warm rounds per language for the timings")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: install it with `apt-get install -y chromium`", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    timer = Timer()
    with app_server() as (base, _log), sync_playwright() as pw:
        browser = launch(pw)
        for lang in ("en", "fr"):
            for tag, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                context = browser.new_context(viewport=viewport, locale="fr-CA" if lang == "fr" else "en-CA")
                page = context.new_page()
                result = walk(page, base, lang, out, tag, timer)
                print(f"{lang} {tag}: picked {result['code']}; share link {result['url']}")
                context.close()
        extras(browser, base, out)
        programs_shots(browser, base, out)
        for _ in range(args.rounds):
            for lang in ("en", "fr"):
                context = browser.new_context(viewport=DESKTOP)
                walk(context.new_page(), base, lang, None, "", timer)
                context.close()
        browser.close()
    print(timer.summary())
    print(script_times())
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
