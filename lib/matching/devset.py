"""Dev-set evaluation: top-1/3/5/10, MRR@10, accuracy per confidence label and odd/even halves, per bucket.

By default it scores the shared dev sets nobody here wrote (`../shared/dev/onet_*.jsonl`, or `QC_DEV_DIR`:
lines {"id", "text", "gold": [codes]}, solved at rank k when any gold code is in the top k), then the
project's own sets (tests/data/dev_*.jsonl: lines {"id", "text", "code", "lang"?, "bucket"?}).
Held-out NOC example titles are drawn at run time from the data folder (never stored in the repo): a
deterministic sample by hash, scored through `Matcher.with_heldout` (each one masked out of every title field
while it is scored, and out of the per-group title documents), so exact look-up cannot inflate the numbers.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from lib.errors import UserError
from lib.jsonl import read_jsonl
from lib.matching.matcher import get_matcher
from lib.noc import load_noc
from lib.settings import ROOT
from lib.text import fold

KS = (1, 3, 5, 10)


def shared_dev_dir() -> Path:
    """QC_DEV_DIR; else ../shared/dev beside the repo; else dev/ next to a shared data folder (NOC_DATA_DIR)."""
    explicit = os.environ.get("QC_DEV_DIR", "").strip()
    if explicit:
        return Path(explicit)
    beside = ROOT.parent / "shared" / "dev"
    data = os.environ.get("NOC_DATA_DIR", "").strip()
    if not beside.is_dir() and data and (Path(data).parent.parent / "dev").is_dir():
        return Path(data).parent.parent / "dev"
    return beside


def default_files() -> list[Path]:
    """The shared dev sets first (the yardstick), then the project's own."""
    shared = sorted(shared_dev_dir().glob("onet_*.jsonl"))
    return shared + sorted((ROOT / "tests" / "data").glob("dev_*.jsonl"))


def half_of(item_id) -> str:
    """"odd" / "even" from the last number in the id (the dev README's split-half check)."""
    digits = re.findall(r"\d+", str(item_id))
    return "odd" if digits and int(digits[-1]) % 2 else "even"


def _item(path: Path):
    def item(n: int, row: dict) -> dict:
        gold = [str(c) for c in row["gold"]] if "gold" in row else [str(row["code"])]
        if not gold or not isinstance(row["text"], str):
            raise TypeError
        return {"id": row.get("id", f"{path.stem}-{n}"), "text": row["text"], "code": gold[0], "gold": gold,
                "lang": row.get("lang"), "bucket": row.get("bucket") or path.stem}
    return item


def load_items(files: list[str] | None) -> list[dict]:
    paths = [Path(f) for f in files] if files else default_files()
    items = []
    for path in paths:
        if not path.is_file():
            raise UserError(f"Dev file not found: {path}.")
        items += read_jsonl(path, _item(path), 'needs JSON with "text" and "code" (or "gold").')
    return items


# Synthetic composite texts built at run time from the shared dev files (a dev title + a dev description of
# the same NOC code): a first-person sentence naming the title, and a pasted job ad with and without its title
# line, wrapped in fixed employer boilerplate. They check that a named title counts and that boilerplate does
# not dilute the duties; they are not a substitute for real ads.
_AD = {
    "en": ("{title}\nWe are a growing company in the Montréal area, looking for a motivated person to join our "
           "team.\nMain responsibilities:\n{duties}\nWhat we offer: competitive salary ($24 to $31 per hour), group "
           "insurance, paid vacation.\nFull-time, permanent position, day schedule.\nHow to apply: send your resume "
           "to jobs@example.com.\nWe are an equal opportunity employer.",
           "I work as {article} {low}. {duties}"),
    "fr": ("{title}\nNous sommes une entreprise en croissance de la région de Québec et cherchons une personne "
           "motivée.\nTâches principales :\n{duties}\nNous offrons : salaire de 24 $ à 31 $ l'heure, assurances "
           "collectives, vacances payées.\nPoste permanent à temps plein, horaire de jour.\nPour postuler : envoyez "
           "votre CV à emplois@example.com.\nNous souscrivons au principe d'égalité en emploi.",
           "Je travaille comme {low}. {duties}"),
}


def composite_items(files: list[Path] | None = None) -> list[dict]:
    """Title-in-text and pasted-ad buckets from the shared dev titles and descriptions (same gold code)."""
    by_name = {p.stem: p for p in (files or sorted(shared_dev_dir().glob("onet_*.jsonl")))}
    items = []
    for lang in ("en", "fr"):
        tf, df = by_name.get(f"onet_{lang}_titles"), by_name.get(f"onet_{lang}_descriptions")
        if not tf or not df:
            continue
        titles = [json.loads(x) for x in tf.read_text(encoding="utf-8").splitlines() if x.strip()]
        descs = [json.loads(x) for x in df.read_text(encoding="utf-8").splitlines() if x.strip()]
        used: set[str] = set()
        ad, sentence = _AD[lang]
        for t in titles:
            d = next((d for d in descs if d["id"] not in used and set(d["gold"]) & set(t["gold"])), None)
            if d is None:
                continue
            used.add(d["id"])
            gold = [c for c in t["gold"] if c in d["gold"]]
            low = t["text"][:1].lower() + t["text"][1:]
            duties = re.sub(r"(?<=[.!?])\s+", "\n", d["text"].strip())
            base = {"gold": gold, "code": gold[0], "lang": None}
            items.append(dict(base, id=f"{t['id']}-ad", bucket=f"ads_{lang}",
                              text=ad.format(title=t["text"], duties=duties)))
            items.append(dict(base, id=f"{t['id']}-adnotitle", bucket=f"ads_{lang}_no_title",
                              text=ad.format(title="", duties=duties).lstrip("\n")))
            items.append(dict(base, id=f"{t['id']}-named", bucket=f"title_in_text_{lang}",
                              text=sentence.format(article="an" if low[:1].lower() in "aeiou" else "a", low=low,
                                                   duties=d["text"])))
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


