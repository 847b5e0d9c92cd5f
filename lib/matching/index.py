"""The matching index: NOC text rows, their embeddings and BM25 indexes, cached under models/index/.

One index per (NOC version, data checksum, model). Files are plain .npy (loaded with allow_pickle=False) plus
meta.json; a cache whose meta does not match, or that fails to load, is rebuilt.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from lib.matching.encoders import model_slug
from lib.matching.bm25 import LexicalIndex
from lib.settings import MODELS_DIR
from lib.text import fold

FORMAT = 4                          # bump when the layout or the text rows change
FIELDS = ("title_en", "title_fr", "duty_en", "duty_fr")
# Plain words for the one setup progress bar.
STAGE_WORDS = {"title_en": "English titles", "title_fr": "French titles", "duty_en": "English duties",
               "duty_fr": "French duties"}
Progress = Callable[[int, int, str], None] | None


@dataclass
class Field:
    """Rows of one kind of NOC text; `code_idx` points into Index.codes (rows are grouped by code)."""
    texts: list[str]
    code_idx: np.ndarray
    kinds: list[str]                  # "title" | "duty" | "definition"
    folded: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.folded = [fold(t) for t in self.texts]


def _rows(noc) -> tuple[list[str], dict[str, Field]]:
    """Collect the text rows from the NOC data, deduplicated per unit group."""
    codes = list(noc.unit_groups)
    acc = {f: ([], [], []) for f in FIELDS}

    def add(fname, i, text, kind, seen):
        text = (text or "").strip()
        key = fold(text)
        if text and key not in seen:
            seen.add(key)
            acc[fname][0].append(text)
            acc[fname][1].append(i)
            acc[fname][2].append(kind)

    for i, code in enumerate(codes):
        ug = noc.unit_groups[code]
        for lang in ("en", "fr"):
            seen: set[str] = set()
            add(f"title_{lang}", i, ug.title_en if lang == "en" else ug.title_fr, "title", seen)
            for t in ug.example_titles(lang):
                add(f"title_{lang}", i, t, "title", seen)
        seen = set()
        add("duty_en", i, ug.definition("en"), "definition", seen)
        for d in ug.duties("en"):
            add("duty_en", i, d, "duty", seen)
        seen = set()
        if ug.has_fr_details() or ug.main_duties_fr:      # official French elements; else no French duty rows
            add("duty_fr", i, ug.definition_fr, "definition", seen)
            for d in ug.duties("fr"):
                add("duty_fr", i, d.strip(" (\"«»"), "duty", seen)
    return codes, {f: Field(t, np.asarray(c, dtype=np.int32), k) for f, (t, c, k) in acc.items()}


@dataclass
class Index:
    codes: list[str]
    fields: dict[str, Field]
    vectors: dict[str, np.ndarray]          # "<encoder>.<field>" -> (rows, dim) float32, L2-normalised
    lexical: dict[str, LexicalIndex]        # "<field>" -> BM25 over that field's rows
    meta: dict

    def code_of(self, fname: str) -> np.ndarray:
        return self.fields[fname].code_idx


def cache_dir(noc, model_name: str, root: Path | None = None) -> Path:
    return (root or MODELS_DIR / "index") / f"{noc.version}-{noc.checksum[:12]}-{model_slug(model_name)}"


GROUP_FIELDS = ("group_title_en", "group_title_fr")


def group_lexical(fields: dict[str, Field], n_codes: int, lang: str, exclude: set[str] | None = None) -> LexicalIndex:
    """BM25 over one document per unit group: all its titles in one language joined.

    Unlike the max over single titles, it rewards a group whose titles share the query's words across
    several titles ("earthmoving" + "mechanic"); +5 points top-1 on held-out titles (README).
    `exclude` (accent-folded titles) rebuilds it without held-out titles for evaluation.
    """
    fld = fields[f"title_{lang}"]
    docs: list[list[str]] = [[] for _ in range(n_codes)]
    for text, key, ci in zip(fld.texts, fld.folded, fld.code_idx):
        if not exclude or key not in exclude:
            docs[int(ci)].append(text)
    return LexicalIndex.build([" ; ".join(d) for d in docs], lang)


@contextmanager
def build_lock(folder: Path):
    """Inter-process lock so two processes (CLI, app, tests) never build the same index at once."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        handle = open(folder.with_name(folder.name + ".lock"), "w")
    except OSError:
        yield
        return
    try:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX)
    except (ImportError, OSError):
        pass
    try:
        yield
    finally:
        handle.close()


