"""The matching index and its whole lifecycle: NOC text rows, their embeddings and BM25 indexes, cached under
models/index/, plus the NOC-adapted encoder it is built with (models/adapted/).

`load_or_build(noc, model_name, ...)` is the one entry: adapt the default model once (lib/matching/adapt.py),
load the index from its folder, or, under an inter-process lock, build and save it; then the French word table
(lib/matching/fr_words.py). One index per (NOC version, data checksum, model, FORMAT). Files are plain .npy
(loaded with allow_pickle=False) plus meta.json; a cache whose meta does not match, or that fails to load, is rebuilt.
"""
from __future__ import annotations

import hashlib
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from lib import _atomic, settings
from lib.matching import adapt, fr_words, onnx_bert, tuning
from lib.matching.bm25 import LexicalIndex
from lib.matching.encoders import Progress, default_encoders, model_slug
from lib.matching.vocab import EvidenceKind
from lib.text import fold

FORMAT = 6                          # bump when the layout or the text rows change (6: vectors stored (dim, rows))
FIELD_LANG = {"title_en": "en", "title_fr": "fr", "duty_en": "en", "duty_fr": "fr"}    # index field -> language
FIELDS = tuple(FIELD_LANG)
DUTY_FIELDS = ("duty_en", "duty_fr")    # rolled up to a group by the mean of its best rows (titles: the best row)
GROUP_FIELDS = {"group_title_en": "title_en", "group_title_fr": "title_fr"}    # one BM25 document per group
# Plain words for the one setup progress bar.
STAGE_WORDS = {"title_en": "English titles", "title_fr": "French titles", "duty_en": "English duties",
               "duty_fr": "French duties", "export": "preparing the fast int8 model (once)"}


@dataclass
class Field:
    """Rows of one kind of NOC text; `code_idx` points into Index.codes (rows are grouped by code)."""
    texts: list[str]
    code_idx: np.ndarray
    kinds: list[EvidenceKind]
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
    # (encoder, field) -> (dim, rows) float32, L2-normalised rows stored as columns: a query's (q, dim) @ (dim, rows)
    # product reads them in order and ran twice as fast as against (rows, dim).T on 2 cores (scripts/bench_matching.py).
    vectors: dict[tuple[str, str], np.ndarray]
    lexical: dict[str, LexicalIndex]             # field or group field -> BM25 over its rows / documents
    meta: dict

    def title_rows(self, text: str) -> dict[str, np.ndarray]:
        """Rows of every title field whose accent-folded text equals `text` (to hold a title out)."""
        key = fold(text)
        return {f: np.asarray([i for i, t in enumerate(fld.folded) if t == key], dtype=np.int64)
                for f, fld in self.fields.items() if f.startswith("title")}

    def without_titles(self, held: set[str]) -> Index:
        """The same index with its per-group title documents rebuilt without these accent-folded titles."""
        lexical = dict(self.lexical)
        for g in GROUP_FIELDS:
            lexical[g] = group_lexical(self.fields, len(self.codes), g, held)
        return replace(self, lexical=lexical)


def cache_dir(noc, model_name: str, root: Path | None = None) -> Path:
    """models/index/<version>-<checksum>-<model>-f<FORMAT>/: a new FORMAT never overwrites an older cache."""
    name = f"{noc.version}-{noc.checksum[:12]}-{model_slug(model_name)}-f{FORMAT}"
    return (root or settings.MODELS_DIR / "index") / name


def group_lexical(fields: dict[str, Field], n_codes: int, group_field: str,
                  exclude: set[str] | None = None) -> LexicalIndex:
    """BM25 over one document per unit group: all its titles in one language joined.

    Unlike the max over single titles, it rewards a group whose titles share the query's words across
    several titles ("earthmoving" + "mechanic"); +5 points top-1 on held-out titles (README).
    `exclude` (accent-folded titles) rebuilds it without held-out titles for evaluation.
    """
    source = GROUP_FIELDS[group_field]
    fld = fields[source]
    docs: list[list[str]] = [[] for _ in range(n_codes)]
    for text, key, ci in zip(fld.texts, fld.folded, fld.code_idx):
        if not exclude or key not in exclude:
            docs[int(ci)].append(text)
    return LexicalIndex.build([" ; ".join(d) for d in docs], FIELD_LANG[source])


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
            cached = vector_root is not None and _load_vectors(_vector_file(vector_root, encoders[enc_key], uniq),
                                                               len(uniq)) is not None
            if not cached:
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
                        _atomic.save_npy(path, vec.astype(np.float16))
                    except OSError:
                        pass        # a read-only disk only costs re-embedding next time
            pos = {t: i for i, t in enumerate(uniq)}
            vectors[(enc_key, fname)] = np.ascontiguousarray((vec[[pos[t] for t in texts]] if texts else vec).T)
    if progress:
        progress(done, total, "building the word indexes")
    lexical = {f: LexicalIndex.build(fields[f].texts, FIELD_LANG[f]) for f in FIELDS if fields[f].texts}
    for g in GROUP_FIELDS:
        lexical[g] = group_lexical(fields, len(codes), g)
    meta = {"format": FORMAT, "version": noc.version, "checksum": noc.checksum, "n_codes": len(codes),
            "encoders": {k: encoders[k].name for k in plan}, "plan": {k: list(v) for k, v in plan.items()},
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
    return Index(codes, fields, vectors, lexical, meta)


def save(index: Index, folder: Path) -> None:
    """Write to a temporary folder, then swap it in, so a crash never leaves a half-written cache."""
    arrays: dict[str, np.ndarray] = {}
    vocabs: dict[str, list[str]] = {}
    for (encoder, fname), vec in index.vectors.items():
        arrays[f"vec.{encoder}.{fname}"] = vec.astype(np.float16)   # half the disk and load time; cosine error ~1e-3
    for fname, fld in index.fields.items():
        arrays[f"codes.{fname}"] = fld.code_idx
    for fname, lex in index.lexical.items():
        part, vocab = lex.to_arrays(f"bm25.{fname}")
        arrays.update(part)
        vocabs[fname] = vocab
    meta = dict(index.meta, codes=index.codes, arrays=sorted(arrays),
                texts={f: fld.texts for f, fld in index.fields.items()},
                kinds={f: fld.kinds for f, fld in index.fields.items()}, vocab=vocabs)
    with _atomic.replace_dir(folder) as tmp:
        for name, arr in arrays.items():
            np.save(tmp / f"{name}.npy", arr, allow_pickle=False)
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


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
        vectors = {(enc, f): arrays[f"vec.{enc}.{f}"].astype(np.float32) for enc, fnames in plan.items()
                   for f in fnames}
        if any(vec.ndim != 2 or vec.shape[1] != len(fields[f].texts) for (_, f), vec in vectors.items()):
            return None
        lexical = {f: LexicalIndex.from_arrays(FIELD_LANG[GROUP_FIELDS.get(f, f)], arrays, f"bm25.{f}",
                                               meta["vocab"][f])
                   for f in FIELDS + tuple(GROUP_FIELDS) if f in meta["vocab"]}
        codes = meta["codes"]
        if codes != list(noc.unit_groups):
            return None
        return Index(codes, fields, vectors, lexical, meta)
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError):
        return None


