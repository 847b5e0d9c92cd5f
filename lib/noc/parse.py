"""Parsing the official NOC CSV formats (structure, elements, titles, concordance) into the model of
lib/noc/model.py, and validating the result (lib/noc/load.py calls both)."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from lib.errors import NocDataError
from lib.noc.manifest import Manifest, read_rows
from lib.noc.model import LEVELS, Group, UnitGroup, unit_group_from_dict
from lib.text import fold

_UNIT_CODE = re.compile(r"\b(\d{5})\b")
_MINOR_CODE = re.compile(r"\b(\d{4})\b")


def _key(label: str) -> str:
    """Element type label, EN or FR, reduced to one of our field names."""
    s = fold(label)
    rules = (
        ("illustrati", "illustrative"), ("all example", "examples"), ("tous les exemples", "examples"),
        ("inclusion", "inclusions"), ("exclusion", "exclusions"), ("main dut", "duties"),
        ("fonctions principales", "duties"), ("employment req", "requirements"), ("conditions d'acces", "requirements"),
        ("additional info", "additional"), ("renseignements supp", "additional"), ("information", "additional"),
    )
    return next((field for needle, field in rules if needle in s), "")


def parse_structure(path: Path):
    """Unit groups (code -> (title, definition)) and the groups above them (code -> (level, title, definition))."""
    _, rows = read_rows(path, 5)
    units, groups, seen = {}, {}, set()
    for row in rows:
        level, code, title, definition = row[0].strip(), row[2].strip(), row[3].strip(), row[4].strip()
        if code in seen:
            raise NocDataError(f"{path.name}: code {code} appears twice")
        seen.add(code)
        if level == "5":
            units[code] = (title, definition)
        elif level in LEVELS:
            groups[code] = (LEVELS[level], title, definition)
        else:
            raise NocDataError(f"{path.name}: unknown level {level!r} for code {code!r}")
    return units, groups


_SENTENCE_END = (".", ";", ":", "!", "?", ",")


def _is_heading(text: str, previous: str, source: str, lang: str, first: bool) -> bool:
    """A role heading ("Securities managers", « Physiciens ») rather than a duty.

    The reconstructed EN table says so in its source column. In the official files a heading is a short
    capitalised line without end punctuation: French duties end with "; " (the last one with "."), so in
    French any capitalised line without it is a heading (582 of them, from « Physiciens » to « Les directeurs
    des assurances »); English duties carry no end punctuation, so English also needs the line before to
    have closed a list, a short line and a plural first word.
    """
    if source:
        return "role heading" in source
    if not text[:1].isupper():
        return False
    if lang == "fr":
        return not text.endswith(_SENTENCE_END)
    return ((first or previous.endswith(".")) and not text.endswith(".") and len(text.split()) <= 6
            and text.split()[0].lower().endswith("s"))


def _split_duties(rows: list[tuple[str, str]], lang: str = "en") -> list[dict]:
    """Duty lines grouped under role headings.

    The intro line ("This group performs…:", « Ce groupe exerce… : ») is dropped.
    """
    sections: list[dict] = []
    previous = ""
    for text, source in rows:
        if text.endswith(":") and not sections:
            continue
        is_heading = _is_heading(text, previous, source, lang, not sections)
        if is_heading or not sections:
            sections.append({"heading": text if is_heading else None, "duties": []})
        if not is_heading:
            sections[-1]["duties"].append(text)
        previous = text
    return [s for s in sections if s["duties"] or s["heading"]]


def _exclusion(text: str, minor_to_units: dict[str, list[str]], concordance: dict[str, list[str]]) -> dict:
    """The excluded text and the unit groups it cites: 5-digit codes, 4-digit minor groups (all their unit
    groups), or 4-digit NOC 2016 codes mapped through the concordance; anything else is kept as unknown."""
    codes = _UNIT_CODE.findall(text)
    unknown = []
    for four in _MINOR_CODE.findall(text):
        mapped = minor_to_units.get(four) or concordance.get(four)
        if mapped:
            codes.extend(mapped)
        else:
            unknown.append(four)
    return {"text": text, "codes": list(dict.fromkeys(codes)), "unknown": unknown}


def _element_columns(path: Path, header: list[str]) -> tuple[int, int, int, int | None]:
    """(code, element type, description, reconstruction source) columns, found by header name.

    EN: `Level, Hierarchical structure, Code - NOC 2021 V1.0, Class title, Element Type Label English,
    Element Description English`; FR: `Niveau, Code de la CNP v1.0, Titres de classes, Nom du type d'élément
    Français, Description d'élément Français`.
    """
    folded = [fold(h) for h in header]

    def find(test, column: str) -> int:
        for i, h in enumerate(folded):
            if test(h):
                return i
        raise NocDataError(key=f"lib.noc_no_{column}_column", name=path.name, header=", ".join(header)[:120])

    code = find(lambda h: h.startswith("code"), "code")
    kind = find(lambda h: "type" in h and ("element" in h or "label" in h or "libelle" in h), "type")
    text = find(lambda h: h.startswith("element description") or h.startswith("description"), "description")
    source = next((i for i, h in enumerate(folded) if h == "reconstruction source"), None)
    return code, kind, text, source


def parse_elements(path: Path, minor_to_units: dict[str, list[str]], lang: str = "en",
                   concordance: dict[str, list[str]] | None = None) -> dict[str, dict[str, list]]:
    """code -> field -> values, from an elements CSV (official EN or FR, or the reconstructed EN table)."""
    header, rows = read_rows(path, 4)
    code_col, kind_col, text_col, source_col = _element_columns(path, header)
    needed = max(code_col, kind_col, text_col) + 1
    by_code: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for number, row in enumerate(rows, start=2):
        if len(row) < needed:
            raise NocDataError(key="lib.noc_truncated_row", name=path.name, line=number, found=len(row),
                               expected=needed)
        code, field, text = row[code_col].strip(), _key(row[kind_col]), " ".join(row[text_col].split())
        if not field or not text:
            continue
        if field == "duties":
            source = row[source_col] if source_col is not None and len(row) > source_col else ""
            by_code[code]["_duty_rows"].append((text, source))
        else:
            by_code[code][field].append(text)
    parsed = {}
    for code, fields in by_code.items():
        out = {k: list(dict.fromkeys(v)) for k, v in fields.items() if not k.startswith("_")}
        out["duties"] = _split_duties(fields.get("_duty_rows", []), lang)
        out["exclusions"] = [_exclusion(t, minor_to_units, concordance or {}) for t in out.get("exclusions", [])]
        parsed[code] = out
    return parsed


def validate_elements(name: str, parsed: dict[str, dict[str, list]], unit_codes, expected: int) -> None:
    """One elements file, EN or FR: every unit group (and only those) with main duties, and exclusions that
    cite known codes. Each failure is one line naming the file."""
    unknown = sorted(set(parsed) - set(unit_codes))
    if unknown:
        raise NocDataError(key="lib.noc_elements_unknown_codes", name=name, codes=", ".join(unknown[:5]))
    with_duties = [c for c, f in parsed.items() if any(s["duties"] for s in f.get("duties", []))]
    if len(with_duties) != expected:
        raise NocDataError(key="lib.noc_elements_coverage", name=name, found=len(with_duties), expected=expected)
    for code, fields in parsed.items():
        for exclusion in fields.get("exclusions", []):
            if exclusion.get("unknown"):
                raise NocDataError(key="lib.noc_exclusion_unknown_cited", name=name, code=code,
                                   cited=exclusion["unknown"][0])
            bad = [c for c in exclusion["codes"] if c not in unit_codes]
            if bad:
                raise NocDataError(key="lib.noc_exclusion_unknown_code", name=name, code=code, cited=bad[0])


def parse_titles_en_fr(path: Path) -> dict[str, dict[str, list[str]]]:
    """code -> {"en": [...], "fr": [...]} from the bilingual example-title table."""
    _, rows = read_rows(path, 4)
    titles: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"en": [], "fr": []})
    for row in rows:
        lang = row[1].strip().lower()
        if lang in ("en", "fr") and row[3].strip():
            titles[row[0].strip().zfill(5)][lang].append(" ".join(row[3].split()))
    return titles


def parse_unit_group_fr_titles(path: Path) -> dict[str, str]:
    header, rows = read_rows(path, 4)
    col = next((i for i, h in enumerate(header) if "(FR)" in h), 3)
    return {row[0].strip().zfill(5): row[col].strip() for row in rows if row[col].strip()}


def parse_concordance(path: Path) -> dict[str, list[str]]:
    """Old code -> new codes. StatCan stores the codes without leading zeros."""
    _, rows = read_rows(path, 4)
    mapping: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        old, new = row[0].strip(), row[3].strip()
        if not (old.isdigit() and new.isdigit()):
            raise NocDataError(f"{path.name}: codes must be digits, got {old!r} -> {new!r}")
        mapping[old.zfill(4)].append(new.zfill(5))
    return {k: list(dict.fromkeys(v)) for k, v in mapping.items()}


def parse(manifest: Manifest, files: dict[str, Path]):
    """All present files merged into (unit_groups, groups, concordance, skipped) ready for the model.

    `skipped` maps the role of an optional file that could not be used to its one-line reason.
    """
    units, groups_en = parse_structure(files["structure_en"])
    if len(units) != manifest.unit_group_count:  # checked first: a short file explains every later error
        raise NocDataError(key="lib.noc_structure_count", name=files["structure_en"].name,
                           expected=manifest.unit_group_count, found=len(units))
    units_fr, groups_fr = parse_structure(files["structure_fr"]) if "structure_fr" in files else ({}, {})
    concordance = parse_concordance(files["concordance"]) if "concordance" in files else {}
    minor_to_units: dict[str, list[str]] = defaultdict(list)
    for code in units:
        minor_to_units[code[:4]].append(code)
    el_en = parse_elements(files["elements_en"], minor_to_units, "en", concordance)
    validate_elements(files["elements_en"].name, el_en, units, manifest.unit_group_count)
    el_fr, skipped = {}, {}
    if "elements_fr" in files:
        # Optional: a French file that cannot be used leaves French pages on English text, with one warning.
        try:
            el_fr = parse_elements(files["elements_fr"], minor_to_units, "fr", concordance)
            validate_elements(files["elements_fr"].name, el_fr, units, manifest.unit_group_count)
        except NocDataError as exc:
            el_fr, skipped = {}, {"elements_fr": {"key": exc.key, "params": exc.params, "text": str(exc)}}
    titles = parse_titles_en_fr(files["titles_en_fr"]) if "titles_en_fr" in files else {}
    fr_titles = parse_unit_group_fr_titles(files["unit_groups_en_fr"]) if "unit_groups_en_fr" in files else {}
    unknown_title_codes = sorted(set(titles) - set(units))
    if unknown_title_codes:
        raise NocDataError(key="lib.noc_titles_unknown_codes", name=files["titles_en_fr"].name,
                           codes=", ".join(unknown_title_codes[:5]))

    unit_groups: dict[str, UnitGroup] = {}
    for code, (title_en, definition_en) in units.items():
        en, fr = el_en.get(code, {}), el_fr.get(code, {})
        t = titles.get(code, {"en": [], "fr": []})
        unit_groups[code] = unit_group_from_dict({
            "code": code,
            "teer": int(code[1]),
            "title_en": title_en,
            "title_fr": (units_fr.get(code) or ("", ""))[0] or fr_titles.get(code, ""),
            "definition_en": definition_en,
            "definition_fr": (units_fr.get(code) or ("", ""))[1],
            "main_duties_en": en.get("duties", []),
            "main_duties_fr": fr.get("duties", []),
            "employment_requirements_en": en.get("requirements", []),
            "employment_requirements_fr": fr.get("requirements", []),
            "additional_information_en": en.get("additional", []),
            "additional_information_fr": fr.get("additional", []),
            "exclusions_en": en.get("exclusions", []),
            "exclusions_fr": fr.get("exclusions", []),
            "inclusions_en": en.get("inclusions", []),
            "inclusions_fr": fr.get("inclusions", []),
            "example_titles_en": list(dict.fromkeys(en.get("examples", []) or t["en"])),
            "example_titles_fr": list(dict.fromkeys(fr.get("examples", []) or t["fr"])),
            "illustrative_titles_en": en.get("illustrative", []),
            "illustrative_titles_fr": fr.get("illustrative", []),
        })
    groups = {
        code: Group(code, level, title, (groups_fr.get(code) or (None, None))[1], definition)
        for code, (level, title, definition) in groups_en.items()
    }
    return unit_groups, groups, {k: tuple(v) for k, v in concordance.items()}, skipped


def validate(manifest: Manifest, unit_groups: dict, groups: dict, concordance: dict) -> None:
    """The checks that make the rest of the app safe to trust; each failure is one line."""
    # The unit-group count needs no check here: parse() refused a structure file with another count.
    for code, ug in unit_groups.items():
        if not (len(code) == 5 and code.isdigit()):
            raise NocDataError(f"unit group code {code!r} is not 5 digits")
        if ug.teer != int(code[1]):
            raise NocDataError(f"unit group {code}: TEER {ug.teer} is not the 2nd digit of its code")
        if not ug.example_titles_en:
            raise NocDataError(f"unit group {code} has no example titles: the elements file looks truncated")
        for exclusion in ug.exclusions_en + ug.exclusions_fr:
            bad = [c for c in exclusion.codes if c not in unit_groups]
            if bad:
                raise NocDataError(f"unit group {code}: an exclusion points at unknown code {bad[0]}")
        if code[:4] not in groups:
            raise NocDataError(f"unit group {code} has no minor group {code[:4]} in the structure file")
    bad_targets = sorted({c for codes in concordance.values() for c in codes if c not in unit_groups})
    if bad_targets:
        raise NocDataError(f"the concordance points at unknown NOC {manifest.version} codes {bad_targets[:5]}")
