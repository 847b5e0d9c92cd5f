"""Matching free text (EN or FR) to NOC unit groups: the front door.

    from lib.matching import get_matcher, clear_cache
    matcher = get_matcher(load_noc())          # one per (data, model) per process; index loaded or built
    result = matcher.rank("registered nurse")  # RankResult: Match(code, score, confidence, evidence, ...)
"""
from __future__ import annotations

from lib.matching.matcher import _MATCHERS, Evidence, Match, Matcher, RankResult, clear_cache, get_matcher

__all__ = ["get_matcher", "clear_cache", "Matcher", "RankResult", "Match", "Evidence"]
# `_MATCHERS` stays importable from here until every test calls clear_cache() instead of _MATCHERS.clear().
