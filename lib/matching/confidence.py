"""Confidence labels from the fused score of the top result and its margin over the next one.

The thresholds are not cosines shown to people: they were fitted on the dev sets (scripts/train_confidence.py and
the README) so that "high" is right at rank 1 about 9 times in 10 and "medium" about half the time; a look-alike
named by the NOC in the top 5 caps the top result at "medium" (lib/matching.py). Refit them when channels change.
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


# Fitted by scripts/train_confidence.py on the shared O*NET dev sets, the project's own sets, the synthetic ads and
# the held-out NOC titles, per input kind and language (French descriptions and titles score on other scales):
# "high" is right at rank 1 >= 0.88 of the time overall and >= 0.85 on every file, "medium" >= 0.50 of the rest.
# Floors stay under the fitted 3 % quantile of the dev scores (short real titles) and above nonsense text.
THRESHOLDS = {
    "title": Thresholds(high_score=0.78, high_margin=0.0, medium_score=0.28, medium_margin=0.03,
                        floor=0.45, near=0.05),
    "title_fr": Thresholds(high_score=0.79, high_margin=0.04, medium_score=0.29, medium_margin=0.0,
                           floor=0.45, near=0.05),
    "paragraph": Thresholds(high_score=0.54, high_margin=0.06, medium_score=0.32, medium_margin=0.01,
                            floor=0.32, near=0.02),
    "paragraph_fr": Thresholds(high_score=0.54, high_margin=0.05, medium_score=0.36, medium_margin=0.015,
                               floor=0.32, near=0.02),
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
