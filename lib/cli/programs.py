"""`programs` command: which Québec skilled-worker components fit a NOC code, at a date.

Text output is lib/programs/report.py's document rendered for a terminal (the page's words, from data/i18n/);
--json is Evaluation.to_dict (its keys are a contract: they may be added to, never renamed or removed).
"""
from __future__ import annotations

import json
import sys
from datetime import date

from lib import settings
from lib.errors import UserError
from lib.i18n import t


def register(subparsers) -> None:
    p = subparsers.add_parser("programs",
                              help="Québec programs and components for a NOC code, with reasons and sources")
    p.add_argument("code", help="5-digit NOC 2021 code (e.g. 33102) or 4-digit NOC 2016 code (e.g. 3413)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="status on this date (default: today)")
    p.add_argument("--lang", choices=("en", "fr"), default=None, help="language of the text (default en, or QC_LANG)")
    p.add_argument("--answers", metavar="QUERY", default=None,
                   help="questionnaire answers as in a share link, e.g. \"experience_years=4&french_oral=5\"")
    p.set_defaults(func=run)


def run(args) -> int:
    lang = args.lang or settings.forced_language() or "en"
    as_of = date.today()
    if args.as_of:
        try:
            as_of = date.fromisoformat(args.as_of.strip())
        except ValueError:
            print(f"error: --as-of {args.as_of!r} is not a date; use YYYY-MM-DD, e.g. 2026-01-01", file=sys.stderr)
            return 2
    # Imported when the command runs: the other commands need neither the rules nor pydantic.
    from lib.noc import load_noc
    from lib.programs import Answers, evaluate, load_rules, report
    from lib.share import parse_answers
    try:
        given = parse_answers(args.answers) if args.answers else {}
    except ValueError as exc:
        print(f"error: --answers: {exc}", file=sys.stderr)
        return 2
    answers = Answers(**given)
    noc = load_noc()
    rules = load_rules(noc)
    lookup = noc.lookup_code(args.code)
    if lookup is None:
        raise UserError(f"{args.code!r} is not a NOC code; use 5 digits (NOC 2021, e.g. 33102) "
                        f"or 4 digits (NOC 2016); find yours with `python -m lib rank \"your job\"`")
    evaluations = [evaluate(code, noc, rules, answers=answers, as_of=as_of) for code in lookup.codes]
    is_2016 = lookup.kind != f"noc{noc.version}"
    if args.json:
        if is_2016:
            payload = {"noc2016": lookup.query, "results": [ev.to_dict(lang) for ev in evaluations]}
        else:
            payload = evaluations[0].to_dict(lang)
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    if is_2016:
        print(t("report.maps_to", lang, old=lookup.kind.removeprefix("noc"), code=lookup.query,
                version=noc.version, codes=", ".join(lookup.codes)))
        print()
    print("\n\n".join(report.to_text(ev, lang, given) for ev in evaluations), end="")
    return 0
