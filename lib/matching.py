"""Rank the NOC unit groups against free text (EN or FR), with evidence and calibrated confidence.

Pipeline: code short-circuit -> language -> title or description -> channel scores -> weighted fusion ->
confidence, evidence (best duties and example titles) and look-alike codes from the NOC exclusions.
The channels and weights below were chosen on the dev set (README, "Matching: how it works and how well").
"""
from __future__ import annotations

import math
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from lib import confidence, match_index, settings
from lib.errors import UserError
from lib.match_scoring import Aggregator, Query, channel_scores, fuse, row_scores
from lib.textnorm import clean_query, detect_language, is_long, split_sentences, tokens

# What each encoder embeds (the build cost on 2 cores is dominated by "st" over 28k English titles).
PLAN = {"st": ("title_en", "duty_en"), "use": ("title_en", "title_fr", "duty_en")}
# (input kind, language) -> {channel|mode: weight}; weighted fusion beat RRF on every bucket of the dev set.
WEIGHTS = {
    ("title", "en"): {"st.title_en|whole": 1.0, "use.title_en|whole": 0.5, "bm25.title_en|whole": 1.0,
                      "use.duty_en|whole": 0.5, "bm25.group_title_en|whole": 0.25},
    ("title", "fr"): {"use.title_en|whole": 2.0, "use.title_fr|whole": 0.5, "bm25.title_fr|whole": 1.0,
                      "bm25.group_title_fr|whole": 0.25},
    ("paragraph", "en"): {"st.duty_en|sent": 2.0, "use.duty_en|sent": 2.0, "st.title_en|sent": 1.0,
                          "use.title_en|whole": 0.5},
    ("paragraph", "fr"): {"use.duty_en|sent": 2.0, "use.title_en|whole": 0.5},
}
# Short French descriptions ("je conduis un camion de livraison") are read as English through a word-by-word
# translation (lib/fr_translate.py) with the English description weights, unchanged: FR one-sentence top-1
# 0.53 -> 0.67 on both halves of the dev set. Longer French text keeps the route above (translation noise
# cost paragraphs 3 points). The dev FR sentences have 6-13 words, the paragraphs 20-35.
WEIGHTS[("short", "fr")] = WEIGHTS[("paragraph", "en")]
SHORT_FR_MAX_WORDS = 16
EVIDENCE_DUTY = {"en": "st.duty_en", "fr": "use.duty_en"}
EVIDENCE_TITLE = {"en": "st.title_en", "fr": "use.title_fr"}
LOOKALIKE_WINDOW = 5           # an excluded code counts as a look-alike when it ranks in the top 5


@dataclass
class Evidence:
    kind: str            # "duty" | "title" | "definition"
    text: str
    lang: str
    similarity: float


@dataclass
class Match:
    code: str
    title_en: str
    title_fr: str
    teer: int
    score: float
    confidence: str      # "high" | "medium" | "low"
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

    def to_dict(self, lang: str | None = None) -> dict:
        lang = lang or self.query_lang
        out = []
        for m in self.results:
            out.append({"code": m.code, "title": m.title(lang), "teer": m.teer, "score": round(m.score, 4),
                        "confidence": m.confidence, "evidence": [dict(asdict(e), similarity=round(e.similarity, 4))
                                                                 for e in m.evidence],
                        "look_alikes": list(m.look_alikes)})
        return {"query_lang": self.query_lang, "kind": self.kind, "convincing": self.convincing,
                "message_key": self.message_key, "results": out}