class _Named:
    """Only the name of an encoder: enough to ask the vector cache what an index build still has to embed."""

    def __init__(self, name: str):
        self.name = name


def adapted_model(noc, model_name: str, progress: Progress, bar: dict,
                  root: Path | None = None) -> tuple[str, str | None]:
    """(index name, local path) of the encoder to use: the NOC-adapted default model, trained once if needed.

    `bar` collects what the one setup progress bar needs (the adaptation's share of the total, its seconds).
    """
    if not adapt.applies(model_name):
        return model_name, None
    folder = adapt.cache_dir(noc)
    name = f"{model_name}+noc{adapt.RECIPE.key()}"
    if adapt.is_ready(folder):
        return name, str(folder)
    with build_lock(folder):
        if not adapt.is_ready(folder):
            steps = adapt.estimated_steps(noc)
            vector_root = (root or settings.MODELS_DIR / "index") / "vectors"
            int8 = onnx_bert.SUFFIX if onnx_bert.enabled() else ""     # the name the index build will use
            names = {"minilm": _Named(name + int8), "use": _Named("usem3")}
            bar["index_texts"] = plan_work(noc, names, tuning.PLAN, vector_root)
            bar["total"] = steps * tuning.STEP_COST + bar.get("index_texts", 0)

            def step(done, total, label):
                if progress:
                    progress(min(done, steps) * tuning.STEP_COST, bar["total"], label)

            try:
                meta = adapt.train(noc, folder, progress=step)
                bar["adapt_s"] = meta["seconds"]
            except ImportError:
                return model_name, None          # no torch: the plain model still works
            bar["offset"] = steps * tuning.STEP_COST
    return name, str(folder)


@dataclass
class Built:
    """What load_or_build hands the matcher: the index, the encoders it was built with, the French word table,
    and the seconds this process spent adapting ("adapt_s") and indexing ("index_s")."""
    index: Index
    encoders: dict
    translator: fr_words.WordTranslator | None
    times: dict[str, float]


def load_or_build(noc, model_name: str, progress: Progress = None, *, encoders: dict | None = None,
                  root: Path | None = None) -> Built:
    """The index for this data and model: loaded from `root` (default models/index/), else built and saved.

    Without `encoders`, the default model is first adapted to the NOC (QC_ADAPT not 0), and the encoders are
    the (adapted) MiniLM and USE; `progress(done, total, words)` drives one bar over both stages.
    """
    bar: dict = {}
    if encoders is None:
        index_name, path = adapted_model(noc, model_name, progress, bar, root)

        def exporting():
            if progress:
                progress(bar.get("offset", 0), bar.get("total", 1), STAGE_WORDS["export"])

        encoders = default_encoders(index_name, path, before_export=exporting)
        index_name = encoders["minilm"].name         # "+int8" when ONNX Runtime runs it (lib/matching/onnx_bert.py)
    else:
        index_name = model_name
    folder = cache_dir(noc, index_name, root)
    names = {k: encoders[k].name for k in tuning.PLAN}
    index = load(folder, noc, tuning.PLAN, names)
    if index is None:
        with build_lock(folder):       # another process may be building the same index
            index = load(folder, noc, tuning.PLAN, names)
            if index is None:
                started = time.time()
                offset = bar.get("offset", 0)
                vector_root = (root or settings.MODELS_DIR / "index") / "vectors"
                todo = plan_work(noc, encoders, tuning.PLAN, vector_root)
                index = build(noc, encoders, tuning.PLAN, progress, vector_root=vector_root,
                              offset=offset, total=offset + todo)
                bar["index_s"] = round(time.time() - started, 1)
                try:
                    save(index, folder)
                except OSError:
                    pass        # a read-only disk only costs a rebuild next time
    translator = fr_words.load_or_build(index, encoders["use"], folder) if "use" in encoders else None
    return Built(index, encoders, translator, {k: v for k, v in bar.items() if k.endswith("_s")})
