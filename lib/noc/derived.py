"""The two convenience tables the app reads beside the official NOC files, rebuilt from the official files.

`noc2021_example_titles_en_fr.csv` (every example title, EN and FR) and `noc2021_unit_groups_en_fr.csv` (one row
per unit group with its French title) are not published by Statistics Canada: they are derived from the official
English and French elements and structure files (see the shared data's SOURCES.md). Building them here after a
download means `setup --download` gives the same content the tests check. A manifest entry says which official
files a table is built from (`derived_from`); the builder is chosen by the table's role.
"""
from __future__ import annotations

import csv
from pathlib import Path

from lib import _atomic
from lib.noc.manifest import read_rows
from lib.text import fold

TITLES_HEADER = ["Code - NOC 2021 V1.0", "Language", "Class title", "Example title", "OaSIS 2023 title type (en only)"]
UNIT_GROUPS_HEADER = ["Code - NOC 2021 V1.0", "TEER", "Class title", "Titre de classe (FR)", "Class definition",
                      "Broad category code", "Broad category title", "Major group code", "Major group title",
                      "Sub-major group code", "Sub-major group title", "Minor group code", "Minor group title"]


def _element_columns(header: list[str]) -> tuple[int, int, int, int]:
    """(code, class title, element type, text) columns: the French file has no 'hierarchical structure' column."""
    return (1, 2, 3, 4) if len(header) == 5 else (2, 3, 4, 5)


def _clean_title(text: str) -> str:
    """As in the shared table: first letter upper-cased, double quotes made single (spaces kept as published)."""
    text = text.replace('"', "'")
    return text[:1].upper() + text[1:]


def example_titles(path: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Class titles and example titles per code: 'All examples' in file order, then illustrative ones not listed."""
    header, rows = read_rows(path, 5)
    code_col, title_col, type_col, text_col = _element_columns(header)
    class_titles: dict[str, str] = {}
    listed: dict[str, dict[str, None]] = {}
    illustrative: dict[str, dict[str, None]] = {}
    for row in rows:
        kind = fold(row[type_col])
        if "exempl" not in kind and "exampl" not in kind:
            continue
        code, text = row[code_col].strip().zfill(5), _clean_title(row[text_col])
        if not text.strip():
            continue
        class_titles.setdefault(code, row[title_col].strip())
        target = illustrative if "illustrati" in kind else listed
        target.setdefault(code, {})[text] = None
    titles = {}
    for code in class_titles:
        merged = dict(listed.get(code, {}))
        merged.update((t, None) for t in illustrative.get(code, {}) if t not in merged)
        titles[code] = list(merged)
    return class_titles, titles


def build_titles_en_fr(sources: dict[str, Path], target: Path) -> bool:
    """The bilingual example-title table from the official EN and FR elements files (False: a language has none)."""
    en_class, en_titles = example_titles(sources["elements_en"])
    fr_class, fr_titles = example_titles(sources["elements_fr"])
    if not (en_titles and fr_titles):
        return False  # e.g. a French file without its example rows: the table would hide the French titles
    rows = []
    for code in sorted(set(en_titles) | set(fr_titles)):
        rows += [[code, "en", en_class[code], t, ""] for t in en_titles.get(code, [])]
        rows += [[code, "fr", fr_class[code], t, ""] for t in fr_titles.get(code, [])]
    _write(target, TITLES_HEADER, rows)
    return True


def build_unit_groups_en_fr(sources: dict[str, Path], target: Path) -> bool:
    """One row per unit group: EN title and definition, FR title, and the EN code and title of each parent level."""
    _, en_rows = read_rows(sources["structure_en"], 5)
    _, fr_rows = read_rows(sources["structure_fr"], 5)
    fr_title = {row[2].strip(): row[3].strip() for row in fr_rows if row[3].strip()}
    if not fr_title:
        return False
    titles = {row[2].strip(): row[3].strip() for row in en_rows}
    rows = []
    for row in en_rows:
        if row[0].strip() != "5":
            continue
        code = row[2].strip()
        parents = [part for n in (1, 2, 3, 4) for part in (code[:n], titles.get(code[:n], ""))]
        rows.append([code, code[1], row[3].strip(), fr_title.get(code, ""), row[4].strip(), *parents])
    _write(target, UNIT_GROUPS_HEADER, rows)
    return True


BUILDERS = {"titles_en_fr": build_titles_en_fr, "unit_groups_en_fr": build_unit_groups_en_fr}


def _write(target: Path, header: list[str], rows: list[list[str]]) -> None:
    """UTF-8 without BOM, LF, minimal quoting (like the shared tables); written aside, then moved into place."""
    with _atomic.open_atomic(target, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build_missing(manifest, folder: Path) -> list[str]:
    """Build every derived table that is absent from `folder` and whose official sources are there.

    Returns the names built. Raises NocDataError (from read_rows) when a source file is unusable and OSError
    when the folder is not writable; callers decide whether that matters.
    """
    built = []
    for role, spec in manifest.files.items():
        if not spec.derived_from or role not in BUILDERS:
            continue
        if any((folder / name).is_file() for name in spec.names):
            continue
        sources = {}
        for source_role in spec.derived_from:
            source_spec = manifest.files[source_role]
            path = next((folder / n for n in source_spec.names if (folder / n).is_file()), None)
            if path is None:
                break
            sources[source_role] = path
        else:
            if BUILDERS[role](sources, folder / spec.names[0]):
                built.append(spec.names[0])
    return built
