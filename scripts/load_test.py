"""Load test, run by hand: N concurrent visitors walk the whole flow (loopback only).

    .venv/bin/python scripts/load_test.py                 # one app process, 20 sessions in headless Chromium
    .venv/bin/python scripts/load_test.py --replicas      # two processes behind nginx (scripts/replicas.sh)
    .venv/bin/python scripts/load_test.py --protocol ws   # same flow over Streamlit's websocket protocol

--protocol browser (default) drives Chromium tabs: closest to real visitors, but on a small machine the tabs
use most of the CPU, so the latencies measure the browsers. --protocol ws (scripts/st_ws_client.py) sends what
the frontend sends and waits for each page's script_finished, so its latencies measure the server; it also
checks that the programs page shows the expected occupation for each text (a wrong page counts as an error).

Prints p50/p95 latency per step, errors, and the server's RSS before and after (memory must stay flat: the model
and index are shared by all sessions). Bounded: every wait has a timeout and the run stops by itself.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from lib.i18n import t
from scripts.st_ws_client import StreamlitSession, text_state

TEXTS = ["I install and repair water pipes in new houses", "je soigne des patients à l'hôpital, infirmière",
         "I cook meals in a restaurant kitchen", "software developer", "je conduis un camion de livraison"]
EXPECTED = ["72300", "31301", "63200", "21232", "75201"]  # top-ranked code for each text (checked in ws mode)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]
STEP_TIMEOUT_MS = 120_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port: int, timeout_s: float = 300) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"app on port {port} did not become healthy")


def rss_mb(pids: list[int]) -> float:
    """Resident memory of the server processes, in MB (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the server processes have used (to tell server work from browser work)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine, from /proc/stat: how loaded the box was during a round."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def start_single(python: str, profile: str | None = None) -> tuple[str, list[str], list[int], subprocess.Popen]:
    port = free_port()
    launcher = ["scripts/profile_server.py", profile] if profile else ["-m", "streamlit"]
    proc = subprocess.Popen([python, *launcher, "run", "app.py", "--server.address", "127.0.0.1",
                             "--server.port", str(port), "--server.headless", "true"], cwd=ROOT,
                            # as `make run`
                            env={**os.environ, "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")},
                            stdout=subprocess.DEVNULL, stderr=None if profile else subprocess.DEVNULL)
    wait_healthy(port)
    base = f"http://127.0.0.1:{port}"
    return base, [base], [proc.pid], proc


def start_replicas(python: str) -> tuple[str, list[str], list[int], subprocess.Popen]:
    port = free_port()
    proc = subprocess.Popen(["bash", "scripts/replicas.sh", str(port)], cwd=ROOT, env={**os.environ, "PY": python},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline:
        line = proc.stdout.readline()
        found = re.search(r"pids ([\d ]+)\)", line or "")
        if found:
            backends = [f"http://127.0.0.1:{port + 1}", f"http://127.0.0.1:{port + 2}"]  # as scripts/replicas.sh
            return f"http://127.0.0.1:{port}", backends, [int(p) for p in found.group(1).split()], proc
        if proc.poll() is not None:
            break
    raise SystemExit("replicas did not start (is nginx installed?)")


async def wait_idle(page) -> None:
    await page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']",
                                 timeout=STEP_TIMEOUT_MS)
    await page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                                 timeout=STEP_TIMEOUT_MS)


