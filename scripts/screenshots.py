"""Drive the real app in Debian chromium: walk the flow (EN and FR, desktop and phone), save PNGs, time pages.

Usage: python scripts/screenshots.py [--out screenshots] [--rounds 3]
Starts `streamlit run app.py` headless on 127.0.0.1 (a free port), waits for /_stcore/health, then walks
Start -> Describe -> Choose -> Situation -> Programs -> share link, and prints p50 render times per page
(from the click to the new page's title on screen, warm runs only). tests/test_browser.py reuses this.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib import i18n  # noqa: E402  (after the path tweak, so the script runs from anywhere)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
EXAMPLES = {"en": "I install and repair water pipes in new houses",
            "fr": "je suis préposée aux bénéficiaires dans un CHSLD, j'aide les résidents à se laver et à manger"}
FIRST_LOAD_S = 600   # the first search may build the matching index
STEP_S = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def app_server(port: int | None = None, env: dict | None = None, log_path: Path | None = None):
    """`streamlit run app.py` on 127.0.0.1; yields (base_url, log_path). Stops the process it started."""
    port = port or free_port()
    log_path = log_path or Path(tempfile.mkdtemp(prefix="qc-app-")) / "server.log"
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with code {proc.returncode}; see {log_path}")
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                        if resp.read().strip() == b"ok":
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not answer /_stcore/health in 90 s; see {log_path}")
                time.sleep(0.3)
            yield base, log_path
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def wait_idle(page, timeout_s: float = STEP_S) -> None:
    """Connected, then the script not running (Streamlit's own e2e helper does the same)."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout_s * 1000)
    page.wait_for_timeout(200)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_s * 1000)


def heading(page, text: str, timeout_s: float = STEP_S) -> None:
    page.get_by_role("heading", name=text, exact=False).first.wait_for(timeout=timeout_s * 1000)
    wait_idle(page, timeout_s)


class Timer:
    """Click -> the new page's title on screen, per page; the first visit of each page is kept apart (cold)."""

    def __init__(self) -> None:
        self.warm: dict[str, list[float]] = {}
        self.cold: dict[str, float] = {}

    def step(self, page, name: str, action, title: str, timeout_s: float = STEP_S) -> None:
        start = time.perf_counter()
        action()
        page.get_by_role("heading", name=title, exact=False).first.wait_for(timeout=timeout_s * 1000)
        elapsed = (time.perf_counter() - start) * 1000  # the new page's title is on screen
        wait_idle(page, timeout_s)
        if name in self.cold:
            self.warm.setdefault(name, []).append(elapsed)
        else:
            self.cold[name] = elapsed

    def summary(self) -> str:
        lines = []
        for name, cold in self.cold.items():
            warm = self.warm.get(name, [])
            p50 = f"{statistics.median(warm):7.0f} ms (n={len(warm)})" if warm else "      - "
            lines.append(f"{name:<12} warm p50 {p50}   first {cold:7.0f} ms")
        return "\n".join(lines)


def shoot(page, out: Path | None, name: str, max_height: int = 5000) -> None:
    """The whole page: Streamlit scrolls inside its main block, so the viewport is stretched to fit it."""
    if out is None:
        return
    out.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), max_height))})
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / f"{name}.png"))
    page.set_viewport_size(size)


def walk(page, base: str, lang: str, out: Path | None = None, tag: str = "", timer: Timer | None = None,
         by_locale: bool = False) -> dict:
    """The whole flow in one language; returns what a test checks (share URL, chosen code, page texts).

    by_locale: open the bare address and let the browser's language pick the UI language.
    """
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    timer = timer or Timer()
    prefix = f"{lang}-{tag}" if tag else lang
    start_url = f"{base}/" if by_locale else f"{base}/?lang={lang}"
    timer.step(page, "start", lambda: page.goto(start_url), t("start.title"), FIRST_LOAD_S)
    shoot(page, out, f"{prefix}-1-start")
    timer.step(page, "describe", lambda: page.get_by_role("button", name=t("start.begin")).click(),
               t("describe.title"))
    page.get_by_label(t("describe.label"), exact=True).fill(EXAMPLES[lang])
    shoot(page, out, f"{prefix}-2-describe")
    timer.step(page, "choose", lambda: page.get_by_role("button", name=t("describe.submit")).click(),
               t("choose.title"), FIRST_LOAD_S)
    shoot(page, out, f"{prefix}-3-choose")
    first_pick = page.get_by_role("button", name=t("choose.pick", code="")[:-3]).first
    code = first_pick.inner_text().rsplit("(", 1)[-1].strip(" )")
    timer.step(page, "situation", first_pick.click, t("situation.title"))
    page.get_by_label(t("answers.experience_years.label"), exact=True).fill("3")
    page.get_by_label(t("answers.experience_years.label"), exact=True).press("Tab")
    shoot(page, out, f"{prefix}-4-situation")
    timer.step(page, "programs", lambda: page.get_by_role("button", name=t("situation.submit")).click(),
               t("programs.title"))
    shoot(page, out, f"{prefix}-5-programs")
    url = page.url
    text = page.inner_text("[data-testid='stMain']")
    return {"code": code, "url": url, "programs_text": text, "timer": timer}


def open_share_link(browser, url: str, lang: str, viewport=DESKTOP) -> str:
    """A fresh browser context (another person) opening the link: returns the main text it shows."""
    context = browser.new_context(viewport=viewport, locale="en-US")
    try:
        page = context.new_page()
        page.goto(url)
        heading(page, i18n.t("programs.title", lang), FIRST_LOAD_S)
        return page.inner_text("[data-testid='stMain']")
    finally:
        context.close()


def extras(browser, base: str, out: Path) -> None:
    """Browse (search), About, presenter mode and the print layout of a result."""
    for lang in ("en", "fr"):
        t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
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

    t = lambda key, **kw: i18n.t(key, "fr", **kw)  # noqa: E731
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
