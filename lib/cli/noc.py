"""`noc` and `setup` commands: show one unit group, look codes up, and get the official data (the printing and
the index build of setup live here, over lib/noc and lib/matching, which never print)."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from tqdm import tqdm

from lib import settings
from lib.errors import NocDataError, UserError
from lib.i18n import t
from lib.noc import NocData, UnitGroup, load_noc
from lib.noc.derived import build_missing
from lib.noc.download import download_files
from lib.noc.manifest import load_manifest


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
    s.add_argument("--base-url",
                   help="mirror to download from instead of statcan.gc.ca (files named as in the official URLs)")
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
    print(f"{ug.code}  {ug.title(lang)}  ({t('common.teer', lang, teer=ug.teer)})")
    if lang == "fr" and ug.title_en != ug.title_fr:
        print(f"       {ug.title_en}")
    print(" > ".join(f"{g.code} {g.title(lang)}" for g in noc.hierarchy(ug.code)))
    print()
    print(ug.definition(lang))
    fallbacks = english_fallbacks(ug, lang)
    if fallbacks:
        print(t("lib.cli_in_english", lang, fields=", ".join(t(f"lib.cli_field.{f}", lang) for f in fallbacks)))
    for section in ug.main_duties(lang):
        print()
        if section.heading:
            print(t("lib.cli_heading", lang, heading=section.heading))
        for duty in section.duties:
            print(f"  - {duty}")
    examples = ug.illustrative_titles(lang) or ug.example_titles(lang)[:8]
    print()
    print(t("lib.cli_examples", lang) + " " + "; ".join(examples))
    print(noc.profile_url(ug.code, lang))


def run_noc(args) -> int:
    if not args.code and not args.search:
        raise UserError("give a NOC code (e.g. 21232) or --search TEXT")
    noc = load_noc()
    if args.search is not None:
        codes = noc.search(args.search)
        if args.json:
            rows = [{"code": c, "title": noc.get(c).title(args.lang)} for c in codes]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        elif not codes:
            print(f"no unit group matches {args.search!r}", file=sys.stderr)
            return 1
        else:
            for c in codes:
                print(f"{c}  {noc.get(c).title(args.lang)}")
        return 0
    found = noc.lookup_code(args.code)
    if found is None:
        raise UserError(f"{args.code!r} is not a NOC code: use 5 digits (NOC {noc.version}) "
                        f"or 4 digits (NOC {noc.previous_version})")
    groups = [noc.get(c) for c in found.codes]
    if args.json:
        payload = [unit_group_dict(noc, ug, args.lang) for ug in groups]
        if found.kind == f"noc{noc.version}":
            print(json.dumps(payload[0], ensure_ascii=False, indent=2))
        else:
            mapped = {f"noc{noc.previous_version}": found.query, "maps_to": payload}
            print(json.dumps(mapped, ensure_ascii=False, indent=2))
        return 0
    if found.kind != f"noc{noc.version}":
        print(t("lib.cli_maps_to", args.lang, previous=noc.previous_version, code=found.query, version=noc.version,
                codes=", ".join(found.codes)) + "\n")
    for i, ug in enumerate(groups):
        if i:
            print("\n" + "-" * 60 + "\n")
        _print_text(noc, ug, args.lang)
    return 0


def run_setup(args) -> int:
    return setup(download=args.download, base_url=args.base_url, dest=args.dest, build_index=args.index)


FRENCH_PARTS = {"titles": "titles", "example_titles": "example titles", "main_duties": "main duties",
                "employment_requirements": "employment requirements", "exclusions": "exclusions",
                "definitions": "lead statements"}


def french_summary(noc) -> str:
    """Which French parts the data has, per unit group; what is missing is shown in English."""
    total, have = len(noc.unit_groups), noc.french_coverage()
    parts = [f"{label} {have[part]}/{total}" for part, label in FRENCH_PARTS.items()]
    missing = [label for part, label in FRENCH_PARTS.items() if have[part] == 0]
    return ", ".join(parts) + (f" (no French {', '.join(missing)}: English is shown)" if missing else "")


def setup(download: bool = False, base_url: str | None = None, dest: str | None = None,
          build_index: bool = False) -> int:
    """Get (with `download`) and check the NOC data, say what is there, and build the matching index if asked."""
    version = settings.noc_version()
    folder = Path(dest) if dest else settings.DATA_DIR / f"noc{version}"
    if download:
        for warning in download_files(folder, base_url, version, report=lambda line: print(line, file=sys.stderr)):
            print(f"warning: {warning}", file=sys.stderr)
    try:
        noc = load_noc(version, data_dir=folder if (download or dest) else None)
        if _build_derived(version, Path(noc.data_dir)):
            noc = load_noc(version, data_dir=noc.data_dir, use_cache=False)
    except NocDataError as exc:
        raise UserError(f"{exc}") from None
    label = noc.label.get("en", noc.version)
    print(f"{label}: {len(noc.unit_groups)} unit groups from {noc.data_dir}")
    for role, name in sorted(noc.sources.items()):
        print(f"  {role:18} {name}")
    print("  French: " + french_summary(noc))
    for line in noc.warnings("en"):
        print(f"warning: {line}", file=sys.stderr)
    if download and not os.environ.get("NOC_DATA_DIR"):
        print(f"The app and CLI will use {folder} from now on.")
    if build_index:
        from lib.matching import get_matcher  # here: numpy, BM25 and the encoders load only when asked for

        bar = tqdm(total=None, desc="index", file=sys.stderr)

        def progress(done: int, total: int, label: str) -> None:
            bar.total, bar.n = total, done
            bar.set_description(label, refresh=False)
            bar.refresh()

        started = time.time()
        matcher = get_matcher(noc, progress=progress)
        bar.close()
        words = {"adapt_s": "model adapted to the NOC in", "index_s": "index built in"}
        spent = "; ".join(f"{words.get(k, k)} {v:.0f} s" for k, v in matcher.setup_times.items())
        print(f"Matching model and index ready ({matcher.encoders['minilm'].name}; {spent or 'loaded from cache'}; "
              f"{time.time() - started:.0f} s in all).")
    return 0


def _build_derived(version: str, folder: Path) -> list[str]:
    """Official files copied by hand (offline): build the derived tables beside them when the folder allows it."""
    try:
        built = build_missing(load_manifest(version), folder)
    except OSError:
        return []  # a read-only folder: the app still runs, with fewer French titles
    for name in built:
        print(f"built {name} from the official files in {folder}", file=sys.stderr)
    return built

