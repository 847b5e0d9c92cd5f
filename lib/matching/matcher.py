"""Rank the NOC unit groups against free text (EN or FR), with evidence and calibrated confidence.

`Matcher.rank` runs route -> encode -> score -> assemble: a typed code short-circuits to its unit group(s); the
language is detected; the text is routed as a title or a description (short French descriptions through the
word-by-word translation); the query is encoded once per encoder; each channel scores every unit group and the
route's weights fuse them (a title named inside a description is scored as a title too); the result carries
confidence, evidence (best duties and example titles) and look-alike codes from the NOC exclusions.
Weights and windows live in lib/matching/tuning.py; `get_matcher` is the one memo of built matchers.
"""
from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from lib import settings
from lib.errors import UserError
from lib.matching import confidence, tuning
from lib.matching import index as match_index
from lib.matching.bm25 import analyse
from lib.matching.channels import (
    EVIDENCE,
    FALLBACK_WEIGHTS,
    WEIGHTS,
    Aggregator,
    Channel,
    Query,
    agreement,
    channel_scores,
    fuse,
    normalised,
    row_scores,
    shared_row_scores,
)
from lib.matching.parallel import encode_all, one_blas_thread
from lib.matching.query import (
    clean_lines,
    clean_query,
    detect_language,
    is_long,
    split_sentences,
    title_span,
    title_variants,
    tokens,
)
from lib.matching.vocab import EvidenceKind, MatchConfidence
from lib.text import fold, stems

_PRONOUNS = frozenset("""
    i we my our he she they his her their je nous mon ma mes notre nos il elle ils elles
""".split())
_WORDS = re.compile(r"\w{3,}")
# Lines of a job ad that say nothing about the work: pay, benefits, schedule, how to apply, the employer pitch.
_BOILERPLATE = re.compile(
    r"\$\s?\d|\d\s?\$|\bsalary\b|\bwages?\b|\bper hour\b|\bbenefits (?:package|include)|\bcompetitive\b|"
    r"\bhow to apply\b|\bapply (?:now|online|today|by|at|via|through)\b|\bsend (?:us )?your (?:resume|cv)\b|"
    r"\bequal opportunit|\bjoin our\b|\bwe offer\b|\bwe are (?:hiring|looking)\b|\b(?:full|part)[- ]time\b|"
    r"\b(?:dental|life|health|group) insurance\b|\bpaid vacation\b|\bpostul|\bsalaire\b|\bavantages sociaux\b|"
    r"\bnous offrons\b|\btemps (?:plein|partiel)\b|\bassurances? collectives?\b|\bvacances pay|"
    r"\bcandidature\b|\benvoyez (?:votre|nous)\b|\bfaites parvenir\b|\bjoignez-vous\b|\bqui sommes-nous\b",
    re.IGNORECASE)


@dataclass
class Evidence:
    kind: EvidenceKind
    text: str
    lang: str
    similarity: float


@dataclass(frozen=True)
class ListedTitle:
    """A title the query names that the NOC lists, word for word, under one unit group only."""
    group: int       # index position of that unit group
    text: str        # the title as the NOC writes it
    lang: str


@dataclass
class Match:
    code: str
    title_en: str
    title_fr: str
    teer: int
    score: float
    confidence: MatchConfidence
    evidence: list[Evidence] = field(default_factory=list)
    look_alikes: list[str] = field(default_factory=list)

    def title(self, lang: str) -> str:
        return self.title_fr if lang == "fr" and self.title_fr else self.title_en


@dataclass
class RankResult:
    query_lang: str
    kind: str            # "noc2021" | "noc2016" | "text"
    convincing: bool
    message_key: str | None
    results: list[Match]
    agreement: float | None = None   # share of the fused weight whose channel ranks the top result first (text only)
    listed_title: str | None = None  # the title the text names, when the NOC lists it under the top result alone
    query_stems: frozenset[str] = frozenset()   # the text's words (lib.text.stems): long evidence is cut to them

    def to_dict(self, lang: str | None = None) -> dict:
        lang = lang or self.query_lang
        out = []
        for m in self.results:
            out.append({"code": m.code, "title": m.title(lang), "teer": m.teer, "score": round(m.score, 4),
                        "confidence": m.confidence, "evidence": [dict(asdict(e), similarity=round(e.similarity, 4))
                                                                 for e in m.evidence],
                        "look_alikes": list(m.look_alikes)})
        return {"query_lang": self.query_lang, "kind": self.kind, "convincing": self.convincing,
                "message_key": self.message_key, "agreement": self.agreement, "listed_title": self.listed_title,
                "results": out}


