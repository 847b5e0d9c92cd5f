"""A numpy-only forward pass for small BERT sentence models (all-MiniLM-L6-v2), used for queries.

Why: importing torch + sentence-transformers costs ~3 s of the 5 s cold-start budget on 2 cores, and a
query is a handful of short texts. The index is still built with sentence-transformers (faster in bulk);
this module reproduces its vectors (mean pooling + L2 norm; cosine >= 0.999, checked in the tests).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np


def _layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def _gelu(x):
    # tanh approximation of the exact erf GELU: |difference| < 1e-3, far below what changes a ranking
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))


class NumpyBert:
    """BERT encoder + mean pooling from a sentence-transformers folder (config.json, model.safetensors)."""

    def __init__(self, folder: str | Path, max_len: int = 256):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(folder)
        cfg = json.loads((folder / "config.json").read_text())
        if cfg.get("model_type") != "bert" or cfg.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError("not a plain BERT model")
        self.heads, self.eps = cfg["num_attention_heads"], cfg.get("layer_norm_eps", 1e-12)
        self.layers = cfg["num_hidden_layers"]
        raw = {k.removeprefix("bert."): v for k, v in load_file(folder / "model.safetensors").items()}
        # Dense weights stored transposed and contiguous: x @ W is then one plain BLAS call per layer.
        self.w = {k: np.ascontiguousarray(v.T if k.endswith(".weight") and v.ndim == 2 and "embeddings" not in k else v,
                                          dtype=np.float32) for k, v in raw.items()}
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.enable_truncation(max_len)
        self.tok.enable_padding(pad_id=cfg.get("pad_token_id", 0))
        self.dim = cfg["hidden_size"]

    def encode(self, texts: list[str]) -> np.ndarray:
        enc = self.tok.encode_batch(list(texts))
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        w = self.w
        n, t = ids.shape
        # Every position-wise step (dense layers, GELU, layer norms) runs on the real tokens only, packed into one
        # (tokens, dim) matrix: a description's sentences padded to the longest one were ~45 % padding. Only the
        # attention needs the (sentence, position) layout, so it scatters the packed rows there and gathers back.
        real = np.flatnonzero(mask.ravel())
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t][None])
        x = x.reshape(n * t, -1)[real] + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        h, d = self.heads, self.dim // self.heads
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        scale = 1.0 / math.sqrt(d)  # a Python float: a numpy float64 scalar here turned every later step into float64

        def padded(v):
            out = np.zeros((n * t, v.shape[-1]), dtype=np.float32)
            out[real] = v
            return out.reshape(n, t, h, d)

        def lin(v, p, name):
            return v @ w[p + name + ".weight"] + w[p + name + ".bias"]

        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q = padded(lin(x, p, "attention.self.query")).transpose(0, 2, 1, 3)
            k = padded(lin(x, p, "attention.self.key")).transpose(0, 2, 3, 1)
            v = padded(lin(x, p, "attention.self.value")).transpose(0, 2, 1, 3)
            att = q @ k * scale + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n * t, h * d)[real]
            x = _layer_norm(lin(ctx, p, "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"], self.eps)
            ff = lin(_gelu(lin(x, p, "intermediate.dense")), p, "output.dense")
            x = _layer_norm(ff + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps)
        # Mean pooling over each text's own tokens (the packed rows are in text order).
        lengths = mask.sum(1)
        pooled = np.add.reduceat(x, np.r_[0, np.cumsum(lengths[:-1])].astype(np.int64), axis=0)
        return (pooled / lengths[:, None]).astype(np.float32)
