"""Confidence labels from the fused score of the top result, its margin over the next one, how many of the
channels rank it first on their own (the agreement, lib/matching/channels.py), and whether the text names a title
the NOC lists under the top result alone (then "high").

The thresholds are not cosines shown to people: they were fitted on the dev sets (scripts/train_confidence.py and
the README) so that "high" is right at rank 1 at least 85 % of the time on each dev file and "medium" about half
the time; a look-alike named by the NOC in the top 5 caps the top result at "medium" unless the NOC lists the named
title under it (lib/matching/matcher.py). The thresholds live in lib/matching/tuning.py; refit them when channels
change.
"""
from __future__ import annotations

from lib.matching.tuning import AGREE_FOR_MEDIUM, THRESHOLDS, Thresholds
from lib.matching.vocab import MatchConfidence


def thresholds(kind: str, lang: str | None = None) -> Thresholds:
    """Per input kind, and per language where the fusion differs (French descriptions score lower)."""
    return THRESHOLDS.get(f"{kind}_{lang}") or THRESHOLDS[kind]


def label(scores: list[float], i: int, kind: str, lang: str | None = None, agreement: float = 1.0,
          listed: bool = False) -> MatchConfidence:
    """Label of the result at position i in a descending score list; `agreement` is the share of the fused weight
    whose channel ranks the top result first too (channels that disagree make any winner "low"); `listed`: the text
    names a title the NOC lists under the top result alone (right at rank 1 in 399 of 400 dev ads headed so)."""
    t = thresholds(kind, lang)
    top = scores[0]
    margin = top - scores[1] if len(scores) > 1 else top
    if i == 0:
        if listed:
            return "high"
        if agreement < AGREE_FOR_MEDIUM:
            return "low"
        if top >= t.high_score and margin >= t.high_margin and agreement >= t.high_agree:
            return "high"
        return "medium" if top >= t.medium_score and margin >= t.medium_margin else "low"
    if label(scores, 0, kind, lang, agreement, listed) != "medium":
        return "low"  # after a clear winner, or when even the best is weak, no other result reads as likely
    return "medium" if scores[i] >= t.medium_score and top - scores[i] <= t.near else "low"


def convincing(scores: list[float], kind: str, lang: str | None = None) -> bool:
    return bool(scores) and scores[0] >= thresholds(kind, lang).floor
