"""MiniLM through ONNX Runtime with int8 weights, for queries and the index build alike.

Why: a description's 4-5 sentences cost ~27 ms of one core in the float32 numpy pass (lib/matching/numpy_bert.py),
compute-bound; with int8 weights (dynamic quantisation, one scale per output channel) ONNX Runtime does them in
~10 ms and a title in ~1.4 ms against ~7 ms. The index is embedded by this same model (its name carries "+int8"),
so queries and rows share one quantisation: on every dev set top-1 stayed within an item or two of float32 (README).

The ONNX file is a cached artefact, never committed: exported once from the sentence-transformers folder with torch
(which the setup has for the NOC adaptation), quantised, and written atomically under models/onnx/. Without
onnxruntime, with QC_ONNX=0, or when the export fails, `load` returns None and the numpy pass is used.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from lib import settings

FORMAT = 1        # bump when the export or the quantisation changes: the cached file and the index are rebuilt
SUFFIX = "+int8"  # added to the model's name: index and vector caches of the two passes never mix


def enabled() -> bool:
    return settings.switched_on("QC_ONNX")


def model_file(folder: Path, root: Path | None = None) -> Path:
    """Where the int8 export of the model in `folder` is cached: named after the folder and its weights' size and
    date, so a retrained adaptation gets a new file."""
    weights = folder / "model.safetensors"
    stat = weights.stat()
    key = hashlib.sha1(f"{folder.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{FORMAT}".encode()).hexdigest()[:16]
    return (root or settings.MODELS_DIR / "onnx") / f"{folder.name}-{key}.int8.onnx"


def export(folder: Path, target: Path) -> None:
    """Export the BERT in `folder` with mean pooling to ONNX, quantise it to int8 and write `target` atomically."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    class MeanPooled(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, ids, mask):
            hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * weights).sum(1) / weights.sum(1)

    model = MeanPooled(AutoModel.from_pretrained(str(folder)).eval())
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        fp32, int8 = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        example = (torch.ones(2, 8, dtype=torch.long), torch.ones(2, 8, dtype=torch.long))
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, example, str(fp32), input_names=["ids", "mask"], output_names=["vec"],
                              dynamic_axes={"ids": {0: "n", 1: "t"}, "mask": {0: "n", 1: "t"}, "vec": {0: "n"}},
                              opset_version=17, dynamo=False)
            handlers = logging.root.handlers[:]
            logging.disable(logging.WARNING)      # its advice on pre-processing would land in the user's terminal
            try:
                quantize_dynamic(str(fp32), str(int8), per_channel=True, weight_type=QuantType.QInt8)
            finally:                              # and its logging.warning gave the root logger a handler for good
                logging.disable(logging.NOTSET)
                logging.root.handlers[:] = handlers
        os.replace(int8, target)


class OnnxBert:
    """The int8 ONNX model + the folder's tokenizer; `encode` returns mean-pooled, unnormalised vectors like
    NumpyBert."""

    def __init__(self, onnx_path: Path, folder: Path, max_len: int = 128):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        # One thread per call: the pool (lib/matching/parallel.py) runs calls side by side; ONNX Runtime's own
        # threads would spin against them on a 2-core machine, as OpenBLAS's did.
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        cfg = json.loads((folder / "config.json").read_text())
        self.dim = int(cfg["hidden_size"])
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.enable_truncation(max_len)
        self.tok.enable_padding(pad_id=cfg.get("pad_token_id", 0))

    def encode(self, texts: list[str]) -> np.ndarray:
        enc = self.tok.encode_batch(list(texts))
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        return self.session.run(None, {"ids": ids, "mask": mask})[0].astype(np.float32, copy=False)


def load(folder: str | Path, max_len: int = 128, root: Path | None = None,
         before_export: Callable[[], None] | None = None) -> OnnxBert | None:
    """The int8 model for the sentence-transformers `folder`, exported on first use (`before_export` lets the
    setup bar say so); None when this pass is off or cannot be had (no onnxruntime, no torch to export with, not a
    plain BERT, an unwritable disk)."""
    if not enabled():
        return None
    try:
        import onnxruntime  # noqa: F401  (without it: the numpy pass)
    except ImportError:
        return None
    folder = Path(folder)
    try:
        cfg = json.loads((folder / "config.json").read_text())
        if cfg.get("model_type") != "bert":
            return None
        target = model_file(folder, root)
        if not target.is_file():
            if before_export:
                before_export()
            export(folder, target)
        try:
            return OnnxBert(target, folder, max_len)
        except Exception:
            # A damaged cached file (a disk that filled up): export again once.
            target.unlink(missing_ok=True)
            export(folder, target)
            return OnnxBert(target, folder, max_len)
    except Exception:
        return None
