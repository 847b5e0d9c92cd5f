"""`python -m lib rank` and `python -m lib evaluate`.

rank: one text, or a batch (--input FILE.jsonl with {"id","text"} lines, or FILE.csv with --text-column);
the model loads once per run. User text is never logged or written anywhere but the requested output.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from lib.errors import UserError
from lib.i18n import t
from lib.jsonl import read_jsonl


def register(subparsers) -> None:
    p = subparsers.add_parser("rank", help="rank NOC 2021 unit groups for a title, a description or a code")
    p.add_argument("text", nargs="?", help="job title, duties, or a NOC code (omit with --input)")
    p.add_argument("--top", type=int, default=10, help="number of results (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--lang", choices=("en", "fr"), help="query language (default: detect; QC_LANG forces it)")
    p.add_argument("--input", help="batch input: .jsonl ({'id','text'} per line) or .csv")
    p.add_argument("--text-column", help="CSV column holding the text (CSV input)")
    p.add_argument("--output", help="CSV output file (CSV input); default stdout")
    p.set_defaults(func=run)

    e = subparsers.add_parser("evaluate", help="top-1/3/5/10 and MRR@10 of the matcher on a dev set")
    e.add_argument("files", nargs="*", help="JSONL files with {'id','text','code' or 'gold'} "
                                            "(default: ../shared/dev/onet_*.jsonl, then tests/data/dev_*.jsonl)")
    e.add_argument("--heldout", type=int, default=150,
                   help="also score N NOC example titles per language, held out of the index (0 = none)")
    e.add_argument("--json", action="store_true", help="print the metrics as JSON")
    e.set_defaults(func=run_evaluate)


def _matcher():
    from lib.matching import get_matcher
    from lib.noc import load_noc

    noc = load_noc()
    return get_matcher(noc, progress=_progress_bar())


def _progress_bar():
    """A tqdm bar on stderr while the index is built (first run only)."""
    state = {}

    def progress(done, total, label):
        if "bar" not in state:
            from tqdm import tqdm

            print("Building the matching index (first run only)...", file=sys.stderr)
            state["bar"] = tqdm(total=total, file=sys.stderr, unit="text")
        bar = state["bar"]
        bar.total = total                                # a later stage may know the whole setup's size better
        bar.set_description(label)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return progress


def _print_text(result, lang) -> None:
    """One line per result, in the page's words (TEER/FÉER, strong/possible/weak) from the i18n catalogue."""
    if not result.convincing:
        print(t("lib.cli_no_convincing", lang))
    for m in result.results:
        looks = t("lib.cli_look_alikes", lang, codes=", ".join(m.look_alikes)) if m.look_alikes else ""
        print(t("lib.cli_rank_line", lang, code=m.code, title=m.title(lang), teer=t("common.teer", lang, teer=m.teer),
                confidence=t(f"match_confidence.{m.confidence}", lang)) + looks)


def run(args) -> int:
    if args.top < 1:
        raise UserError("--top must be 1 or more.")
    if args.input:
        return _run_batch(args)
    if not args.text:
        raise UserError("Give a text to rank, e.g. python -m lib rank \"cook\", or --input FILE.jsonl.")
    matcher = _matcher()
    result = matcher.rank(args.text, top=args.top, lang=args.lang)
    lang = args.lang or result.query_lang
    if args.json:
        print(json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        _print_text(result, lang)
    return 0


def _run_batch(args) -> int:
    path = Path(args.input)
    if not path.is_file():
        raise UserError(f"Input file not found: {path}.")
    if path.suffix.lower() == ".csv":
        return _run_csv(args, path)
    # Validate the whole file before the slow model load.
    rows = list(read_jsonl(path, lambda n, row: (row.get("id", n), row["text"]),
                           'is not a JSON object with a "text" field.'))
    matcher = _matcher()
    for rid, text in rows:
        try:
            result = matcher.rank(text, top=args.top, lang=args.lang)
            out = {"id": rid, **result.to_dict(args.lang or result.query_lang)}
        except UserError as exc:
            out = {"id": rid, "error": str(exc), "results": []}
        print(json.dumps(out, ensure_ascii=False))
    return 0


def _run_csv(args, path: Path) -> int:
    if not args.text_column:
        raise UserError("CSV input needs --text-column NAME.")
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if args.text_column not in (reader.fieldnames or []):
            raise UserError(f"Column '{args.text_column}' not found in {path.name}; columns: "
                            f"{', '.join(reader.fieldnames or [])}.")
        rows = list(reader)
        fields = list(reader.fieldnames)
    matcher = _matcher()
    extra = []
    for k in range(1, args.top + 1):
        extra += [f"noc_{k}", f"title_{k}", f"confidence_{k}"]
    extra += ["query_lang", "convincing", "error"]
    out_f = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        writer = csv.DictWriter(out_f, fieldnames=fields + [c for c in extra if c not in fields])
        writer.writeheader()
        for row in rows:
            try:
                res = matcher.rank(row.get(args.text_column) or "", top=args.top, lang=args.lang)
                lang = args.lang or res.query_lang
                for k, m in enumerate(res.results, 1):
                    row.update({f"noc_{k}": m.code, f"title_{k}": m.title(lang), f"confidence_{k}": m.confidence})
                row.update(query_lang=res.query_lang, convincing=res.convincing, error="")
            except UserError as exc:
                row.update(error=str(exc))
            writer.writerow(row)
    finally:
        if args.output:
            out_f.close()
    return 0


def run_evaluate(args) -> int:
    from lib.matching.devset import evaluate_files, format_table

    report = evaluate_files(args.files, heldout=args.heldout, progress=_progress_bar())
    print(json.dumps(report, indent=2) if args.json else format_table(report))
    return 0