def noc_title_ad_items(noc, files: list[Path] | None = None) -> list[dict]:
    """Pasted ads headed by a title the NOC lists under the gold group alone: each shared dev description under one
    such example title of its gold group (chosen by hash), in the same boilerplate as the ads above. They check that
    an ad whose title is in the NOC index ranks that occupation first."""
    by_name = {p.stem: p for p in (files or sorted(shared_dev_dir().glob("onet_*.jsonl")))}
    items = []
    for lang in ("en", "fr"):
        descriptions = by_name.get(f"onet_{lang}_descriptions")
        if not descriptions:
            continue
        owners: dict[str, set[str]] = {}
        for code, ug in noc.unit_groups.items():
            for title in ug.example_titles(lang):
                owners.setdefault(fold(title), set()).add(code)
        for d in read_jsonl(descriptions, _item(descriptions), 'needs JSON with "text" and "code" (or "gold").'):
            code = d["gold"][0]
            own = [t for t in noc.unit_groups[code].example_titles(lang) if owners[fold(t)] == {code}]
            if not own:
                continue
            title = min(own, key=lambda t: hashlib.sha1(t.encode("utf-8")).hexdigest())
            duties = re.sub(r"(?<=[.!?])\s+", "\n", d["text"].strip())
            items.append({"id": f"{d['id']}-nocad", "gold": [code], "code": code, "lang": None,
                          "bucket": f"ads_noc_title_{lang}", "text": _AD[lang][0].format(title=title, duties=duties)})
    return items


def score_items(matcher, items: list[dict]) -> list[dict]:
    """Rank every item; adds rank (None beyond 10), top score, margin and the query kind."""
    out = []
    held = matcher.with_heldout([it["text"] for it in items if it.get("heldout")])
    for it in items:
        res = (held if it.get("heldout") else matcher).rank(it["text"], top=10, lang=it.get("lang"))
        codes = [m.code for m in res.results]
        scores = [m.score for m in res.results]
        gold = it.get("gold") or [it["code"]]
        hits = [codes.index(c) + 1 for c in gold if c in codes]
        rank = min(hits) if hits else None
        out.append(dict(it, rank=rank, score=scores[0], margin=scores[0] - scores[1] if len(scores) > 1 else 0.0,
                        confidence=res.results[0].confidence, convincing=res.convincing, query_lang=res.query_lang,
                        look_alikes=bool(res.results[0].look_alikes), agreement=res.agreement,
                        listed=res.listed_title is not None))
    return out


def _rates(ranks: list) -> dict:
    row = {f"top{k}": sum(1 for r in ranks if r is not None and r <= k) / len(ranks) for k in KS}
    row["mrr10"] = sum(1 / r for r in ranks if r is not None) / len(ranks)
    row["n"] = len(ranks)
    return row


def metrics(scored: list[dict]) -> dict[str, dict]:
    buckets: dict[str, list[dict]] = {}
    for it in scored:
        buckets.setdefault(it["bucket"], []).append(it)
    table = {}
    for name, rows in buckets.items():
        row = _rates([r["rank"] for r in rows])
        for level in ("high", "medium", "low"):     # how right each confidence label is at rank 1
            hits = [r["rank"] == 1 for r in rows if r["confidence"] == level]
            row[f"{level}_n"], row[f"{level}_acc"] = len(hits), (sum(hits) / len(hits) if hits else None)
        for half in ("odd", "even"):                # a gain counts only when it holds on both halves
            part = [r["rank"] for r in rows if half_of(r["id"]) == half]
            row[half] = _rates(part) if part else None
        table[name] = row
    return table


def evaluate_files(files: list[str] | None, heldout: int = 150, progress=None, matcher=None,
                   composite: bool = True) -> dict:
    noc = load_noc() if matcher is None else matcher.noc
    matcher = matcher or get_matcher(noc, progress=progress)
    items = load_items(files) + (composite_items() + noc_title_ad_items(noc) if composite and not files else [])
    items += heldout_items(noc, heldout) if heldout else []
    return metrics(score_items(matcher, items))


def format_table(report: dict) -> str:
    lines = [f"{'bucket':<22}{'n':>5}{'top1':>7}{'top3':>7}{'top5':>7}{'top10':>7}{'MRR@10':>8}"
             f"  {'odd t1/t5':>11}  {'even t1/t5':>11}   high/med/low acc@1 (n)"]
    for name, r in report.items():
        conf = "/".join("-" if r[f"{lv}_acc"] is None else f"{r[f'{lv}_acc']:.2f}({r[f'{lv}_n']})"
                        for lv in ("high", "medium", "low"))
        halves = ["-" if not r.get(h) else f"{r[h]['top1']:.3f}/{r[h]['top5']:.3f}" for h in ("odd", "even")]
        lines.append(f"{name:<22}{r['n']:>5}{r['top1']:>7.3f}{r['top3']:>7.3f}{r['top5']:>7.3f}{r['top10']:>7.3f}"
                     f"{r['mrr10']:>8.3f}  {halves[0]:>11}  {halves[1]:>11}   {conf}")
    return "\n".join(lines)
