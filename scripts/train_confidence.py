"""Fit the confidence thresholds on the dev sets (prints them; paste into THRESHOLDS in lib/matching/tuning.py).

    python scripts/train_confidence.py [--heldout 150]

Scored on the shared O*NET dev sets, the project's own sets and held-out NOC titles, per input kind and language:
high:   the loosest (score, margin) pair whose rank-1 precision is >= 0.88 overall and >= 0.85 on every file
        with at least 10 covered items (the issue: "high" right at rank 1 at least 85 % of the time);
medium: the loosest pair, among the rest, with rank-1 precision >= 0.50; what stays below is "low";
floor:  a top score that most nonsense queries stay under while >= 97 % of the dev items clear it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NONSENSE = ["asdf qwerty", "the weather is nice today", "banana", "I like my cat very much", "hello world",
            "il fait beau aujourd'hui", "bonjour tout le monde", "mon chat est gris", "zzzz", "lorem ipsum dolor",
            "We went to the beach last summer and swam every day. The water was warm.",
            "Nous sommes allés à la plage l'été dernier. L'eau était chaude et le soleil brillait."]
MARGINS = (0.0, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1)


def fit(rows, target, per_file=None):
    """Largest-coverage (score, margin) pair with precision >= target (and >= per_file on each file)."""
    best = None
    scores = np.array([r["score"] for r in rows])
    margins = np.array([r["margin"] for r in rows])
    hits = np.array([r["rank"] == 1 for r in rows])
    files = np.array([r["bucket"] for r in rows])
    for s in np.unique(np.round(scores, 2)):
        for m in MARGINS:
            sel = (scores >= s) & (margins >= m)
            if sel.sum() < 5 or hits[sel].mean() < target or (best is not None and sel.sum() <= best[2]):
                continue
            if per_file and any(hits[sel & (files == f)].mean() < per_file for f in set(files[sel])
                                if (sel & (files == f)).sum() >= 10):
                continue
            best = (float(s), m, int(sel.sum()), float(hits[sel].mean()))
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--heldout", type=int, default=150)
    args = ap.parse_args()
    from lib.matching import get_matcher
    from lib.matching.devset import composite_items, heldout_items, load_items, score_items
    from lib.matching.query import is_long
    from lib.noc import load_noc

    noc = load_noc()
    m = get_matcher(noc)
    scored = score_items(m, load_items(None) + composite_items() + heldout_items(noc, args.heldout))
    for kind in ("title", "paragraph"):
        for lang in ("en", "fr"):
            rows = [r for r in scored if is_long(r["text"]) == (kind == "paragraph") and r["query_lang"] == lang
                    and not r["look_alikes"]]
            high = fit(rows, 0.88, per_file=0.85)
            rest = [r for r in rows if not high or not (r["score"] >= high[0] and r["margin"] >= high[1])]
            medium = fit(rest, 0.50)
            junk = [m.rank(t, top=2).results[0].score for t in NONSENSE if is_long(t) == (kind == "paragraph")]
            floor = float(np.quantile([r["score"] for r in rows], 0.03))
            print(f"{kind}_{lang}: n={len(rows)} high={high} medium={medium} floor(3% of dev)={floor:.3f} "
                  f"nonsense max={max(junk):.3f} median={float(np.median(junk)):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