class Matcher:
    def __init__(self, noc, index: match_index.Index, encoders: dict, translator=None):
        self.noc, self.index, self.encoders, self.translator = noc, index, encoders, translator
        self.agg = Aggregator(index)
        self._df: dict[str, dict[str, int]] | None = None
        self._heads = None
        self._exact: dict[str, set] | None = None
        self._held: frozenset[str] = frozenset()    # accent-folded titles this matcher must not see
        self.setup_times: dict[str, float] = {}        # seconds spent adapting / indexing in this process

    def with_heldout(self, titles) -> Matcher:
        """This matcher as if these NOC titles were not in the index (held-out evaluation, lib/matching/devset.py).

        The per-group title documents are rebuilt without any of them, and ranking one of them masks its own
        rows in every title field, so exact look-up cannot inflate the scores.
        """
        held = frozenset(fold(t) for t in titles)
        if not held:
            return self
        view = Matcher(self.noc, self.index.without_titles(held), self.encoders, self.translator)
        view._held, view.setup_times = held, self.setup_times
        view._exact = self._exact_titles()          # same title rows: held-out ones are masked per query
        return view

    # ---------- language ----------
    def _vocab_vote(self, text: str) -> float:
        """> 0 when the words are more common in French titles than in English ones (breaks ties on titles)."""
        if self._df is None:
            self._df = {lang: self.index.lexical[f"title_{lang}"].term_counts() for lang in ("en", "fr")}
        vote = 0.0
        for word in tokens(text):
            fr = self._df["fr"].get((analyse(word, "fr") or [""])[0], 0)
            en = self._df["en"].get((analyse(word, "en") or [""])[0], 0)
            vote += math.log1p(fr) - math.log1p(en)
        return vote

    def detect(self, text: str) -> str:
        return detect_language(text, tie_break=self._vocab_vote)

    # ---------- ranking: route -> encode -> score -> assemble ----------
    def rank(self, text: str, top: int = 10, lang: str | None = None) -> RankResult:
        # One BLAS thread: query-sized products gain nothing from threads, and on a busy 2-core machine
        # OpenBLAS threads spinning against each other turned 20 ms queries into 500 ms ones (measured).
        with one_blas_thread():
            return self._rank(text, top, lang)

    def _rank(self, raw: str, top: int, lang: str | None) -> RankResult:
        text = clean_query(raw)
        top = max(1, min(int(top), len(self.index.codes)))
        if lang not in (None, "en", "fr"):
            raise UserError(f"Unknown language '{lang}'; use en or fr.")
        lang = lang or settings.forced_language() or self.detect(text)
        lookup = self.noc.lookup_code(text)
        if lookup is not None:
            return self._from_codes(lookup, lang)
        mask = self.index.title_rows(raw) if self._held and fold(raw) in self._held else None
        kind, route = self.route(text, lang)
        body, span = (text, None) if kind == "title" else self.title_in_text(raw, lang)
        fused, query, rows, agree, listed = self._score(body, span, lang, route, mask)
        result = self._assemble(fused, query, rows, kind, lang, top, agree, listed)
        result.query_stems = stems(text)
        return result

    def route(self, text: str, lang: str) -> tuple[str, str]:
        """(input kind, weight route): "title" or "paragraph"; short French descriptions take "short"."""
        kind = "paragraph" if is_long(text) else "title"
        route = kind
        if (kind == "paragraph" and lang == "fr" and self.translator is not None
                and len(text.split()) <= tuning.SHORT_FR_MAX_WORDS):
            route = "short"
        return kind, route

    def weights(self, route: str, lang: str) -> dict[Channel, float]:
        """The route's weights, without channels over fields this index has no rows for (no French duties)."""
        weights = WEIGHTS[(route, lang)]
        if all(len(self.index.fields[ch.index_field].texts) for ch in weights):
            return weights
        return FALLBACK_WEIGHTS.get((route, lang), weights)

    def _title_words(self) -> tuple[dict, dict]:
        """Per language: words that head NOC titles, and words that start NOC duties (verbs)."""
        if self._heads is None:
            heads, verbs = {}, {}
            for lang in ("en", "fr"):
                first_last = [tokens(t) for t in self.index.fields[f"title_{lang}"].texts]
                pos = -1 if lang == "en" else 0           # "general labourer" / "manoeuvre en boulangerie"
                count = Counter(t[pos] for t in first_last if t)
                heads[lang] = {w for w, n in count.items() if n >= 2}
                verbs[lang] = {t[0] for t in (tokens(d) for d in self.index.fields[f"duty_{lang}"].texts) if t}
            self._heads = (heads, verbs)
        return self._heads

    def _looks_like_title(self, words: list[str], lang: str) -> bool:
        heads, verbs = self._title_words()
        toks = [t for w in words for t in tokens(w)]
        if not toks or toks[0] in verbs[lang] or toks[0] in _PRONOUNS:
            return False
        return (toks[-1] if lang == "en" else toks[0]) in heads[lang]

    def title_in_text(self, raw: str, lang: str) -> tuple[str, str | None]:
        """(description text to score, the job title it names or None); ads lose their boilerplate lines."""
        lines = clean_lines(raw)
        span = title_span(lines, lambda w: self._looks_like_title(w, lang))
        body = clean_query(lines)
        rows = [ln for ln in lines.split("\n") if ln.strip()]
        if span and len(rows) > 1 and rows[0].strip(" \t-•*#") == span and any(_WORDS.search(r) for r in rows[1:]):
            body = clean_query(". ".join(r.rstrip(" .") for r in rows[1:]))   # the title line is scored as a title
        sentences = split_sentences(body)
        if len(sentences) > tuning.AD_MIN_SENTENCES:
            kept = [x for x in sentences if not _BOILERPLATE.search(x)] or sentences
            body = ". ".join(kept[:tuning.MAX_SENTENCES])
        return body, span

    def encode_query(self, text: str, lang: str, route: str, weights: dict[Channel, float], mask=None,
                     span: str | None = None, span_weights: dict[Channel, float] | None = None
                     ) -> tuple[Query, Query | None]:
        """(the text's query, the named title's query or None): the text (and, off the title route, each sentence)
        through every encoder its channels and the evidence use, the title it names through its title channels'
        encoders, in one batch per encoder and all encoders at once (lib/matching/parallel.py)."""
        sentences = split_sentences(text) if route != "title" else []
        needed = {ch.encoder for ch in weights if not ch.lexical} | {ch.encoder for ch in EVIDENCE[lang]}
        span_needed = {ch.encoder for ch in span_weights or () if not ch.lexical} if span else set()
        batch = [text] + sentences
        requests, finish = {}, {}
        for key in sorted(needed):
            if key in tuning.TRANSLATED and route == "short":
                requests[key] = [self.translator.translate(t) for t in batch]
            elif sentences and not any(ch.encoder == key and ch.mode == "whole" for ch in weights):
                # No fused channel needs the whole paragraph from this model: skip it (padding every sentence to
                # the paragraph's length doubled the query time) and stand in the sentences' mean for row 0.
                requests[key] = sentences
                finish[key] = _with_mean_row
            else:
                requests[key] = batch
        for key in span_needed:                              # the named title rides in the same batch, last
            requests[key] = requests.get(key, []) + [span]
        vecs = encode_all({key: (self.encoders[key], texts) for key, texts in requests.items()})
        span_vecs = {key: vecs[key][-1:] for key in span_needed}
        vecs = {key: v[:-1] if key in span_needed else v for key, v in vecs.items() if key in needed}
        vecs = {key: finish[key](v) if key in finish else v for key, v in vecs.items()}
        return Query(text, sentences, vecs, mask), (Query(span, [], span_vecs, mask) if span else None)

    def _score(self, body: str, span: str | None, lang: str, route: str, mask):
        """(fused unit-group scores, query, row-score cache, channel agreement, listed title) for the text and the
        title it names.

        The agreement is the share of the fused weight whose own channel ranks the fused winner first: when the
        channels pull different ways the winner is a coin toss whatever its score (README, "Confidence"). The listed
        title is the NOC title the text names word for word, when the winner is the one group that lists it."""
        weights = self.weights(route, lang)
        # The title a description names ("I work as an orderly...", an ad's first line) is matched as a title too
        # and fused with the description's channels; both go through each shared field's rows in one product.
        tweights = self.weights("title", lang) if span else {}
        query, span_query = self.encode_query(body, lang, route, weights, mask, span, tweights)
        parts = [(query, weights)] + ([(span_query, tweights)] if span else [])
        rows = shared_row_scores(self.index, parts)
        scores = [{ch: channel_scores(self.index, self.agg, ch, q, cache[ch.rows]) for ch in w}
                  for (q, w), cache in zip(parts, rows)]
        fused = fuse(scores[0], normalised(weights))
        exact = None
        if span:
            fused = (fused + tuning.SPAN_WEIGHT * fuse(scores[1], normalised(tweights))) / (1 + tuning.SPAN_WEIGHT)
            exact = self.listed_title(span, mask)
            if exact is not None:
                fused[exact.group] += tuning.EXACT_TITLE_BONUS
        winner = int(np.argmax(fused))
        listed = exact if exact is not None and exact.group == winner else None
        # A named title that its own channels agree on is as credible as duties that agree; a title the NOC lists
        # word for word under the winner settles it.
        agree = 1.0 if listed else max(agreement(chs, w, winner) for chs, (_, w) in zip(scores, parts))
        return fused, query, rows[0], agree, listed

    def listed_title(self, span: str, mask=None) -> ListedTitle | None:
        """The one unit group that lists `span` word for word among its titles (None when none or several do), with
        that title as the NOC writes it: an ad headed "Mortgage broker" names its occupation, whatever its duties
        resemble."""
        rows = [(fname, row, code_i) for fname, row, code_i in self._exact_titles().get(fold(span), ())
                if not (mask and row in mask.get(fname, ()))]
        if len({code_i for _, _, code_i in rows}) != 1:
            return None
        fname, row, code_i = min(rows)
        return ListedTitle(code_i, self.index.fields[fname].texts[row], match_index.FIELD_LANG[fname])

    def _exact_titles(self) -> dict[str, set]:
        """Folded NOC title (and each French paired form) -> {(field, row, group)}, built on first use."""
        if self._exact is None:
            table: dict[str, set] = {}
            for fname, fld in self.index.fields.items():
                if fname.startswith("title"):
                    for row, (key, code_i) in enumerate(zip(fld.folded, fld.code_idx)):
                        for variant in title_variants(key):
                            table.setdefault(variant, set()).add((fname, row, int(code_i)))
            self._exact = table
        return self._exact

    def _assemble(self, fused: np.ndarray, query: Query, rows_cache: dict, kind: str, lang: str,
                  top: int, agree: float = 1.0, listed: ListedTitle | None = None) -> RankResult:
        """The top results with confidence, evidence and the look-alikes the NOC names among the leaders."""
        order = np.argsort(-fused, kind="stable")
        ranked = [float(fused[i]) for i in order[:max(top, tuning.LOOKALIKE_WINDOW) + 1]]
        ok = confidence.convincing(ranked, kind, lang)
        results = []
        window = {self.index.codes[i] for i in order[:tuning.LOOKALIKE_WINDOW]}
        for pos, i in enumerate(order[:top]):
            code = self.index.codes[i]
            ug = self.noc.unit_groups[code]
            evidence = self._evidence(i, query, lang, rows_cache)
            if pos == 0 and listed:     # the title the text names, as the NOC lists it under this group, says why first
                evidence = [Evidence("named_title", listed.text, listed.lang, 1.0)] + [
                    e for e in evidence if fold(e.text) != fold(listed.text)]
            looks = [c for e in ug.exclusions("en") for c in e.codes if c in window and c != code]
            level = confidence.label(ranked, pos, kind, lang, agree, listed is not None) if ok else "low"
            if level == "high" and looks and not listed:     # only the top result is ever "high"
                # A look-alike the NOC itself names ranks close by: not a clear winner, unless the text names a
                # title the NOC lists under this group alone (the NOC has settled it; the look-alikes still show).
                level = "medium"
            results.append(Match(code, ug.title_en, ug.title_fr, int(ug.teer), ranked[pos], level, evidence,
                                 list(dict.fromkeys(looks))))
        return RankResult(lang, "text", ok, None if ok else "match.not_convincing", results, agree,
                          listed.text if listed else None)

    def _evidence(self, code_i: int, query: Query, lang: str, cache: dict) -> list[Evidence]:
        """The two duties and two example titles of this group closest to the query, with their similarity."""
        out = []
        for channel in EVIDENCE[lang]:
            if channel.rows not in cache:
                cache[channel.rows] = row_scores(self.index, channel, query, whole_only=True)
            fld = self.index.fields[channel.field]
            rows = np.flatnonzero(fld.code_idx == code_i)
            if not len(rows):
                continue
            sims = cache[channel.rows][:, rows].max(axis=0)   # best over whole text and each sentence
            for j in np.argsort(-sims)[:tuning.EVIDENCE_PER_CHANNEL]:
                r = rows[j]
                out.append(Evidence(fld.kinds[r], fld.texts[r], channel.lang, float(sims[j])))
        return out

    def _from_codes(self, lookup, lang: str) -> RankResult:
        """A typed code goes straight to its unit group(s); an old 2016 code may map to several."""
        results = []
        for code in lookup.codes:
            ug = self.noc.get(code)
            label = "high" if len(lookup.codes) == 1 else "medium"
            defin = ug.definition(lang) or ug.definition("en")
            ev = [Evidence("definition", defin, lang if ug.definition(lang) else "en", 1.0)] if defin else []
            results.append(Match(code, ug.title_en, ug.title_fr, int(ug.teer), 1.0, label, ev, []))
        return RankResult(lang, lookup.kind, True, None, results)


