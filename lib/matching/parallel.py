"""Encode on every core with a small pool of threads shared by every session: one query's texts (each encoder's
texts cut into balanced parts, all parts of all encoders at once) and the index build's batches.

Why threads and not BLAS threads: numpy releases the GIL inside its products, so two Python threads keep two cores
busy, each calling BLAS on one thread; OpenBLAS's own threads spin while they wait and, on a busy 2-core machine,
turned 20 ms queries into 500 ms ones (measured, lib/matching/matcher.py). A description's sentences cut in two
halves went through MiniLM about a fifth faster than in one batch (each call still streams all of the model's
weights), and the index build encoded 4,000 English titles in 5.5 s against 10.4 s through sentence-transformers on
two torch threads (README, "Speed").
"""
from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import ThreadpoolController

WORKERS = max(1, min(4, os.cpu_count() or 1))
_PREFIX = "encode"
_POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix=_PREFIX) if WORKERS > 1 else None


def _pool() -> ThreadPoolExecutor | None:
    """The pool, or None inside one of its own threads: a job that waited on jobs of the same pool could wait
    forever once every thread does (work asked from there runs in that thread)."""
    return None if threading.current_thread().name.startswith(_PREFIX) else _POOL


@functools.cache
def _threadpools() -> ThreadpoolController:
    """Created once: scanning the loaded BLAS libraries costs ~2 ms, too much to repeat per query."""
    return ThreadpoolController()


def one_blas_thread():
    """A context in which BLAS runs on one thread (process-wide: the pool's threads run under it too)."""
    return _threadpools().limit(limits=1, user_api="blas")


def map_ordered(fn: Callable, items: list) -> Iterator:
    """fn over items on the pool, results in the order of `items` (each as soon as it and those before are done)."""
    pool = _pool()
    return map(fn, items) if pool is None else pool.map(fn, items)


def product(queries: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """queries (q, dim) @ columns (dim, rows), the rows split over the pool when q > 1.

    One query vector is a matrix-vector product that streams the columns at memory speed; from two vectors on,
    BLAS switches to a matrix product that ran 4x slower per byte, and splitting its columns over two threads
    cut a description's 6 x 28k product from 6.9 to 4.1 ms (a title's single vector gains nothing)."""
    if _pool() is None or queries.shape[0] < 2 or columns.shape[1] < 2 * WORKERS:
        return queries @ columns
    bounds = np.linspace(0, columns.shape[1], WORKERS + 1).astype(int)
    parts = map_ordered(lambda lo_hi: queries @ columns[:, lo_hi[0]:lo_hi[1]], list(zip(bounds[:-1], bounds[1:])))
    return np.hstack(list(parts))


def balanced_parts(texts: list[str], parts: int) -> list[list[str]]:
    """`texts` in order, cut into at most `parts` runs of about equal length in characters (none empty)."""
    parts = max(1, min(parts, len(texts)))
    total = sum(len(t) for t in texts) or 1
    out: list[list[str]] = [[]]
    done = 0
    for i, text in enumerate(texts):
        # A new part starts where this text's middle passes the next boundary, or where every text left must
        # start a part of its own so that none is empty.
        past = done + len(text) / 2 > total * len(out) / parts
        if out[-1] and len(out) < parts and (past or len(texts) - i == parts - len(out)):
            out.append([])
        out[-1].append(text)
        done += len(text)
    return out


def encode_all(requests: dict[str, tuple[object, list[str]]]) -> dict[str, np.ndarray]:
    """{key: (encoder, texts)} -> {key: encoder.encode(texts)}, every part of every encoder at once; a text asked
    twice (a one-sentence description is its own sentence) is encoded once."""
    distinct = {key: list(dict.fromkeys(texts)) for key, (_, texts) in requests.items()}
    pool = _pool()
    if pool is None:
        vecs = {key: enc.encode(distinct[key]) for key, (enc, _) in requests.items()}
    else:
        # A single text (a title) cannot be cut: the longest such request runs here, saving a trip through the
        # pool (title p50 20 -> 16 ms); the rest is cut into parts for the pool.
        singles = [key for key in requests if len(distinct[key]) == 1]
        mine = max(singles, key=lambda k: len(distinct[k][0]), default=None)
        jobs = {key: [pool.submit(enc.encode, part) for part in balanced_parts(distinct[key], WORKERS)]
                for key, (enc, _) in requests.items() if key != mine}
        vecs = {mine: requests[mine][0].encode(distinct[mine])} if mine else {}
        vecs.update({key: np.vstack([f.result() for f in futures]) for key, futures in jobs.items()})
    out = {}
    for key, (_, texts) in requests.items():
        row = {t: i for i, t in enumerate(distinct[key])}
        out[key] = vecs[key] if len(row) == len(texts) else vecs[key][[row[t] for t in texts]]
    return out
