"""Word-by-word French -> English "translation" of short French descriptions, so the English model can read them.

Why: a French description meets the English duties only through multilingual USE (and the French duties through
BM25), while English text also gets MiniLM. For one-sentence French descriptions ("je conduis un camion de
livraison"), mapping each word to the nearest of the ~7.5k English words of the NOC titles and duties in USE
space ("conduis" -> "drive", "camion" -> "truck"), and reading the result with the English description
weights, lifted FR one-sentence top-1 from 0.53 to 0.67 on both halves of the dev set; on long paragraphs
the word noise cost 3 points, so the matcher uses it for short French descriptions only (README, Matching).

The English vocabulary's USE vectors are computed once per index (2-6 s) and cached next to it as .npy + json;
a missing or unreadable cache is recomputed, and any failure only means the route is skipped.
"""
from __future__ import annotations

import json
import re
from collections import Counter, OrderedDict
from pathlib import Path

import numpy as np

from lib import _atomic

WORD = re.compile(r"[a-zà-öø-ÿœæ]+(?:-[a-zà-öø-ÿœæ]+)*")
MIN_COUNT = 2                       # English words seen at least twice in the NOC titles and duties
FILE_VEC, FILE_META = "fr_vocab.use.npy", "fr_vocab.json"
# Conjugated / participle endings -> infinitive, tried next to the word itself ("planifiait" -> "planifier"):
# USE maps infinitives to English verbs far better than imperfect forms. The better-scoring form wins.
_ENDINGS = (("aient", "er"), ("ait", "er"), ("ais", "er"), ("èrent", "er"), ("ées", "er"), ("és", "er"),
            ("ée", "er"), ("é", "er"), ("ant", "er"), ("a", "er"))
_CACHE_MAX = 20000                  # per-process word cache (words, not user text, are kept in memory only)


def _words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if len(w) >= 3]


def _forms(word: str) -> list[str]:
    forms = [word]
    for suffix, repl in _ENDINGS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + repl)
            break
    if word.endswith("s") and len(word) > 4:
        forms.append(word[:-1])
    return forms


def english_vocabulary(index) -> list[str]:
    counts: Counter[str] = Counter()
    for fname in ("duty_en", "title_en"):
        for text in index.fields[fname].texts:
            counts.update(_words(text))
    return sorted(w for w, c in counts.items() if c >= MIN_COUNT)


class WordTranslator:
    def __init__(self, words: list[str], vectors: np.ndarray, encoder):
        self.words, self.vectors, self.encoder = words, np.asarray(vectors, dtype=np.float32), encoder
        self._cache: OrderedDict[str, str] = OrderedDict()

    def translate(self, text: str) -> str:
        words = _words(text)
        new = [w for w in dict.fromkeys(words) if w not in self._cache]
        if new:
            forms = [(w, f) for w in new for f in _forms(w)]
            sims = self.encoder.encode([f for _, f in forms]) @ self.vectors.T
            best, score = sims.argmax(axis=1), sims.max(axis=1)
            chosen: dict[str, tuple[float, str]] = {}
            for (w, _f), b, s in zip(forms, best, score):
                if w not in chosen or s > chosen[w][0]:
                    chosen[w] = (float(s), self.words[int(b)])
            for w, (_s, en) in chosen.items():
                self._cache[w] = en
            while len(self._cache) > _CACHE_MAX:
                self._cache.popitem(last=False)
        return " ".join(self._cache[w] for w in words if w in self._cache)


def load_or_build(index, encoder, folder: Path | None) -> WordTranslator | None:
    """The translator for this index: cached vocabulary vectors when valid, else computed (and saved)."""
    try:
        key = {"checksum": index.meta.get("checksum"), "encoder": getattr(encoder, "name", "")}
        if folder is not None:      # fast path (cold start): trust a cache written for this data and encoder
            try:
                meta = json.loads((folder / FILE_META).read_text(encoding="utf-8"))
                vec = np.load(folder / FILE_VEC, allow_pickle=False)
                words = meta.get("words")
                if ({k: meta.get(k) for k in key} == key and isinstance(words, list) and vec.ndim == 2
                        and vec.shape[0] == len(words) > 0 and vec.shape[1] == getattr(encoder, "dim", vec.shape[1])
                        and np.isfinite(vec).all()):
                    return WordTranslator(words, vec, encoder)
            except (OSError, ValueError, TypeError, AttributeError, json.JSONDecodeError):
                pass
        words = english_vocabulary(index)
        if not words:
            return None
        vec = encoder.encode(words)
        if folder is not None and folder.is_dir():
            try:
                _atomic.save_npy(folder / FILE_VEC, vec.astype(np.float16))
                _atomic.write_text(folder / FILE_META, json.dumps(dict(key, words=words)))
            except OSError:
                pass            # a read-only disk only costs recomputing next time
        return WordTranslator(words, vec, encoder)
    except Exception:
        return None
