"""Matching free text (EN or FR) to NOC unit groups: the front door.

    from lib.matching import get_matcher, clear_cache
    matcher = get_matcher(load_noc())          # one per (data, model) per process; index loaded or built
    result = matcher.rank("registered nurse")  # RankResult of Match(code, score, confidence, evidence, look_alikes)

    matcher.py     Matcher.rank: route -> encode -> score -> assemble; get_matcher (the one memo), clear_cache
    tuning.py      every tunable: PLAN, WEIGHTS, thresholds, window sizes
    channels.py    Channel(encoder, field, lang, mode) parsed once from tuning; row/group scores, fusion
    index.py       the index and its lifecycle: load_or_build (adapt, load, lock, build, save, word table)
    encoders.py    MiniLM (SentenceModel), multilingual USE, HashingModel (tests)
    numpy_bert.py  the torch-free MiniLM forward pass (queries and the index build)
    parallel.py    the shared thread pool: a query's encoders and products, the build's batches, on every core
    bm25.py        BM25 with accent, French gender folding and stemming
    fr_words.py    word-by-word FR -> EN for short French descriptions
    confidence.py  high / medium / low from the fused scores
    vocab.py       MatchConfidence, EvidenceKind: the closed value sets of a result
    query.py       query cleaning, language guess, sentences, the title a description names
    adapt.py       the NOC adaptation of MiniLM at setup
    devset.py      dev-set metrics (python -m lib evaluate), held out through Matcher.with_heldout
"""
from __future__ import annotations

from lib.matching.matcher import Evidence, Match, Matcher, RankResult, clear_cache, get_matcher
from lib.matching.vocab import EvidenceKind, MatchConfidence

__all__ = ["Evidence", "EvidenceKind", "Match", "MatchConfidence", "Matcher", "RankResult", "clear_cache",
           "get_matcher"]
