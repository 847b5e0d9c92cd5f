"""The app in a real browser: `streamlit run app.py` headless on 127.0.0.1, driven in Debian chromium by Playwright.

Used by tests/test_browser.py, tests/test_replicas.py and scripts/screenshots.py: `app_server()` starts the app and
stops it, `launch()` opens chromium, `walk()` goes Start -> Describe -> Choose -> Situation -> Programs and returns
what a test checks, `heading()`/`wait_idle()` wait for Streamlit, `shoot()` saves a full-page PNG.
"""
from __future__ import annotations

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

from lib import i18n
from lib.settings import ROOT

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
    t = lambda key, **kw: i18n.t(key, lang, **kw)
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