class Matcher:
    def __init__(self, noc, index: match_index.Index, encoders: dict, translator=None):
        self.noc, self.index, self.encoders, self.translator = noc, index, encoders, translator
        self.agg = Aggregator(index)
        self._code_pos = {c: i for i, c in enumerate(index.codes)}
        self._df: dict[str, dict[str, int]] | None = None

    # ---------- language ----------
    def _vocab_vote(self, text: str) -> float:
        """> 0 when the words are more common in French titles than in English ones (breaks ties on titles)."""
        from lib.lexical import analyse

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

    # ---------- ranking ----------
    def rank(self, text: str, top: int = 10, lang: str | None = None, *, _mask=None) -> RankResult:
        # One BLAS thread: query-sized products gain nothing from threads, and on a busy 2-core machine
        # OpenBLAS threads spinning against each other turned 20 ms queries into 500 ms ones (measured).
        with _threadpools().limit(limits=1, user_api="blas"):
            return self._rank(text, top, lang, _mask)

    def _rank(self, text: str, top: int, lang: str | None, _mask) -> RankResult:
        text = clean_query(text)
        top = max(1, min(int(top), len(self.index.codes)))
        if lang not in (None, "en", "fr"):
            raise UserError(f"Unknown language '{lang}'; use en or fr.")
        lang = lang or settings.forced_language() or self.detect(text)
        lookup = self.noc.lookup_code(text)
        if lookup is not None:
            return self._from_codes(lookup, lang)
        kind = "paragraph" if is_long(text) else "title"
        sentences = split_sentences(text) if kind == "paragraph" else []
        route = kind
        if (kind == "paragraph" and lang == "fr" and self.translator is not None
                and len(text.split()) <= SHORT_FR_MAX_WORDS):
            route = "short"
        weights = WEIGHTS[(route, lang)]
        needed = {ch.split(".", 1)[0] for ch in weights} | {EVIDENCE_DUTY[lang].split(".")[0],
                                                             EVIDENCE_TITLE[lang].split(".")[0]}
        batch = [text] + sentences
        vecs = {}
        for key in needed - {"bm25"}:
            if key == "st" and route == "short":
                english = [self.translator.translate(t) for t in batch]
                uniq = list(dict.fromkeys(english))          # one sentence: the whole text is that sentence
                uv = self.encoders[key].encode(uniq)
                vecs[key] = uv[[uniq.index(e) for e in english]]
            elif key == "st" and sentences and not any(k.startswith("st.") and k.endswith("|whole") for k in weights):
                # No fused channel needs the whole paragraph from this model: skip it (padding every sentence to
                # the paragraph's length doubled the query time) and stand in the sentences' mean for row 0.
                sv = self.encoders[key].encode(sentences)
                mean = sv.mean(axis=0, keepdims=True)
                vecs[key] = np.vstack([mean / max(float(np.linalg.norm(mean)), 1e-12), sv])
            else:
                vecs[key] = self.encoders[key].encode(batch)
        query = Query(text, sentences, vecs, _mask)
        rows_cache: dict[str, np.ndarray] = {}
        scores = {}
        sent_channels = {k.split("|")[0] for k in weights if k.endswith("|sent")}
        for key in weights:
            channel, mode = key.split("|")
            if channel not in rows_cache:
                rows_cache[channel] = row_scores(self.index, channel, query, channel not in sent_channels)
            scores[key] = channel_scores(self.index, self.agg, channel, query, mode, rows_cache[channel])
        total = sum(weights.values())
        fused = fuse(scores, {k: w / total for k, w in weights.items()})
        order = np.argsort(-fused, kind="stable")
        ranked = [float(fused[i]) for i in order[:max(top, LOOKALIKE_WINDOW) + 1]]
        ok = confidence.convincing(ranked, kind)
        results = []
        window = {self.index.codes[i] for i in order[:LOOKALIKE_WINDOW]}
        for pos, i in enumerate(order[:top]):
            code = self.index.codes[i]
            ug = self.noc.unit_groups[code]
            evidence = self._evidence(i, query, lang, rows_cache)
            looks = [c for e in ug.exclusions("en") for c in e.codes if c in window and c != code]
            results.append(Match(code, ug.title_en, ug.title_fr, int(ug.teer), ranked[pos],
                                 confidence.label(ranked, pos, kind) if ok else "low", evidence,
                                 list(dict.fromkeys(looks))))
        return RankResult(lang, "text", ok, None if ok else "match.not_convincing", results)

    def _evidence(self, code_i: int, query: Query, lang: str, cache: dict) -> list[Evidence]:
        """The two duties and two example titles of this group closest to the query, with their similarity."""
        out = []
        for channel, n in ((EVIDENCE_DUTY[lang], 2), (EVIDENCE_TITLE[lang], 2)):
            if channel not in cache:
                cache[channel] = row_scores(self.index, channel, query, whole_only=True)
            fname = channel.split(".", 1)[1]
            fld = self.index.fields[fname]
            rows = np.flatnonzero(fld.code_idx == code_i)
            if not len(rows):
                continue
            sims = cache[channel][:, rows].max(axis=0)   # best over whole text and each sentence
            for j in np.argsort(-sims)[:n]:
                r = rows[j]
                out.append(Evidence(fld.kinds[r], fld.texts[r], fname[-2:], float(sims[j])))
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


_LOCK = threading.Lock()
_CONTROLLER: list = []


def _threadpools() -> ThreadpoolController:
    """Created once: scanning the loaded BLAS libraries costs ~2 ms, too much to repeat per query."""
    if not _CONTROLLER:
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0]
_MATCHERS: dict[tuple[str, str, str], Matcher] = {}


def default_encoders(model_name: str) -> dict:
    from lib.embedder import SentenceModel, UseModel

    return {"st": SentenceModel(model_name), "use": UseModel()}


def get_matcher(noc, model_name: str | None = None, progress=None, *, encoders: dict | None = None,
                cache_root: Path | None = None) -> Matcher:
    """One matcher per (data checksum, model) per process; the index is loaded from models/index or built."""
    model_name = model_name or settings.model_name()
    key = (noc.checksum, model_name, str(cache_root or ""))
    with _LOCK:
        if key in _MATCHERS:
            return _MATCHERS[key]
        encoders = encoders or default_encoders(model_name)
        folder = match_index.cache_dir(noc, model_name, cache_root)
        names = {k: encoders[k].name for k in PLAN}
        index = match_index.load(folder, noc, PLAN, names)
        if index is None:
            with match_index.build_lock(folder):       # another process may be building the same index
                index = match_index.load(folder, noc, PLAN, names)
                if index is None:
                    index = match_index.build(noc, encoders, PLAN, progress)
                    try:
                        match_index.save(index, folder)
                    except OSError:
                        pass        # a read-only disk only costs a rebuild next time
        from lib import fr_translate

        translator = fr_translate.load_or_build(index, encoders["use"], folder) if "use" in encoders else None
        _MATCHERS[key] = Matcher(noc, index, encoders, translator)
        return _MATCHERS[key]
