"""The NOC adaptation of the sentence model (lib/matching/adapt.py) on the six hand-written unit groups: a few steps."""
from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from lib import matching
from lib.matching import adapt
from lib.matching import index as match_index
from lib.text import fold
from tests.helpers import tiny

TINY = replace(adapt.RECIPE, titles_per_group=2, batch=4, max_len=16, eval_every=2, patience=2, lr=1e-4)


def test_pairs_skip_reserved_titles_and_batches_have_one_pair_per_group():
    noc = tiny.noc()
    val, held = adapt.reserved_titles(noc, 1, 2)
    assert len(val) == 2 and len(held) == 3
    pairs = adapt.build_pairs(noc, TINY, held)
    assert pairs and not any(fold(a) in held for a, _, _ in pairs)
    kinds = {(a in {t for ug in noc.unit_groups.values() for t in ug.example_titles("en")},
              p.startswith(tuple(ug.title_en for ug in noc.unit_groups.values()))) for a, p, _ in pairs}
    assert (True, True) in kinds and (True, False) in kinds and (False, True) in kinds   # the three pair kinds
    for batch in adapt._batches(pairs, 4, random.Random(0)):
        groups = [g for _, _, g in batch]
        assert len(groups) == len(set(groups)) and len(batch) <= 4


@pytest.mark.full_data(needs_noc=False)   # the real MiniLM and torch, on the tiny NOC
@pytest.mark.slow
def test_train_saves_a_model_the_numpy_encoder_loads(tmp_path, monkeypatch):
    pytest.importorskip("torch")
    monkeypatch.setenv("QC_ONNX", "0")             # the float32 pass, to compare with sentence-transformers exactly
    noc = tiny.noc()
    folder = tmp_path / "adapted"
    seen = []
    meta = adapt.train(noc, folder, recipe=TINY, progress=lambda d, t, w: seen.append((d, t, w)), reserve=(1, 2))
    assert adapt.is_ready(folder) and meta["steps"] >= 1 and meta["pairs"] > 0
    assert seen and seen[-1][0] <= seen[-1][1] and "adapting" in seen[-1][2]
    from lib.matching.encoders import SentenceModel

    model = SentenceModel("tiny-adapted", path=str(folder))
    assert model._fast is not None                  # queries never need torch
    vec = model.encode(["line cook", "plumber"])
    assert vec.shape == (2, 384) and np.allclose(np.linalg.norm(vec, axis=1), 1, atol=1e-4)
    slow = model._load_st().encode(["line cook", "plumber"], normalize_embeddings=True)
    assert float((vec * slow).sum(1).min()) > 0.999


def test_adaptation_is_skipped_with_qc_adapt_0_and_for_other_models(monkeypatch):
    noc = tiny.noc()
    monkeypatch.setenv("QC_ADAPT", "0")
    assert match_index.adapted_model(noc, "all-MiniLM-L6-v2", None, {}) == ("all-MiniLM-L6-v2", None)
    monkeypatch.setenv("QC_ADAPT", "1")
    assert match_index.adapted_model(noc, "some/other-model", None, {}) == ("some/other-model", None)
    assert adapt.cache_dir(noc) != adapt.cache_dir(noc, recipe=TINY)     # the recipe is part of the cache key


@pytest.mark.full_data(needs_noc=False)   # the real MiniLM, USE and torch, on the tiny NOC
@pytest.mark.slow
def test_setup_path_adapts_then_indexes_on_one_bar(tmp_path, monkeypatch):
    """get_matcher without test encoders: adapt (tiny data) -> embed -> index, one progress total, times reported."""
    pytest.importorskip("torch")
    monkeypatch.setenv("QC_ADAPT", "1")
    monkeypatch.setattr(adapt, "MODELS_DIR", tmp_path)
    matching.clear_cache()
    calls = []
    try:
        m = matching.get_matcher(tiny.noc(), progress=lambda d, t, w: calls.append((d, t, w)),
                                 cache_root=tmp_path / "index")
    finally:
        matching.clear_cache()
    assert m.encoders["minilm"].name.startswith("all-MiniLM-L6-v2+noc")
    assert set(m.setup_times) == {"adapt_s", "index_s"}
    words = [w for _, _, w in calls]
    assert any("adapting" in w for w in words) and words[-1] == "building the word indexes"
    done = [d for d, _, _ in calls]
    assert done == sorted(done) and all(d <= t for d, t, _ in calls)
    assert m.rank("line cook", top=1).results[0].code == "63200"