def _with_mean_row(sentence_vecs: np.ndarray) -> np.ndarray:
    """The sentences' vectors under their normalised mean (row 0: the whole text's stand-in)."""
    mean = sentence_vecs.mean(axis=0, keepdims=True)
    return np.vstack([mean / max(float(np.linalg.norm(mean)), 1e-12), sentence_vecs])


_LOCK = threading.Lock()
_MATCHERS: dict[tuple, Matcher] = {}     # the one memo of built matchers (views/common.py wraps get_matcher)


def get_matcher(noc, model_name: str | None = None, progress=None, *, encoders: dict | None = None,
                cache_root: Path | None = None) -> Matcher:
    """One matcher per (data checksum, model) per process; the index is loaded from models/index or built.

    With the default model (and QC_ADAPT not 0) the encoder is first adapted to the NOC (lib/matching/adapt.py,
    cached under models/adapted/); `progress(done, total, words)` drives one bar over both stages
    (lib/matching/index.load_or_build). `encoders` (tests) replaces the production encoders.
    """
    model_name = model_name or settings.model_name()
    key = (noc.checksum, model_name, str(cache_root or ""), encoders is None)
    with _LOCK:
        if key not in _MATCHERS:
            built = match_index.load_or_build(noc, model_name, progress, encoders=encoders, root=cache_root)
            matcher = Matcher(noc, built.index, built.encoders, built.translator)
            matcher.setup_times = built.times
            _MATCHERS[key] = matcher
        return _MATCHERS[key]


def clear_cache() -> None:
    """Forget every matcher built in this process (tests; an index rebuilt on disk)."""
    with _LOCK:
        _MATCHERS.clear()
