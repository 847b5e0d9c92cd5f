"""Channel scores: one score per unit group from one (encoder or BM25) x (text field) pair, and their fusion.

A channel name is "<source>.<field>" with source "st" (the sentence-transformers model), "use" (multilingual
USE) or "bm25"; fields are title_en, title_fr (aggregated by max over titles) and duty_en (mean of the
best k duties, so one lucky duty line does not outweigh a group that matches on several).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.matching.index import Index

DUTY_TOPK = 3
NEG = np.float32(-1e9)


@dataclass
class Query:
    """A prepared query: whole-text vectors and, for long text, one vector per sentence."""
    text: str
    sentences: list[str]
    vecs: dict[str, np.ndarray]          # encoder key -> (1 + n_sentences, dim); row 0 = whole text
    mask: dict[str, np.ndarray] | None = None   # field -> rows to ignore (held-out evaluation only)


class Aggregator:
    """Per-field helpers to roll row scores up to unit groups (rows are grouped by code)."""

    def __init__(self, index: Index):
        self.n = len(index.codes)
        self.starts, self.present, self.pad = {}, {}, {}
        for fname, fld in index.fields.items():
            ci = fld.code_idx
            if len(ci) == 0:
                self.starts[fname] = np.zeros(0, dtype=np.int64)
                self.present[fname] = np.zeros(0, dtype=np.int64)
                self.pad[fname] = np.zeros((0, 1), dtype=np.int64)
                continue
            starts = np.flatnonzero(np.r_[True, ci[1:] != ci[:-1]])
            self.starts[fname], self.present[fname] = starts, ci[starts]
            lengths = np.diff(np.r_[starts, len(ci)])
            pad = np.full((len(starts), int(lengths.max())), len(ci), dtype=np.int64)   # len(ci) -> sentinel
            for j, (s, ln) in enumerate(zip(starts, lengths)):
                pad[j, :ln] = np.arange(s, s + ln)
            self.pad[fname] = pad

    def max(self, fname: str, scores: np.ndarray) -> np.ndarray:
        """(q, rows) -> (q, codes): best row per code; codes without rows get NEG."""
        out = np.full((scores.shape[0], self.n), NEG, dtype=np.float32)
        if len(self.starts[fname]):
            out[:, self.present[fname]] = np.maximum.reduceat(scores, self.starts[fname], axis=1)
        return out

    def topk_mean(self, fname: str, scores: np.ndarray, k: int = DUTY_TOPK) -> np.ndarray:
        """(q, rows) -> (q, codes): mean of the k best rows per code (fewer when a code has fewer rows)."""
        out = np.full((scores.shape[0], self.n), NEG, dtype=np.float32)
        pad = self.pad[fname]
        if not len(pad):
            return out
        padded = np.concatenate([scores, np.full((scores.shape[0], 1), np.nan, dtype=np.float32)], axis=1)[:, pad]
        padded = -np.sort(-np.nan_to_num(padded, nan=-np.inf), axis=2)[:, :, :k]
        finite = np.isfinite(padded)
        out[:, self.present[fname]] = np.where(finite, padded, 0).sum(2) / np.maximum(finite.sum(2), 1)
        return out


def row_scores(index: Index, channel: str, query: Query, whole_only: bool = False) -> np.ndarray:
    """(q, rows) similarities for a channel; q = 1 (whole text) or 1 + sentences (skipped when whole_only)."""
    source, fname = channel.split(".", 1)
    if source == "bm25":
        texts = [query.text] + ([] if whole_only else query.sentences)
        scores = np.stack([index.lexical[fname].scores(t) for t in texts])
        scores /= np.maximum(scores.max(axis=1, keepdims=True), 1e-6)      # BM25 is unbounded: scale to [0, 1]
    else:
        vecs = query.vecs[source][:1] if whole_only else query.vecs[source]
        scores = vecs @ index.vectors[f"{source}.{fname}"].T
    if query.mask and fname in query.mask:
        scores[:, query.mask[fname]] = NEG
    return scores


def channel_scores(index: Index, agg: Aggregator, channel: str, query: Query, mode: str,
                   rows: np.ndarray | None = None) -> np.ndarray:
    """Unit-group scores (codes,) for one channel.

    mode "whole": the whole text only; "sent": the mean over sentences of each sentence's score (long text),
    which rewards groups whose duties cover the description line by line.
    """
    rows = row_scores(index, channel, query) if rows is None else rows
    fname = channel.split(".", 1)[1]
    if fname.startswith("group_"):
        per_code = rows                         # already one document per unit group
    elif fname.startswith("duty"):
        per_code = agg.topk_mean(fname, rows)
    else:
        per_code = agg.max(fname, rows)
    if mode == "sent" and per_code.shape[0] > 1:
        return per_code[1:].mean(axis=0)
    return per_code[0]


def normalised(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values()) or 1.0
    return {k: w / total for k, w in weights.items()}


def fuse(scores: dict[str, np.ndarray], weights: dict[str, float], method: str = "weighted",
         rrf_k: int = 60) -> np.ndarray:
    """Weighted sum of channel scores, or weighted reciprocal rank fusion."""
    total = None
    for channel, w in weights.items():
        s = scores[channel]
        if method == "rrf":
            ranks = np.empty(len(s), dtype=np.float32)
            ranks[np.argsort(-s, kind="stable")] = np.arange(1, len(s) + 1)
            part = w / (rrf_k + ranks)
        else:
            part = w * np.maximum(s, 0)
        total = part if total is None else total + part
    return total
