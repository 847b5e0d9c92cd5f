"""`noc` and `setup` commands: show one unit group, look codes up, and get the official data."""
from __future__ import annotations

import json
import sys

from lib.errors import UserError
from lib.i18n import t
from lib.noc import NocData, UnitGroup, load_noc


def register(subparsers) -> None:
    p = subparsers.add_parser("noc", help="show a NOC unit group (5-digit NOC 2021 or 4-digit NOC 2016 code)")
    p.add_argument("code", nargs="?", help="e.g. 21232, or 2174 (NOC 2016)")
    p.add_argument("--search", metavar="TEXT", help="quick look-up by code prefix or words in titles")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--lang", choices=("en", "fr"), default="en")
    p.set_defaults(func=run_noc)

    s = subparsers.add_parser("setup", help="check the NOC data (and download the official files with --download)")
    s.add_argument("--download", action="store_true",
                   help="fetch the official files (Statistics Canada, else the Open Government Portal), build the "
                        "derived EN/FR tables, and move them into data/noc<version>/ only when all check out")
    s.add_argument("--base-url", help="mirror to download from instead of statcan.gc.ca (files named as in the official URLs)")
    s.add_argument("--dest", help="folder to download into (default: data/noc<version>/)")
    s.add_argument("--index", action="store_true", help="also build the matching index for the configured model")
    s.set_defaults(func=run_setup)


def english_fallbacks(ug: UnitGroup, lang: str) -> list[str]:
    """The fields shown in English because the data has no text for them in `lang`."""
    if lang == "en":
        return []
    fields = {"definition": ug.definition_fr, "main_duties": ug.main_duties_fr,
              "employment_requirements": ug.employment_requirements_fr}
    return [name for name, value in fields.items() if not value and getattr(ug, f"{name}_en")]


def unit_group_dict(noc: NocData, ug: UnitGroup, lang: str) -> dict:
    """The JSON shape of one unit group (both languages where the data has them)."""
    out = {
        "code": ug.code,
        "teer": ug.teer,
        "title": ug.title(lang),
        "title_en": ug.title_en,
        "title_fr": ug.title_fr,
        "definition": ug.definition(lang),
        "main_duties": [{"heading": s.heading, "duties": list(s.duties)} for s in ug.main_duties(lang)],
        "example_titles_en": list(ug.example_titles_en),
        "example_titles_fr": list(ug.example_titles_fr),
        "illustrative_titles_en": list(ug.illustrative_titles_en),
        "employment_requirements": list(ug.employment_requirements(lang)),
        "additional_information": list(ug.additional_information(lang)),
        "inclusions": list(ug.inclusions(lang)),
        "exclusions": [{"text": e.text, "codes": list(e.codes)} for e in ug.exclusions(lang)],
        "hierarchy": [{"level": g.level, "code": g.code, "title": g.title(lang)} for g in noc.hierarchy(ug.code)],
        "profile_url": noc.profile_url(ug.code, lang),
        "noc_version": noc.version,
    }
    if lang != "en":  # what is shown in English, said once here rather than on every line
        out["in_english"] = english_fallbacks(ug, lang)
    return out


def _print_text(noc: NocData, ug: UnitGroup, lang: str) -> None:
    teer = "FÉER" if lang == "fr" else "TEER"
    print(f"{ug.code}  {ug.title(lang)}  ({teer} {ug.teer})")
    if lang == "fr" and ug.title_en != ug.title_fr:
        print(f"       {ug.title_en}")
    print(" > ".join(f"{g.code} {g.title(lang)}" for g in noc.hierarchy(ug.code)))
    print()
    print(ug.definition(lang))
    if english_fallbacks(ug, lang):
        print(t("lib.cli_in_english", lang, fields=", ".join(t(f"lib.cli_field.{f}", lang) for f in english_fallbacks(ug, lang))))
    for section in ug.main_duties(lang):
        print()
        if section.heading:
            print(f"{section.heading}:")
        for duty in section.duties:
            print(f"  - {duty}")
    examples = ug.illustrative_titles(lang) or ug.example_titles(lang)[:8]
    print()
    print(("Exemples : " if lang == "fr" else "Examples: ") + "; ".join(examples))
    print(noc.profile_url(ug.code, lang))


def run_noc(args) -> int:
    if not args.code and not args.search:
        raise UserError("give a NOC code (e.g. 21232) or --search TEXT")
    noc = load_noc()
    if args.search is not None:
        codes = noc.search(args.search)
        if args.json:
            print(json.dumps([{"code": c, "title": noc.get(c).title(args.lang)} for c in codes], ensure_ascii=False, indent=2))
        elif not codes:
            print(f"no unit group matches {args.search!r}", file=sys.stderr)
            return 1
        else:
            for c in codes:
                print(f"{c}  {noc.get(c).title(args.lang)}")
        return 0
    found = noc.lookup_code(args.code)
    if found is None:
        raise UserError(f"{args.code!r} is not a NOC code: use 5 digits (NOC {noc.version}) or 4 digits (NOC {noc.previous_version})")
    groups = [noc.get(c) for c in found.codes]
    if args.json:
        payload = [unit_group_dict(noc, ug, args.lang) for ug in groups]
        if found.kind == f"noc{noc.version}":
            print(json.dumps(payload[0], ensure_ascii=False, indent=2))
        else:
            print(json.dumps({f"noc{noc.previous_version}": found.query, "maps_to": payload}, ensure_ascii=False, indent=2))
        return 0
    if found.kind != f"noc{noc.version}":
        print(f"NOC {noc.previous_version} {found.query} -> NOC {noc.version}: {', '.join(found.codes)}\n")
    for i, ug in enumerate(groups):
        if i:
            print("\n" + "-" * 60 + "\n")
        _print_text(noc, ug, args.lang)
    return 0


def run_setup(args) -> int:
    from lib import noc_setup

    return noc_setup.run(download=args.download, base_url=args.base_url, dest=args.dest, build_index=args.index)