async def visitor(browser, base: str, n: int, timings: dict[str, list[float]], errors: list[str]) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    step, started = "open", time.perf_counter()
    try:
        await page.goto(f"{base}/describe", timeout=STEP_TIMEOUT_MS)
        await wait_idle(page)
        timings["open"].append(time.perf_counter() - started)

        step, started = "rank", time.perf_counter()
        await page.get_by_label(t("describe.label", "en"), exact=True).fill(TEXTS[n % len(TEXTS)])
        await page.get_by_role("button", name=t("describe.submit", "en")).click()
        await page.get_by_role("heading", name=t("choose.title", "en")).wait_for(timeout=STEP_TIMEOUT_MS)
        await wait_idle(page)
        timings["rank"].append(time.perf_counter() - started)

        step, started = "choose", time.perf_counter()
        await page.locator("[data-testid='stBaseButton-primary']").first.click()
        await page.get_by_role("heading", name=t("situation.title", "en")).wait_for(timeout=STEP_TIMEOUT_MS)
        await wait_idle(page)
        timings["choose"].append(time.perf_counter() - started)

        step, started = "programs", time.perf_counter()
        await page.get_by_role("button", name=t("situation.submit", "en")).click()
        await page.get_by_role("heading", name=t("programs.title", "en")).wait_for(timeout=STEP_TIMEOUT_MS)
        await wait_idle(page)
        timings["programs"].append(time.perf_counter() - started)
    except Exception as exc:  # a load test counts failures rather than stopping at the first one
        errors.append(f"session {n} at {step}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    finally:
        await context.close()


async def ws_visitor(base: str, n: int, timings: dict[str, list[float]], errors: list[str]) -> None:
    """The same walk as visitor(), over the websocket: each step is send -> script_finished of the next page."""
    session = StreamlitSession(base, timeout_s=STEP_TIMEOUT_MS / 1000)
    step, started = "open", time.perf_counter()
    try:
        screen = await session.open("describe")
        timings["open"].append(time.perf_counter() - started)

        step, started = "rank", time.perf_counter()
        field = text_state(screen.widget_id("text_area", "w_description"), TEXTS[n % len(TEXTS)])
        screen = await session.click(screen.button(form_submit=True).id, description=field)
        timings["rank"].append(time.perf_counter() - started)

        step, started = "choose", time.perf_counter()
        if screen.page != "choose":
            raise AssertionError(f"rank ended on page {screen.page!r}")
        code = EXPECTED[n % len(TEXTS)]
        title = next(h.body for h in screen.of_type("heading") if h.body.startswith("1. "))[3:]  # "1. CODE — Title"
        screen = await session.click(screen.button(key=f"pick_{code}").id)
        timings["choose"].append(time.perf_counter() - started)

        step, started = "programs", time.perf_counter()
        screen = await session.click(screen.button(form_submit=True).id)
        timings["programs"].append(time.perf_counter() - started)
        if screen.page != "programs" or title not in screen.text() or not title.startswith(code):
            raise AssertionError(f"programs page does not show {code} (top match {title!r})")
    except Exception as exc:  # a load test counts failures rather than stopping at the first one
        errors.append(f"session {n} at {step}: {type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:120]}")
    finally:
        try:
            await session.close()
        except Exception:  # noqa: BLE001 — closing a broken connection must not hide the error above
            pass


async def drive(base: str, sessions: int, timings, errors, protocol: str = "browser") -> None:
    if protocol == "ws":
        await asyncio.gather(*(ws_visitor(base, n, timings, errors) for n in range(sessions)))
        return
    from playwright.async_api import async_playwright  # only the browser mode needs it
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        await asyncio.gather(*(visitor(browser, base, n, timings, errors) for n in range(sessions)))
        await browser.close()


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="waves of sessions (memory must not grow between them)")
    parser.add_argument("--replicas", action="store_true", help="two app processes behind nginx")
    parser.add_argument("--protocol", choices=("browser", "ws"), default="browser",
                        help="browser: Chromium tabs (default); "
                             "ws: Streamlit's websocket protocol (measures the server)")
    parser.add_argument("--profile", metavar="PREFIX", help="one process under cProfile (scripts/profile_server.py): "
                        "writes PREFIX.scripts.pstats and PREFIX.server.pstats when it stops")
    venv_python = ROOT / ".venv" / "bin" / "python"
    parser.add_argument("--python", default=str(venv_python) if (ROOT / ".venv").exists() else sys.executable)
    args = parser.parse_args()

    if args.replicas:
        base, backends, pids, proc = start_replicas(args.python)
    else:
        base, backends, pids, proc = start_single(args.python, args.profile)
    try:
        warm_t, warm_e = {k: [] for k in ("open", "rank", "choose", "programs")}, []
        for backend in backends:  # each process loads the model and index once, as its first visitor would
            asyncio.run(drive(backend, 1, warm_t, warm_e, args.protocol))
        for error in warm_e:
            print(f"  ! warm-up {error}")
        before = rss_mb(pids)
        print(f"{'replicas behind nginx' if args.replicas else 'one process'} ({args.protocol}): "
              f"{args.sessions} concurrent sessions x {args.rounds} rounds")
        print(f"server RSS after warm-up: {before:.0f} MB")
        for wave in range(1, args.rounds + 1):
            timings, errors = {k: [] for k in ("open", "rank", "choose", "programs")}, []
            started, cpu_before, ticks_before = time.perf_counter(), cpu_seconds(pids), machine_ticks()
            per_process = [cpu_seconds([pid]) for pid in pids]
            asyncio.run(drive(base, args.sessions, timings, errors, args.protocol))
            server_cpu = cpu_seconds(pids) - cpu_before
            busy, total = (now - then for now, then in zip(machine_ticks(), ticks_before))
            split = " + ".join(f"{cpu_seconds([pid]) - was:.1f}" for pid, was in zip(pids, per_process))
            split = f" = {split} by process" if len(pids) > 1 else ""
            print(f"round {wave}: {time.perf_counter() - started:.1f} s wall, server CPU {server_cpu:.1f} s{split} "
                  f"({server_cpu / args.sessions:.2f} s per session), errors {len(errors)}, "
                  f"server RSS {rss_mb(pids):.0f} MB")
            print(f"  machine: CPU {100 * busy / max(total, 1):.0f}% busy during the round ({os.cpu_count()} cores), "
                  f"load average {os.getloadavg()[0]:.2f}")
            for step, values in timings.items():
                if values:
                    print(f"  {step:9} n={len(values):3}  p50 {percentile(values, 50):6.2f} s  "
                          f"p95 {percentile(values, 95):6.2f} s")
            for error in errors[:5]:
                print(f"  ! {error}")
        print(f"server RSS before {before:.0f} MB, after {rss_mb(pids):.0f} MB")
    finally:
        if args.replicas:
            os.killpg(proc.pid, 15)
        else:
            proc.terminate()
        proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
