"""The hosting recipe: two app processes behind nginx with sticky sessions (scripts/replicas.sh), on 127.0.0.1."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from lib import i18n
from lib.settings import ROOT
from tests.helpers import browser as web

pytestmark = [pytest.mark.browser, pytest.mark.full_data, pytest.mark.slow,
              pytest.mark.skipif(shutil.which("nginx") is None or not os.path.exists(web.CHROMIUM),
                                 reason="needs Debian nginx and chromium; .ci/run installs them")]


def _free_port_block() -> int:
    """A port p with p+1 and p+2 free too (nginx on p, the replicas on p+1 and p+2)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < 65000 and all(_is_free(port + i) for i in (1, 2)):
            return port
    raise RuntimeError("no free port block")


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
def replicas():
    port = _free_port_block()
    proc = subprocess.Popen(["bash", "scripts/replicas.sh", str(port)], cwd=ROOT, text=True,
                            env={**os.environ, "PY": sys.executable}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline, pids = time.time() + 600, None
    while time.time() < deadline and pids is None:
        line = proc.stdout.readline()
        found = re.search(r"pids ([\d ]+)\)", line or "")
        if found:
            pids = [int(p) for p in found.group(1).split()]
        elif proc.poll() is not None:
            pytest.fail(f"scripts/replicas.sh stopped: {line}")
    yield f"http://127.0.0.1:{port}", pids
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)


def test_nginx_sets_a_routing_cookie_and_keeps_it(replicas):
    base, pids = replicas
    assert len(pids) == 2
    first = urllib.request.urlopen(f"{base}/_stcore/health", timeout=30)
    routes = [re.match(r"qcroute=(a|b);", c) for c in first.headers.get_all("Set-Cookie")]
    route = next(m.group(1) for m in routes if m)
    request = urllib.request.Request(f"{base}/_stcore/health", headers={"Cookie": f"qcroute={route}"})
    for _ in range(5):
        again = urllib.request.urlopen(request, timeout=30)
        assert again.read() == b"ok"
        assert f"qcroute={route}; Path=/; HttpOnly; SameSite=Lax" in again.headers.get_all("Set-Cookie")


def test_a_visitor_walks_to_the_suggestions_through_nginx(replicas):
    """The websocket goes through the proxy and stays on one replica for the whole visit."""
    from playwright.sync_api import sync_playwright

    base, _ = replicas
    with sync_playwright() as pw:
        browser = web.launch(pw)
        try:
            page = browser.new_context(locale="en-CA").new_page()
            page.goto(f"{base}/describe", timeout=600_000)
            page.get_by_label(i18n.t("describe.label", "en"), exact=True).fill("I repair cars in a garage")
            page.get_by_role("button", name=i18n.t("describe.submit", "en")).click()
            page.get_by_role("heading", name=i18n.t("choose.title", "en")).wait_for(timeout=600_000)
            assert "72410" in page.inner_text("body")
        finally:
            browser.close()
