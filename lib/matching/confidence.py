"""Confidence labels from the fused score of the top result and its margin over the next one.

The thresholds are not cosines shown to people: they were fitted on the dev sets (scripts/train_confidence.py and
the README) so that "high" is right at rank 1 about 9 times in 10 and "medium" about half the time; a look-alike
named by the NOC in the top 5 caps the top result at "medium" (lib/matching/matcher.py). The thresholds live in
lib/matching/tuning.py; refit them when channels change.
"""
from __future__ import annotations

from lib.matching.tuning import THRESHOLDS, Thresholds
from lib.matching.vocab import MatchConfidence


def thresholds(kind: str, lang: str | None = None) -> Thresholds:
    """Per input kind, and per language where the fusion differs (French descriptions score lower)."""
    return THRESHOLDS.get(f"{kind}_{lang}") or THRESHOLDS[kind]


def label(scores: list[float], i: int, kind: str, lang: str | None = None) -> MatchConfidence:
    """Label of the result at position i in a descending score list."""
    t = thresholds(kind, lang)
    top = scores[0]
    margin = top - scores[1] if len(scores) > 1 else top
    if i == 0:
        if top >= t.high_score and margin >= t.high_margin:
            return "high"
        if top >= t.medium_score and margin >= t.medium_margin:
            return "medium"
        return "low"
    if label(scores, 0, kind, lang) != "medium":
        return "low"  # after a clear winner, or when even the best is weak, no other result reads as likely
    return "medium" if scores[i] >= t.medium_score and top - scores[i] <= t.near else "low"


def convincing(scores: list[float], kind: str, lang: str | None = None) -> bool:
    return bool(scores) and scores[0] >= thresholds(kind, lang).floor
