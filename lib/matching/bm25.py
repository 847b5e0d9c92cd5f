"""BM25 channel (bm25s) with accent folding, French gender folding and Snowball stemming (PyStemmer).

The index is saved as three numpy arrays plus its vocabulary, so the cache never needs pickle.
"""
from __future__ import annotations

import re
from functools import lru_cache

import bm25s
import numpy as np
import Stemmer

from lib.matching.query import tokens

_STOP = {
    "en": frozenset("""
        a an the of and or in on at for to with by from as is are was were be this that who which their his her they
        she he i we our my all other
    """.split()),
    "fr": frozenset("""
        le la les l un une des de du d et ou en au aux a pour par sur dans avec chez qui que qu son sa ses leur
        leurs il elle ils elles je j nous vous est etait autres autre
    """.split()),
}
# Feminine -> masculine endings on accent-folded words, so "infirmière", "infirmiere" and "infirmier"
# (or "directrice"/"directeur", "serveuse"/"serveur") share one token. Longest endings first.
_FR_GENDER = [(re.compile(p + r"s?$"), r) for p, r in (
    (r"trice", "teur"), (r"euse", "eur"), (r"iere", "ier"), (r"ienne", "ien"), (r"enne", "en"),
    (r"onne", "on"), (r"elle", "el"), (r"ive", "if"), (r"ere", "er"), (r"ee", "e"))]


@lru_cache(maxsize=4)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french" if lang == "fr" else "english")


def _fr_gender(word: str) -> str:
    if len(word) <= 4:
        return word
    for pattern, repl in _FR_GENDER:
        new = pattern.sub(repl, word)
        if new != word:
            return new
    return word


def analyse(text: str, lang: str) -> list[str]:
    """Folded, gender-folded (FR), stop-worded, stemmed terms."""
    words = [w for w in tokens(text) if w not in _STOP.get(lang, ())]
    if lang == "fr":
        words = [_fr_gender(w) for w in words]
    return _stemmer(lang).stemWords(words)


class LexicalIndex:
    """BM25 over a list of documents, all analysed for one language."""

    def __init__(self, lang: str, retriever: bm25s.BM25):
        self.lang, self._bm25 = lang, retriever

    @classmethod
    def build(cls, docs: list[str], lang: str) -> LexicalIndex:
        corpus = [analyse(d, lang) or [""] for d in docs]
        retriever = bm25s.BM25(method="lucene")
        retriever.index(corpus, show_progress=False)
        return cls(lang, retriever)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document (zeros when no query term is known)."""
        ids = self._bm25.get_tokens_ids(analyse(query, self.lang))
        if not ids:
            return np.zeros(self._bm25.scores["num_docs"], dtype=np.float32)
        return self._bm25.get_scores_from_ids(ids).astype(np.float32, copy=False)

    def term_counts(self) -> dict[str, int]:
        """Document frequency of every term (used to guess the language of short titles)."""
        indptr = self._bm25.scores["indptr"]
        return {t: int(indptr[i + 1] - indptr[i]) for t, i in self._bm25.vocab_dict.items() if t}

    # ---- persistence: plain arrays + a vocabulary list (no pickle) ----
    def to_arrays(self, prefix: str) -> tuple[dict[str, np.ndarray], list[str]]:
        s = self._bm25.scores
        vocab = [""] * len(self._bm25.vocab_dict)
        for term, i in self._bm25.vocab_dict.items():
            vocab[i] = term
        arrays = {f"{prefix}.data": np.asarray(s["data"]), f"{prefix}.indices": np.asarray(s["indices"]),
                  f"{prefix}.indptr": np.asarray(s["indptr"]),
                  f"{prefix}.num_docs": np.asarray([s["num_docs"]], dtype=np.int64)}
        return arrays, vocab

    @classmethod
    def from_arrays(cls, lang: str, arrays: dict[str, np.ndarray], prefix: str, vocab: list[str]) -> LexicalIndex:
        retriever = bm25s.BM25(method="lucene")
        retriever.scores = {"data": arrays[f"{prefix}.data"], "indices": arrays[f"{prefix}.indices"],
                            "indptr": arrays[f"{prefix}.indptr"],
                            "num_docs": int(arrays[f"{prefix}.num_docs"][0])}
        retriever.vocab_dict = {t: i for i, t in enumerate(vocab)}
        retriever.unique_token_ids_set = set(retriever.vocab_dict.values())
        retriever.nonoccurrence_array = None        # lucene BM25 has no non-occurrence term
        return cls(lang, retriever)
