"""Integration tests on the full NOC data with the real models.

The index is built once (about 2-4 minutes on 2 cores) into models/index/ and reused by later runs;
every test here shares that one session-scoped matcher.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lib.settings import ROOT

pytestmark = pytest.mark.full_data
TEXTS = ["cook", "infirmière", "Registered nurse - intensive care",
         "I wrote, tested and debugged code for our web and mobile applications in Java and Python."]


@pytest.fixture(scope="session")
def full(noc):
    from lib.matching import get_matcher

    return get_matcher(noc)


def test_codes_short_circuit(full):
    r = full.rank("21232")
    assert r.kind == "noc2021" and [m.code for m in r.results] == ["21232"]
    r = full.rank("6322")                         # NOC 2016 "Cooks"
    assert r.kind == "noc2016" and "63200" in [m.code for m in r.results]


@pytest.mark.parametrize("text,code,lang", [
    ("cook", "63200", "en"),
    ("registered nurse in a hospital", "31301", "en"),
    ("infirmière", "31301", "fr"),
    ("infirmiere", "31301", "fr"),
    ("infirmier", "31301", "fr"),
    ("plombière", "72300", "fr"),
    ("I wrote, tested and debugged code for our web and mobile applications. I fixed bugs reported by users.",
     "21232", "en"),
    ("Je répondais aux appels d'urgence, je prodiguais des soins préhospitaliers et je transportais les "
     "patients à l'hôpital en ambulance.", "32102", "fr"),
])
def test_real_queries_rank_in_top3(full, text, code, lang):
    r = full.rank(text, top=3)
    assert r.query_lang == lang
    assert code in [m.code for m in r.results], [(m.code, m.title_en) for m in r.results]
    assert r.results[0].evidence


def test_dev_set_floor(full):
    """Loose floors well under the measured numbers (README): a regression alarm, not the target."""
    from lib.matching.devset import evaluate_files

    own = [str(p) for p in sorted((ROOT / "tests" / "data").glob("dev_*.jsonl"))]
    report = evaluate_files(own, heldout=40, matcher=full)
    for bucket in ("en_titles", "en_paragraphs", "fr_titles", "fr_paragraphs"):
        assert report[bucket]["top5"] >= 0.85, (bucket, report[bucket])
    for bucket in ("noc_titles_en", "noc_titles_fr"):
        assert report[bucket]["top5"] >= 0.6, (bucket, report[bucket])


@pytest.mark.slow
def test_cli_rank_json_subprocess(full):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "lib", "rank", "cuisinière", "--top", "3", "--json"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-500:]
    out = json.loads(proc.stdout)
    assert out["query_lang"] == "fr" and out["results"][0]["code"] == "63200"
    assert out["results"][0]["title"].startswith("Cuisinier")


def test_numpy_minilm_matches_sentence_transformers(monkeypatch):
    """Without ONNX Runtime (QC_ONNX=0) queries and the index use the float32 numpy pass; the sentence-transformers
    model it reproduces (and that the adaptation trains) must agree with it."""
    from lib.matching.encoders import SentenceModel
    from lib.matching.numpy_bert import NumpyBert

    monkeypatch.setenv("QC_ONNX", "0")
    model = SentenceModel()
    assert isinstance(model._fast, NumpyBert) and not model.name.endswith("+int8")   # its own index
    fast = model.encode(TEXTS)
    slow = model._load_st().encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    assert fast.shape == slow.shape and float((fast * slow).sum(1).min()) > 0.999


def test_int8_minilm_stays_close_to_sentence_transformers():
    """The default pass: int8 weights through ONNX Runtime, under a name of its own (its index never mixes with
    float32 vectors). Quantisation moves a vector a little (measured cosine 0.986-0.995), never far."""
    from lib.matching.encoders import SentenceModel
    from lib.matching.onnx_bert import OnnxBert

    model = SentenceModel()
    assert isinstance(model._fast, OnnxBert) and model.name == "all-MiniLM-L6-v2+int8"
    fast = model.encode(TEXTS)
    slow = model._load_st().encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    cos = (fast * slow).sum(1)
    assert fast.shape == slow.shape and float(cos.min()) > 0.97 and float(cos.mean()) > 0.98


def test_int8_file_is_made_once_and_remade_when_damaged(full, tmp_path, monkeypatch):
    """The int8 file is a cached artefact: reused as it is, exported again (once) when it cannot be read."""
    import shutil

    from lib.matching import onnx_bert

    folder = full.encoders["minilm"]._path
    made = onnx_bert.model_file(Path(folder))            # exported by the index build this session started with
    assert made.is_file()
    calls = []

    def export(src, target):
        calls.append(target)
        shutil.copy(made, target)

    monkeypatch.setattr(onnx_bert, "export", export)
    first = onnx_bert.load(folder, root=tmp_path)         # not in this root yet: exported
    again = onnx_bert.load(folder, root=tmp_path)         # there now: reused
    assert first is not None and again is not None and len(calls) == 1
    calls[0].write_bytes(b"not an onnx file")
    assert onnx_bert.load(folder, root=tmp_path) is not None and len(calls) == 2
    assert onnx_bert.load(folder, root=tmp_path) is not None and len(calls) == 2
    vec = again.encode(["cook"])
    assert vec.shape == (1, 384) and vec.dtype == np.float32


def test_without_onnxruntime_the_numpy_pass_answers(monkeypatch, tmp_path):
    from lib.matching import onnx_bert
    from lib.matching.encoders import SentenceModel
    from lib.matching.numpy_bert import NumpyBert

    monkeypatch.setitem(sys.modules, "onnxruntime", None)       # an install without it
    model = SentenceModel()
    assert isinstance(model._fast, NumpyBert) and model.name == "all-MiniLM-L6-v2"
    assert onnx_bert.load(model._path, root=tmp_path) is None and not any(tmp_path.iterdir())


def test_bulk_encoding_keeps_each_text_its_own_vector():
    """The index build encodes on the pool's threads, in batches sorted by length: every text must get the vector
    a query of it gets, in its own row. (int8: activations are quantised per batch, so a vector moves a little
    with its batch companions; measured cosine >= 0.982.)"""
    from lib.matching.encoders import SentenceModel, UseModel

    texts = [f"{word} {'and helper ' * (i % 7)}{i}" for i, word in
             enumerate(["cook", "infirmière auxiliaire", "welder", "préposé aux bénéficiaires"] * 30)]
    for model, floor in ((SentenceModel(), 0.97), (UseModel(), 0.999)):
        bulk = model.encode(texts)
        one_by_one = np.vstack([model.encode(texts[i:i + 8]) for i in range(0, len(texts), 8)])
        assert bulk.shape == one_by_one.shape and float((bulk * one_by_one).sum(1).min()) > floor, model.name


def test_use_word_cached_pieces_are_the_tokenizers_pieces():
    """USE's tokenizer is called one word at a time with the words remembered: the pieces must not change."""
    from lib.matching.encoders import UseModel, WordCachedPieces

    cached = UseModel()._model._model.sp
    assert isinstance(cached, WordCachedPieces)
    raw = cached._tokenizer
    texts = ["Préposée aux bénéficiaires dans un CHSLD, j'aide les résidents à se lever.", "cook", "  ", "",
             "Install pipes;  repair\tleaks (24/7) — l'œuvre, naïve: 3,5 $ / h", "e-commerce\u00a0manager", "😀 ok",
             "ÉLECTRICIEN", "soudeur-monteur", "i.e. C++/C#, Node.js"]
    for text in texts:
        for bos, eos in ((True, True), (False, False)):
            assert cached.encode(text, out_type=int, add_bos=bos, add_eos=eos) == \
                raw.encode(text, out_type=int, add_bos=bos, add_eos=eos), text
    assert cached.encode("cook", out_type=str) == raw.encode("cook", out_type=str)


def test_the_query_encoder_runs_in_float32_throughout(full, monkeypatch):
    """A float64 scalar in the attention once turned every later layer into float64 (2.6x slower queries)."""
    from lib.matching import numpy_bert

    enc = numpy_bert.NumpyBert(full.encoders["minilm"]._path, max_len=128)    # the pass without ONNX Runtime
    enc.encode(["cook"])
    seen = []
    original = numpy_bert._layer_norm

    def spy(x, w, b, eps):
        seen.append(x.dtype)
        return original(x, w, b, eps)

    monkeypatch.setattr(numpy_bert, "_layer_norm", spy)
    vec = enc.encode(["I repair cars in a garage.", "cook"])
    assert vec.dtype == np.float32 and len(seen) == 1 + 2 * 6
    assert set(seen) == {np.dtype(np.float32)}