def _vector_file(root: Path, encoder, texts: list[str]) -> Path:
    digest = hashlib.sha1("\n".join([encoder.name, *texts]).encode("utf-8")).hexdigest()[:20]
    return root / f"{model_slug(encoder.name)}-{digest}.npy"


def _load_vectors(path: Path, n: int) -> np.ndarray | None:
    try:
        vec = np.load(path, allow_pickle=False)
        return vec.astype(np.float32) if vec.shape[0] == n else None
    except (OSError, ValueError):
        return None


def plan_work(noc, encoders: dict, plan: dict[str, tuple[str, ...]], vector_root: Path | None = None) -> int:
    """How many texts the build still has to embed (what is not in the vector cache)."""
    _, fields = _rows(noc)
    todo = 0
    for enc_key, fnames in plan.items():
        for fname in fnames:
            uniq = list(dict.fromkeys(fields[fname].texts))
            if not uniq:
                continue
            if vector_root is None or _load_vectors(_vector_file(vector_root, encoders[enc_key], uniq), len(uniq)) is None:
                todo += len(uniq)
    return todo


def build(noc, encoders: dict, plan: dict[str, tuple[str, ...]], progress: Progress = None,
          vector_root: Path | None = None, offset: int = 0, total: int | None = None) -> Index:
    """Embed the rows each encoder needs (plan: encoder key -> fields) and build the BM25 indexes.

    Each distinct text is embedded once per encoder, and the vectors of one (encoder, texts) pair are cached
    under `vector_root`, so a new data checksum or a new model only re-embeds what changed.
    `offset`/`total` place this work on a larger progress bar (setup also adapts the model).
    """
    codes, fields = _rows(noc)
    vectors: dict[str, np.ndarray] = {}
    todo = plan_work(noc, encoders, plan, vector_root)
    total = total if total is not None else offset + todo
    done = offset
    for enc_key, fnames in plan.items():
        for fname in fnames:
            texts = fields[fname].texts
            uniq = list(dict.fromkeys(texts))
            enc = encoders[enc_key]
            path = _vector_file(vector_root, enc, uniq) if vector_root is not None and uniq else None
            vec = _load_vectors(path, len(uniq)) if path else None
            if vec is None:
                def step(n, _t, label, _base=done):
                    if progress:
                        progress(_base + n, total, label)

                label = f"embedding {STAGE_WORDS.get(fname, fname)} ({enc_key})"
                vec = enc.encode(uniq, progress=step, label=label) if uniq else np.zeros((0, enc.dim), np.float32)
                done += len(uniq)
                if path is not None:
                    try:
                        path.parent.mkdir(parents=True, exist_ok=True)
                        tmp = path.with_name(path.stem + f".tmp{os.getpid()}.npy")
                        np.save(tmp, vec.astype(np.float16), allow_pickle=False)
                        tmp.replace(path)
                    except OSError:
                        pass
            pos = {t: i for i, t in enumerate(uniq)}
            vectors[f"{enc_key}.{fname}"] = vec[[pos[t] for t in texts]] if texts else vec
    if progress:
        progress(done, total, "building the word indexes")
    lexical = {f: LexicalIndex.build(fields[f].texts, "fr" if f.endswith("_fr") else "en") for f in FIELDS
               if fields[f].texts}
    for g in GROUP_FIELDS:
        lexical[g] = group_lexical(fields, len(codes), g[-2:])
    meta = {"format": FORMAT, "version": noc.version, "checksum": noc.checksum, "n_codes": len(codes),
            "encoders": {k: encoders[k].name for k in plan}, "plan": {k: list(v) for k, v in plan.items()},
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
    return Index(codes, fields, vectors, lexical, meta)


def save(index: Index, folder: Path) -> None:
    """Write to a temporary folder, then swap it in, so a crash never leaves a half-written cache."""
    tmp = folder.with_name(f"{folder.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    arrays: dict[str, np.ndarray] = {}
    vocabs: dict[str, list[str]] = {}
    for key, vec in index.vectors.items():
        arrays[f"vec.{key}"] = vec.astype(np.float16)        # half the disk and load time; cosine error ~1e-3
    for fname, fld in index.fields.items():
        arrays[f"codes.{fname}"] = fld.code_idx
    for fname, lex in index.lexical.items():
        part, vocab = lex.to_arrays(f"bm25.{fname}")
        arrays.update(part)
        vocabs[fname] = vocab
    for name, arr in arrays.items():
        np.save(tmp / f"{name}.npy", arr, allow_pickle=False)
    meta = dict(index.meta, codes=index.codes, arrays=sorted(arrays),
                texts={f: fld.texts for f, fld in index.fields.items()},
                kinds={f: fld.kinds for f, fld in index.fields.items()}, vocab=vocabs)
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    try:
        tmp.rename(folder)
    except OSError:             # another process saved the same index first: keep theirs
        shutil.rmtree(tmp, ignore_errors=True)


def _append_lexical(folder: Path, meta: dict, extra: dict[str, LexicalIndex]) -> None:
    """Best effort: add BM25 arrays to an existing cache so the next start loads them instead."""
    try:
        for fname, lex in extra.items():
            part, vocab = lex.to_arrays(f"bm25.{fname}")
            for name, arr in part.items():
                np.save(folder / f"{name}.npy", arr, allow_pickle=False)
            meta["vocab"][fname] = vocab
            meta["arrays"] = sorted(set(meta["arrays"]) | set(part))
        tmp = folder / f"meta.json.tmp{os.getpid()}"
        tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        tmp.replace(folder / "meta.json")
    except OSError:
        pass


def load(folder: Path, noc, plan: dict[str, tuple[str, ...]], encoder_names: dict[str, str]) -> Index | None:
    """Load a cache; None when it is missing, from other data or another plan, or unreadable."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if (meta.get("format") != FORMAT or meta.get("checksum") != noc.checksum
                or meta.get("version") != noc.version or meta.get("encoders") != encoder_names
                or meta.get("plan") != {k: list(v) for k, v in plan.items()}):
            return None
        arrays = {name: np.load(folder / f"{name}.npy", allow_pickle=False) for name in meta["arrays"]}
        fields = {f: Field(meta["texts"][f], arrays[f"codes.{f}"].astype(np.int32), meta["kinds"][f]) for f in FIELDS}
        vectors = {k[4:]: v.astype(np.float32) for k, v in arrays.items() if k.startswith("vec.")}
        for key, vec in vectors.items():
            if vec.shape[0] != len(fields[key.split(".", 1)[1]].texts):
                return None
        lexical = {f: LexicalIndex.from_arrays("fr" if f.endswith("_fr") else "en", arrays, f"bm25.{f}",
                                               meta["vocab"][f]) for f in FIELDS + GROUP_FIELDS
                   if f in meta["vocab"]}
        missing = [g for g in GROUP_FIELDS if g not in lexical]
        for g in missing:               # caches written before these existed: cheap to add (~0.3 s each)
            lexical[g] = group_lexical(fields, len(meta["codes"]), g[-2:])
        if missing:
            _append_lexical(folder, meta, {g: lexical[g] for g in missing})
        codes = meta["codes"]
        if codes != list(noc.unit_groups):
            return None
        return Index(codes, fields, vectors, lexical, meta)
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError):
        return None
