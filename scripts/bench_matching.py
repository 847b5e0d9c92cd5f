"""Matching benchmark: index build time, cold start from cache, warm query latency p50/p95, peak RSS.

    python scripts/bench_matching.py [--rebuild] [--queries N]

Cold start is measured in a fresh subprocess (imports + NOC load + index load + models + first query),
because that is what a person waits for after a restart. Uses the dev sets in tests/data as queries.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD = """
import time, json, resource
t = time.perf_counter()
from lib.noc import load_noc
from lib.matching import get_matcher
m = get_matcher(load_noc())
t_ready = time.perf_counter() - t
m.rank("cook", top=10)
t_first = time.perf_counter() - t
# VmHWM, not ru_maxrss: after fork+exec ru_maxrss still carries the parent's peak on Linux
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")]
rss = int(hwm[0].split()[1]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"ready_s": t_ready, "first_result_s": t_first, "rss_mb": rss}))
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rebuild", action="store_true", help="delete the cached index and time a full build")
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()

    from lib import matching
    from lib.matching import index as match_index
    from lib.noc import load_noc

    noc = load_noc()
    if args.rebuild:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:         # time a full build without touching the real cache
            t = time.perf_counter()
            matching.get_matcher(noc, cache_root=Path(tmp))
            print(f"index build (incl. model load, 2 encoders): {time.perf_counter() - t:.1f} s")
        matching.clear_cache()
    # The index's folder is named after the encoder that built it ("+int8": lib/matching/onnx_bert.py).
    m = matching.get_matcher(noc)                      # loaded once: the warm queries below use it too
    folder = match_index.cache_dir(noc, m.encoders["minilm"].name)
    size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
    print(f"index cache size: {size:.0f} MiB")

    colds = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", COLD], cwd=ROOT, capture_output=True, text=True, check=True)
        colds.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(colds, key=lambda c: c["first_result_s"])
    all_cold = ", ".join(f"{c['first_result_s']:.2f}" for c in colds)
    print(f"cold start from cache: ready {best['ready_s']:.2f} s, first result {best['first_result_s']:.2f} s "
          f"(best of 3; all: {all_cold}); "
          f"peak RSS {best['rss_mb']:.0f} MiB")

    from lib.matching.devset import composite_items, load_items

    items = load_items(None) + composite_items()
    by_bucket: dict[str, list[str]] = {}
    for it in items:
        kind = ("ads" if it["bucket"].startswith("ads_") else
                "titles" if "title" in it["bucket"] and "in_text" not in it["bucket"] else "descriptions")
        lang = it.get("lang") or m.detect(it["text"])
        by_bucket.setdefault(f"{kind} {lang}", []).append(it["text"])
    ad = next(t for t in by_bucket.get("ads en", []) if len(t) > 1200) if by_bucket.get("ads en") else None
    if ad:                                              # a 4,000-character ad: the same duties pasted again
        head, rest = ad.split("\n", 1)
        by_bucket["ad 4000 chars"] = [(head + "\n" + (rest + "\n") * 8)[:4000]]
    for texts in by_bucket.values():
        for text in texts[:5]:
            m.rank(text)                               # warm-up
    by_kind: dict[str, list[float]] = {}
    for name, texts in sorted(by_bucket.items()):
        texts = texts[:args.queries] if name != "ad 4000 chars" else texts * 20
        for text in texts:
            t = time.perf_counter()
            m.rank(text, top=10)
            by_kind.setdefault(name, []).append((time.perf_counter() - t) * 1000)
    allv = [v for vs in by_kind.values() for v in vs]
    for name, vs in [("all", allv)] + sorted(by_kind.items()):
        q = statistics.quantiles(vs, n=20)
        print(f"warm query latency [{name}] n={len(vs)}: p50 {statistics.median(vs):.1f} ms, p95 {q[18]:.1f} ms")
    print(f"peak RSS (this process, includes the index build when --rebuild): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
