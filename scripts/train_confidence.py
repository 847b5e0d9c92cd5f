"""Fit the confidence thresholds in lib/confidence.py on the dev set (prints them; paste into THRESHOLDS).

    python scripts/train_confidence.py [--heldout 150]

high:   the loosest (score, margin) pair whose rank-1 precision is >= 0.90 on the dev items it covers;
medium: the loosest pair, among the rest, with rank-1 precision >= 0.60;
floor:  a top score that most nonsense queries stay under while >= 97 % of the dev items clear it.
Titles and paragraphs are fitted apart because their scores live on different scales.
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


def fit(rows, target):
    """Smallest-coverage-loss (score, margin) pair with precision >= target; None if none."""
    best = None
    scores = np.array([r["score"] for r in rows])
    margins = np.array([r["margin"] for r in rows])
    hits = np.array([r["rank"] == 1 for r in rows])
    for s in np.unique(np.round(scores, 2)):
        for m in (0.0, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1):
            sel = (scores >= s) & (margins >= m)
            if sel.sum() >= 5 and hits[sel].mean() >= target and (best is None or sel.sum() > best[2]):
                best = (float(s), m, int(sel.sum()), float(hits[sel].mean()))
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--heldout", type=int, default=150)
    args = ap.parse_args()
    from lib.evaluate import heldout_items, load_items, score_items
    from lib.matching import get_matcher
    from lib.noc import load_noc
    from lib.textnorm import is_long

    noc = load_noc()
    m = get_matcher(noc)
    scored = score_items(m, load_items(None) + heldout_items(noc, args.heldout))
    for kind in ("title", "paragraph"):
        rows = [r for r in scored if is_long(r["text"]) == (kind == "paragraph")]
        high = fit(rows, 0.90)
        rest = [r for r in rows if not high or not (r["score"] >= high[0] and r["margin"] >= high[1])]
        medium = fit(rest, 0.60)
        junk = [m.rank(t, top=2).results[0].score for t in NONSENSE if is_long(t) == (kind == "paragraph")]
        floor = float(np.quantile([r["score"] for r in rows], 0.03))
        print(f"{kind}: n={len(rows)} high={high} medium={medium} floor(3% of dev)={floor:.3f} "
              f"nonsense max={max(junk):.3f} median={float(np.median(junk)):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
