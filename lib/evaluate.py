"""Dev-set evaluation: top-1/3/5/10 and MRR@10 per bucket.

Dev files are JSONL lines {"id", "text", "code", "lang"?, "bucket"?} written by the project (tests/data).
Held-out NOC example titles are drawn at run time from the data folder (never stored in the repo): a
deterministic sample by hash, and each one is masked out of every title field of the index while it is
scored, so exact look-up cannot inflate the numbers.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from lib.errors import UserError
from lib.settings import ROOT
from lib.textnorm import fold

KS = (1, 3, 5, 10)


def load_items(files: list[str] | None) -> list[dict]:
    paths = [Path(f) for f in files] if files else sorted((ROOT / "tests" / "data").glob("dev_*.jsonl"))
    items = []
    for path in paths:
        if not path.is_file():
            raise UserError(f"Dev file not found: {path}.")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                items.append({"id": row.get("id", f"{path.stem}-{n}"), "text": row["text"], "code": str(row["code"]),
                              "lang": row.get("lang"), "bucket": row.get("bucket") or path.stem})
            except (json.JSONDecodeError, KeyError, TypeError):
                raise UserError(f"{path.name} line {n} needs JSON with \"text\" and \"code\".") from None
    return items


def heldout_items(noc, n: int) -> list[dict]:
    """n example titles per language, chosen by the hash of their text (stable across runs and machines)."""
    items = []
    for lang in ("en", "fr"):
        pool = sorted((hashlib.sha1(t.encode("utf-8")).hexdigest(), t, code)
                      for code, ug in noc.unit_groups.items() for t in ug.example_titles(lang))
        for h, text, code in pool[:n]:
            items.append({"id": f"noc-{lang}-{h[:10]}", "text": text, "code": code, "lang": lang,
                          "bucket": f"noc_titles_{lang}", "heldout": True})
    return items


def title_mask(matcher, text: str) -> dict[str, np.ndarray]:
    """Rows of every title field whose accent-folded text equals this title."""
    key = fold(text.strip())
    return {f: np.asarray([i for i, t in enumerate(fld.folded) if t == key], dtype=np.int64)
            for f, fld in matcher.index.fields.items() if f.startswith("title")}


def heldout_view(matcher, items: list[dict]):
    """The matcher with its per-group title documents rebuilt without any held-out title (a held-out split:
    per-title channels are masked one query at a time instead, see title_mask)."""
    import copy

    from lib.match_index import GROUP_FIELDS, group_lexical

    held = {fold(it["text"].strip()) for it in items if it.get("heldout")}
    if not held:
        return matcher
    index = copy.copy(matcher.index)
    index.lexical = dict(index.lexical)
    for g in GROUP_FIELDS:
        index.lexical[g] = group_lexical(index.fields, len(index.codes), g[-2:], held)
    view = copy.copy(matcher)
    view.index = index
    return view


def score_items(matcher, items: list[dict]) -> list[dict]:
    """Rank every item; adds rank (None beyond 10), top score, margin and the query kind."""
    out = []
    held_matcher = heldout_view(matcher, items)
    for it in items:
        mask = title_mask(matcher, it["text"]) if it.get("heldout") else None
        res = (held_matcher if mask else matcher).rank(it["text"], top=10, lang=it.get("lang"), _mask=mask)
        codes = [m.code for m in res.results]
        scores = [m.score for m in res.results]
        rank = codes.index(it["code"]) + 1 if it["code"] in codes else None
        out.append(dict(it, rank=rank, score=scores[0], margin=scores[0] - scores[1] if len(scores) > 1 else 0.0,
                        confidence=res.results[0].confidence, convincing=res.convincing))
    return out


def metrics(scored: list[dict]) -> dict[str, dict]:
    buckets: dict[str, list[dict]] = {}
    for it in scored:
        buckets.setdefault(it["bucket"], []).append(it)
    table = {}
    for name, rows in buckets.items():
        ranks = [r["rank"] for r in rows]
        row = {f"top{k}": sum(1 for r in ranks if r is not None and r <= k) / len(ranks) for k in KS}
        row["mrr10"] = sum(1 / r for r in ranks if r is not None) / len(ranks)
        row["n"] = len(ranks)
        for level in ("high", "medium", "low"):     # how right each confidence label is at rank 1
            hits = [r["rank"] == 1 for r in rows if r["confidence"] == level]
            row[f"{level}_n"], row[f"{level}_acc"] = len(hits), (sum(hits) / len(hits) if hits else None)
        table[name] = row
    return table


def evaluate_files(files: list[str] | None, heldout: int = 150, progress=None, matcher=None) -> dict:
    from lib.matching import get_matcher
    from lib.noc import load_noc

    noc = load_noc() if matcher is None else matcher.noc
    matcher = matcher or get_matcher(noc, progress=progress)
    items = load_items(files) + (heldout_items(noc, heldout) if heldout else [])
    return metrics(score_items(matcher, items))


def format_table(report: dict) -> str:
    lines = [f"{'bucket':<16}{'n':>5}{'top1':>7}{'top3':>7}{'top5':>7}{'top10':>7}{'MRR@10':>8}   high/med/low acc@1"]
    for name, r in report.items():
        conf = "/".join("-" if r[f"{lv}_acc"] is None else f"{r[f'{lv}_acc']:.2f}({r[f'{lv}_n']})"
                        for lv in ("high", "medium", "low"))
        lines.append(f"{name:<16}{r['n']:>5}{r['top1']:>7.3f}{r['top3']:>7.3f}{r['top5']:>7.3f}{r['top10']:>7.3f}"
                     f"{r['mrr10']:>8.3f}   {conf}")
    return "\n".join(lines)
