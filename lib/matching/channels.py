"""Channels: one score per unit group from one source (an encoder or BM25) over one text field, and their fusion.

A `Channel` is the typed form of a name in lib/matching/tuning.py ("minilm.duty_en|sent"): encoder, field, the
field's language, mode. Every name there is parsed and checked once, here, at import (`WEIGHTS`,
`FALLBACK_WEIGHTS`, `EVIDENCE`), so a typo fails when the package is imported, not at query time.
Title fields roll up to a group by the best row, duty fields by the mean of the best `DUTY_TOPK` rows (so one
lucky duty line does not outweigh a group that matches on several); group_* fields are one document per group.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.matching import tuning
from lib.matching.index import DUTY_FIELDS, FIELD_LANG, GROUP_FIELDS, Index
from lib.matching.parallel import product

NEG = np.float32(-1e9)
MODES = ("whole", "sent")
LEXICAL = "bm25"


@dataclass(frozen=True)
class Channel:
    encoder: str          # a tuning.PLAN key ("minilm", "use") or "bm25"
    field: str            # an index field (title_en, duty_fr, ...) or a per-group document (group_title_en, ...)
    lang: str             # the field's language: "en" | "fr"
    mode: str = "whole"   # "whole": the whole text; "sent": the mean over its sentences

    @property
    def rows(self) -> tuple[str, str]:
        """(encoder, field): what the row similarities depend on (shared by both modes)."""
        return self.encoder, self.field

    @property
    def index_field(self) -> str:
        """The Index.fields entry whose rows this channel reads (a group document's titles for group_*)."""
        return GROUP_FIELDS.get(self.field, self.field)

    @property
    def per_group(self) -> bool:
        return self.field in GROUP_FIELDS

    @property
    def lexical(self) -> bool:
        return self.encoder == LEXICAL

    def __str__(self) -> str:
        return f"{self.encoder}.{self.field}|{self.mode}"


def parse(name: str, plan: dict[str, tuple[str, ...]] = tuning.PLAN) -> Channel:
    """"<encoder>.<field>[|<mode>]" -> Channel; ValueError naming the problem when the name is not one."""
    source, _, mode = name.partition("|")
    encoder, _, field = source.partition(".")
    mode = mode or "whole"
    if mode not in MODES:
        raise ValueError(f"channel {name!r}: mode {mode!r} is not one of {', '.join(MODES)}")
    if encoder == LEXICAL:
        if field not in FIELD_LANG and field not in GROUP_FIELDS:
            raise ValueError(f"channel {name!r}: BM25 has no field {field!r}")
    elif encoder not in plan:
        raise ValueError(f"channel {name!r}: encoder {encoder!r} is not in PLAN ({', '.join(plan)}) nor bm25")
    elif field not in plan[encoder]:
        raise ValueError(f"channel {name!r}: PLAN does not embed {field!r} with {encoder!r}")
    return Channel(encoder, field, FIELD_LANG[GROUP_FIELDS.get(field, field)], mode)


def parse_weights(table: dict[tuple[str, str], dict[str, float]]) -> dict[tuple[str, str], dict[Channel, float]]:
    """A tuning weights table with every channel name parsed (and checked)."""
    return {route: {parse(name): float(w) for name, w in weights.items()} for route, weights in table.items()}


WEIGHTS = parse_weights(tuning.WEIGHTS)
FALLBACK_WEIGHTS = parse_weights(tuning.FALLBACK_WEIGHTS)
EVIDENCE = {lang: tuple(parse(name) for name in names) for lang, names in tuning.EVIDENCE.items()}


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

    def topk_mean(self, fname: str, scores: np.ndarray, k: int = tuning.DUTY_TOPK) -> np.ndarray:
        """(q, rows) -> (q, codes): mean of the k best rows per code (fewer when a code has fewer rows)."""
        out = np.full((scores.shape[0], self.n), NEG, dtype=np.float32)
        pad = self.pad[fname]
        if not len(pad):
            return out
        padded = np.concatenate([scores, np.full((scores.shape[0], 1), -np.inf, dtype=np.float32)], axis=1)[:, pad]
        if padded.shape[2] > k:         # the k best, in no order (a mean needs no sort): 1.0 -> 0.6 ms for 5 queries
            padded = np.partition(padded, padded.shape[2] - k, axis=2)[:, :, -k:]
        finite = np.isfinite(padded)
        out[:, self.present[fname]] = np.where(finite, padded, 0).sum(2) / np.maximum(finite.sum(2), 1)
        return out


def row_scores(index: Index, channel: Channel, query: Query, whole_only: bool = False) -> np.ndarray:
    """(q, rows) similarities for a channel; q = 1 (whole text) or 1 + sentences (skipped when whole_only)."""
    if channel.lexical:
        texts = [query.text] + ([] if whole_only else query.sentences)
        scores = np.stack([index.lexical[channel.field].scores(t) for t in texts])
        scores /= np.maximum(scores.max(axis=1, keepdims=True), 1e-6)      # BM25 is unbounded: scale to [0, 1]
    else:
        vecs = query.vecs[channel.encoder][:1] if whole_only else query.vecs[channel.encoder]
        scores = product(vecs, index.vectors[channel.rows])
    return _masked(scores, channel, query.mask)


def _masked(scores: np.ndarray, channel: Channel, mask) -> np.ndarray:
    if mask and channel.field in mask:
        scores[:, mask[channel.field]] = NEG
    return scores


def shared_row_scores(index: Index, parts: list[tuple[Query, dict[Channel, float]]]) -> list[dict]:
    """For each (query, weights): {(encoder, field): row scores} over its channels' rows, whole text only where no
    channel reads that field by sentence. An encoder's field read by several queries (a description and the title
    it names) goes through one product: the field's vectors are streamed from memory once."""
    wants = [{ch.rows: (ch, ch.rows not in {c.rows for c in w if c.mode == "sent"}) for ch in w} for _, w in parts]
    caches: list[dict] = [{} for _ in parts]
    for key in dict.fromkeys(k for want in wants for k in want):
        users = [(i, *want[key]) for i, want in enumerate(wants) if key in want]
        channel = users[0][1]
        if channel.lexical:                 # BM25 scores each text on its own
            for i, ch, whole in users:
                caches[i][key] = row_scores(index, ch, parts[i][0], whole)
            continue
        blocks = [parts[i][0].vecs[channel.encoder][:1 if whole else None] for i, _, whole in users]
        scores = _masked(product(np.vstack(blocks), index.vectors[key]), channel, parts[users[0][0]][0].mask)
        for (i, _, _), block in zip(users, np.split(scores, np.cumsum([len(b) for b in blocks])[:-1])):
            caches[i][key] = block
    return caches


def channel_scores(index: Index, agg: Aggregator, channel: Channel, query: Query,
                   rows: np.ndarray | None = None) -> np.ndarray:
    """Unit-group scores (codes,) for one channel.

    mode "whole": the whole text only; "sent": the mean over sentences of each sentence's score (long text),
    which rewards groups whose duties cover the description line by line.
    """
    rows = row_scores(index, channel, query) if rows is None else rows
    if channel.per_group:
        per_code = rows                         # already one document per unit group
    elif channel.field in DUTY_FIELDS:
        per_code = agg.topk_mean(channel.field, rows)
    else:
        per_code = agg.max(channel.field, rows)
    if channel.mode == "sent" and per_code.shape[0] > 1:
        return per_code[1:].mean(axis=0)
    return per_code[0]


def normalised(weights: dict[Channel, float]) -> dict[Channel, float]:
    total = sum(weights.values()) or 1.0
    return {k: w / total for k, w in weights.items()}


def fuse(scores: dict[Channel, np.ndarray], weights: dict[Channel, float]) -> np.ndarray:
    """Weighted sum of the channels' (non-negative) unit-group scores."""
    total = None
    for channel, w in weights.items():
        part = w * np.maximum(scores[channel], 0)
        total = part if total is None else total + part
    return total


def agreement(scores: dict[Channel, np.ndarray], weights: dict[Channel, float], winner: int) -> float:
    """The share of the weight whose channel, alone, also ranks `winner` first (1.0: every channel agrees)."""
    share = normalised(weights)
    return float(sum(share[ch] for ch in weights if int(np.argmax(scores[ch])) == winner))
