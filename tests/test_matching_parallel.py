"""The thread pool that encodes a query's parts and splits its products (lib/matching/parallel.py)."""
from __future__ import annotations

import numpy as np
import pytest

from lib.matching import parallel
from lib.matching.encoders import HashingModel


@pytest.mark.parametrize("lengths, parts, expected", [
    ([10, 10, 50, 1], 2, [2, 2]),      # the long text starts the second part: 20 | 51, not 70 | 1
    ([1] * 7, 2, [4, 3]),
    ([1] * 7, 3, [2, 3, 2]),
    ([100, 1, 1], 2, [1, 2]),
    ([5], 2, [1]),                     # never an empty part
    ([3, 1], 4, [1, 1]),
])
def test_balanced_parts_keep_order_and_balance(lengths, parts, expected):
    texts = [chr(97 + i) * n for i, n in enumerate(lengths)]
    out = parallel.balanced_parts(texts, parts)
    assert [len(p) for p in out] == expected and [t for p in out for t in p] == texts


def test_product_equals_the_plain_product_whatever_the_split():
    rng = np.random.default_rng(0)
    columns = rng.standard_normal((16, 101)).astype(np.float32)
    for rows in (1, 2, 7):
        queries = rng.standard_normal((rows, 16)).astype(np.float32)
        np.testing.assert_allclose(parallel.product(queries, columns), queries @ columns, rtol=1e-5, atol=1e-5)


class Counting(HashingModel):
    def __init__(self):
        super().__init__("counting")
        self.seen: list[str] = []

    def encode(self, texts, progress=None, label=""):
        self.seen += list(texts)
        return super().encode(texts)


def test_encode_all_keeps_each_texts_row_and_encodes_a_repeated_text_once():
    a, b = Counting(), Counting()
    texts = ["install pipes", "repair leaks in homes", "install pipes", "read plans"]
    out = parallel.encode_all({"a": (a, texts), "b": (b, ["cook"])})
    np.testing.assert_allclose(out["a"], HashingModel().encode(texts), atol=1e-6)
    np.testing.assert_allclose(out["b"], HashingModel().encode(["cook"]), atol=1e-6)
    assert sorted(a.seen) == sorted(set(texts)) and b.seen == ["cook"]


def test_work_asked_from_a_pool_thread_runs_there_instead_of_waiting_on_the_pool():
    """Every pool thread waiting on jobs queued behind it would wait forever: from inside, work runs inline."""
    if parallel._POOL is None:
        pytest.skip("one core: no pool")
    inner = [parallel._POOL.submit(lambda: list(parallel.map_ordered(lambda x: x * 2, [1, 2, 3])))
             for _ in range(parallel.WORKERS * 2)]
    assert [f.result(timeout=10) for f in inner] == [[2, 4, 6]] * (parallel.WORKERS * 2)
