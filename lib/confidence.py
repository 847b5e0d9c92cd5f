"""Confidence labels from the fused score of the top result and its margin over the next one.

The thresholds are not cosines shown to people: they were fitted on the dev set (tests/data/dev_*.jsonl,
see scripts/train_confidence.py and the README) so that "high" is right at rank 1 about 9 times in 10 and
"medium" finds the right code in the top 5 most of the time. Refit them when the channels or weights change.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    high_score: float
    high_margin: float
    medium_score: float
    medium_margin: float
    floor: float            # below this top score nothing is convincing
    near: float             # later results within this gap of the top one count as "medium"


# Fitted by scripts/train_confidence.py on the dev set; one set per input kind because titles and
# paragraphs produce different score ranges. The paragraph set was refitted once one-sentence descriptions
# joined it (high on FR sentences: right 0.69 -> 0.80 of the time); the title floor stays below the fitted one
# so that short real titles are not called unconvincing.
THRESHOLDS = {
    "title": Thresholds(high_score=0.70, high_margin=0.07, medium_score=0.50, medium_margin=0.01,
                        floor=0.45, near=0.05),
    "paragraph": Thresholds(high_score=0.44, high_margin=0.03, medium_score=0.24, medium_margin=0.0,
                            floor=0.25, near=0.02),
}


def thresholds(kind: str, lang: str | None = None) -> Thresholds:
    """Per input kind, and per language where the fusion differs (French descriptions score lower)."""
    return THRESHOLDS.get(f"{kind}_{lang}") or THRESHOLDS[kind]


def label(scores: list[float], i: int, kind: str, lang: str | None = None) -> str:
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
