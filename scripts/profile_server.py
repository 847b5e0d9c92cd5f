"""Run the app under cProfile, by hand, to see where a server's CPU goes (used by `load_test.py --profile`).

    .venv/bin/python scripts/profile_server.py OUT_PREFIX streamlit-run-arguments…

Every script run is profiled (thread CPU time) in its own thread and the runs are added up into
OUT_PREFIX.scripts.pstats; the server's event-loop thread (websocket, protobuf, session bookkeeping) goes to
OUT_PREFIX.server.pstats, written when the server stops. Read them with `python -m pstats FILE`
(sort cumulative, stats 40).
"""
from __future__ import annotations

import atexit
import cProfile
import pstats
import sys
import threading
import time

from streamlit.runtime.scriptrunner import script_runner
from streamlit.web import cli

prefix, args = sys.argv[1], sys.argv[2:]
lock = threading.Lock()
scripts: dict[str, pstats.Stats] = {}
runs = {"count": 0, "cpu_s": 0.0}
_run_script = script_runner.ScriptRunner._run_script


def profiled_run(self, *a, **kw):
    profile, started = cProfile.Profile(time.thread_time), time.thread_time()
    profile.enable()
    try:
        return _run_script(self, *a, **kw)
    finally:
        profile.disable()
        profile.create_stats()
        with lock:
            runs["count"] += 1
            runs["cpu_s"] += time.thread_time() - started
            if "all" in scripts:
                scripts["all"].add(profile)
            else:
                scripts["all"] = pstats.Stats(profile)


def dump() -> None:
    server.disable()
    server.dump_stats(f"{prefix}.server.pstats")
    with lock:
        if "all" in scripts:
            scripts["all"].dump_stats(f"{prefix}.scripts.pstats")
    print(f"profiled {runs['count']} script runs, {runs['cpu_s']:.2f} s thread CPU", file=sys.stderr)


script_runner.ScriptRunner._run_script = profiled_run
server = cProfile.Profile(time.thread_time)  # CPU time, not the wall time spent waiting for the GIL
atexit.register(dump)
server.enable()
sys.argv = ["streamlit", *args]
sys.exit(cli.main())
