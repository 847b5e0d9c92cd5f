"""`programs` command: which Québec skilled-worker components fit a NOC code, at a date."""
from __future__ import annotations

import json
import sys
from datetime import date

from lib import settings
from lib.errors import UserError

LABELS = {
    "en": {"as_of": "as of", "teer": "TEER", "conditions": "Conditions", "notes": "Notes", "sources": "Sources",
           "since": "since", "until": "until", "confidence": "confidence", "to_verify": "to verify",
           "maps_to": "NOC 2016 {code} corresponds to NOC 2021: {codes}", "read": "read",
           "met": "met", "not_met": "not met", "unknown": "unknown",
           "eligible": "eligible by occupation", "not_eligible": "not eligible by occupation",
           "conditional": "eligible by occupation under conditions", "not_occupation_based": "not occupation-based",
           "not_covered": "not covered by this tool", "regulated": "Regulated in Québec",
           "high": "high", "medium": "medium", "low": "low",
           "yes": "YES, you can apply now", "maybe": "MAYBE", "no": "NO", "summary": "Summary"},
    "fr": {"as_of": "au", "teer": "FÉER", "conditions": "Conditions", "notes": "Remarques", "sources": "Sources",
           "since": "depuis le", "until": "jusqu'au", "confidence": "confiance", "to_verify": "à vérifier",
           "maps_to": "CNP 2016 {code} correspond à la CNP 2021 : {codes}", "read": "consulté le",
           "met": "remplie", "not_met": "non remplie", "unknown": "inconnue",
           "eligible": "admissible selon la profession", "not_eligible": "non admissible selon la profession",
           "conditional": "admissible selon la profession, sous conditions",
           "not_occupation_based": "ne dépend pas de la profession", "not_covered": "non couvert par cet outil",
           "regulated": "Réglementée au Québec",
           "high": "élevée", "medium": "moyenne", "low": "faible",
           "yes": "OUI, vous pouvez présenter une demande", "maybe": "PEUT-ÊTRE", "no": "NON", "summary": "Résumé"},
}


def register(subparsers) -> None:
    p = subparsers.add_parser("programs", help="Québec programs and components for a NOC code, with reasons and sources")
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
    from lib.share import parse_answers
    try:
        given = parse_answers(args.answers) if args.answers else {}
    except ValueError as exc:
        print(f"error: --answers: {exc}", file=sys.stderr)
        return 2
    try:
        from lib.noc import load_noc
        from lib.programs import Answers, evaluate, load_rules
        answers = Answers(**given)
        noc = load_noc()
        rules = load_rules(noc)
        lookup = noc.lookup_code(args.code)
        if lookup is None:
            raise UserError(f"{args.code!r} is not a NOC code; use 5 digits (NOC 2021, e.g. 33102) "
                            f"or 4 digits (NOC 2016); find yours with `python -m lib rank \"your job\"`")
        evaluations = [evaluate(code, noc, rules, answers=answers, as_of=as_of) for code in lookup.codes]
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    is_2016 = lookup.kind != f"noc{noc.version}"
    if args.json:
        if is_2016:
            payload = {"noc2016": lookup.query, "results": [ev.to_dict(lang) for ev in evaluations]}
        else:
            payload = evaluations[0].to_dict(lang)
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    words = LABELS[lang]
    if is_2016:
        print(words["maps_to"].format(code=lookup.query, codes=", ".join(lookup.codes)))
        print()
    for ev in evaluations:
        print_text(ev, lang, words)
    return 0


def print_text(ev, lang: str, words: dict) -> None:
    """A readable report: one block per component, then the global notes and the disclaimer."""
    print(f"{ev.code} – {ev.title(lang)} ({words['teer']} {ev.teer}) – {words['as_of']} {ev.as_of.isoformat()}")
    if ev.regulated is not None:
        reg = ev.regulated
        flag = f" [{words['to_verify']}]" if reg.to_verify else ""
        print(f"{words['regulated']}: {reg.kind_label(lang)} – {'; '.join(reg.regulators(lang))}{flag}")
    print()
    print(f"{words['summary']}:")
    for comp in ev.ordered():
        print(f"  [{words[comp.overall]}] {comp.short_name(lang)}: {comp.overall_reason(lang)}")
    for comp in ev.components:
        period = f"{comp.status_label(lang)}"
        if comp.status_since:
            period += f" {words['since']} {comp.status_since.isoformat()}"
        if comp.status_until:
            period += f" {words['until']} {comp.status_until.isoformat()}"
        flag = f", {words['to_verify']}" if comp.to_verify else ""
        print()
        print(f"{comp.program_name(lang)} – {comp.name(lang)}")
        print(f"  {words[comp.overall]} – {comp.overall_reason(lang)}")
        print(f"  {words[comp.occupation]} · {period} · {words['confidence']} {words[comp.confidence]}{flag}")
        for reason in comp.reasons(lang):
            print(f"  - {reason}")
        if comp.conditions:
            print(f"  {words['conditions']}:")
            for cond in comp.conditions:
                print(f"    [{words[cond.state]}] {cond.text(lang)}")
        if comp.notes(lang):
            print(f"  {words['notes']}:")
            for note in comp.notes(lang):
                print(f"    * {note}")
        print(f"  {words['sources']}: " + "; ".join(s.url for s in comp.sources))
    print()
    for note in ev.notes(lang):
        print(f"* {note}")
    print(ev.disclaimer(lang))
