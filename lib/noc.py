"""The NOC classification as one typed, validated, bilingual model; loaded from the data folder with a parsed cache."""
from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from lib import noc_parse, settings
from lib.errors import UnknownCode, UserError, render
from lib.noc_files import Manifest, NocDataError, find_data_dir, load_manifest, locate_files, sha256_of

__all__ = ["load_noc", "NocData", "UnitGroup", "Group", "DutySection", "Exclusion", "CodeLookup", "NocDataError"]

log = logging.getLogger(__name__)
CACHE_FORMAT = 4  # bump when the parsed shape changes so old caches are ignored
LEVELS = ("broad", "major", "sub_major", "minor")


@dataclass(frozen=True)
class DutySection:
    heading: str | None  # a role heading such as "Securities managers", or None
    duties: tuple[str, ...]


@dataclass(frozen=True)
class Exclusion:
    text: str
    codes: tuple[str, ...]  # unit groups it points to


@dataclass(frozen=True)
class Group:
    code: str
    level: str  # broad | major | sub_major | minor
    title_en: str
    title_fr: str | None
    definition_en: str = ""

    def title(self, lang: str) -> str:
        return (self.title_fr if lang == "fr" else None) or self.title_en


def _pick(lang: str, fr, en):
    """French when asked for and present; English otherwise (e.g. lead statements: no French file has them)."""
    return fr if lang == "fr" and fr else en


@dataclass(frozen=True)
class UnitGroup:
    code: str
    teer: int
    title_en: str
    title_fr: str
    definition_en: str
    definition_fr: str = ""
    main_duties_en: tuple[DutySection, ...] = ()
    main_duties_fr: tuple[DutySection, ...] = ()
    employment_requirements_en: tuple[str, ...] = ()
    employment_requirements_fr: tuple[str, ...] = ()
    additional_information_en: tuple[str, ...] = ()
    additional_information_fr: tuple[str, ...] = ()
    exclusions_en: tuple[Exclusion, ...] = ()
    exclusions_fr: tuple[Exclusion, ...] = ()
    inclusions_en: tuple[str, ...] = ()
    inclusions_fr: tuple[str, ...] = ()
    example_titles_en: tuple[str, ...] = ()
    example_titles_fr: tuple[str, ...] = ()
    illustrative_titles_en: tuple[str, ...] = ()
    illustrative_titles_fr: tuple[str, ...] = ()

    def title(self, lang: str) -> str:
        return _pick(lang, self.title_fr, self.title_en)

    def definition(self, lang: str) -> str:
        return _pick(lang, self.definition_fr, self.definition_en)

    def main_duties(self, lang: str) -> tuple[DutySection, ...]:
        return _pick(lang, self.main_duties_fr, self.main_duties_en)

    def duties(self, lang: str) -> tuple[str, ...]:
        return tuple(d for section in self.main_duties(lang) for d in section.duties)

    def example_titles(self, lang: str) -> tuple[str, ...]:
        return _pick(lang, self.example_titles_fr, self.example_titles_en)

    def illustrative_titles(self, lang: str) -> tuple[str, ...]:
        return _pick(lang, self.illustrative_titles_fr, self.illustrative_titles_en)

    def employment_requirements(self, lang: str) -> tuple[str, ...]:
        return _pick(lang, self.employment_requirements_fr, self.employment_requirements_en)

    def additional_information(self, lang: str) -> tuple[str, ...]:
        return _pick(lang, self.additional_information_fr, self.additional_information_en)

    def inclusions(self, lang: str) -> tuple[str, ...]:
        return _pick(lang, self.inclusions_fr, self.inclusions_en)

    def exclusions(self, lang: str) -> tuple[Exclusion, ...]:
        return _pick(lang, self.exclusions_fr, self.exclusions_en)

    def in_language(self, kind: str, text: str, text_lang: str, lang: str) -> tuple[str, str]:
        """One of this group's texts (kind "duty", "title" or "definition", in `text_lang`) in `lang` when the
        data has it there: (text, the language it is in). Until the ranking carries French evidence itself,
        a duty maps by position: the official EN and FR duty lists are parallel in 413 of 516 groups, and in 70
        more once the French "Les physiciens peuvent se spécialiser…" notes (capitalised, absent from the English
        table) are set aside. Otherwise, and for lead statements (no French file has them), it stays as it is."""
        if text_lang == lang:
            return text, lang
        if kind == "duty" and self.main_duties_fr and self.main_duties_en:
            for source, target in _parallel_duties(self.duties(text_lang), self.duties(lang), text_lang):
                if text in source:
                    return target[source.index(text)], lang
        elif kind == "definition" and text == self.definition(text_lang) and self.definition(lang) != text:
            return self.definition(lang), lang
        elif kind == "title" and text == self.title(text_lang) and self.title(lang) != text:
            return self.title(lang), lang
        return text, text_lang

    def has_fr_details(self) -> bool:
        """The official French texts (duties, requirements, exclusions) are loaded for this group."""
        return bool(self.main_duties_fr)


def _parallel_duties(source: tuple[str, ...], target: tuple[str, ...], source_lang: str):
    """(source, target) duty lists of the same length, as they are or without the French capitalised notes."""
    if len(source) == len(target):
        yield source, target
        return
    def duties_only(items):  # French duties start in lower case; « Les physiciens peuvent… » is a note
        return tuple(d for d in items if not d[:1].isupper())
    en_fr = (source, duties_only(target)) if source_lang == "en" else (duties_only(source), target)
    if len(en_fr[0]) == len(en_fr[1]):
        yield en_fr


@dataclass(frozen=True)
class CodeLookup:
    kind: str  # "noc2021" (a unit group) or "noc2016" (an old code mapped through the concordance)
    query: str
    codes: tuple[str, ...]


# "21232", "NOC 21232", "CNP 2021 21232", "21232.00" (OaSIS profile), "2174" (NOC 2016).
_CODE_RE = re.compile(r"(?:(?:noc|cnp)\s*(?:20\d\d)?\s*[:#\-]?\s*)?(\d+)(?:\.\d{2})?")


@dataclass
class NocData:
    version: str
    checksum: str
    label: dict
    unit_groups: dict[str, UnitGroup]
    groups: dict[str, Group]
    concordance: dict[str, tuple[str, ...]]  # previous-version code -> codes of this version
    previous_version: str | None
    profile_urls: dict
    data_dir: str = ""
    sources: dict = field(default_factory=dict)  # role -> file name used
    skipped: dict = field(default_factory=dict)  # role -> why an optional file in the folder was not used: {key, params, text}

    @property
    def has_fr_details(self) -> bool:
        return any(ug.has_fr_details() for ug in self.unit_groups.values())

    def warnings(self, lang: str) -> list[str]:
        """One line per optional file that was present but unusable (e.g. a broken French elements file)."""
        return [render("lib.noc_optional_skipped", lang, {"reason": render(s["key"], lang, s["params"])})
                for s in self.skipped.values()]

    def french_coverage(self) -> dict[str, int]:
        """How many unit groups have each French part (the rest falls back to English)."""
        parts = {"titles": "title_fr", "example_titles": "example_titles_fr", "main_duties": "main_duties_fr",
                 "employment_requirements": "employment_requirements_fr", "exclusions": "exclusions_fr",
                 "definitions": "definition_fr"}
        return {part: sum(bool(getattr(ug, name)) for ug in self.unit_groups.values()) for part, name in parts.items()}

    def get(self, code: str) -> UnitGroup:
        try:
            return self.unit_groups[code]
        except (KeyError, TypeError):
            raise UnknownCode(key="lib.code_unknown", code=str(code), version=self.version) from None

    def hierarchy(self, code: str) -> list[Group]:
        """Broad category, major, sub-major and minor group above a unit group (NOC codes nest by prefix)."""
        self.get(code)
        return [self.groups[code[:n]] for n in range(1, 5) if code[:n] in self.groups]

    def children(self, code: str = "") -> list[str]:
        """Codes one level below `code` ("" = the broad categories), in code order."""
        pool = self.unit_groups if len(code) == 4 else self.groups
        return [c for c in pool if len(c) == len(code) + 1 and c.startswith(code)]

    def lookup_code(self, text: str) -> CodeLookup | None:
        """A NOC code typed by a person, resolved; None when the text is not a code at all."""
        match = _CODE_RE.fullmatch((text or "").strip().lower())
        if not match:
            return None
        digits = match.group(1)
        if len(digits) == 5:
            self.get(digits)
            return CodeLookup(f"noc{self.version}", digits, (digits,))
        if len(digits) == 4 and self.previous_version:
            codes = self.concordance.get(digits)
            if not codes:
                if not self.concordance:
                    raise UserError(key="lib.code_no_concordance", previous=self.previous_version)
                raise UnknownCode(key="lib.code_unknown", code=digits, version=self.previous_version)
            return CodeLookup(f"noc{self.previous_version}", digits, codes)
        raise UserError(key="lib.code_not_a_code", digits=digits, version=self.version, previous=self.previous_version)

    def profile_url(self, code: str, lang: str = "en") -> str:
        return self.profile_urls.get(lang, self.profile_urls["en"]).format(code=code)

    def search(self, text: str, limit: int = 20) -> list[str]:
        """Quick look-up by code prefix or by words in titles and example titles (accent- and case-blind)."""
        needle = fold(text)
        if not needle:
            return []
        if needle.isdigit():
            return [c for c in self.unit_groups if c.startswith(needle)][:limit]
        words = needle.split()
        scored = []
        for code, main, examples in self._search_index():
            if all(w in main for w in words):
                scored.append((0, code))
            elif any(all(w in title for w in words) for title in examples):
                scored.append((1, code))
        return [code for _, code in sorted(scored)][:limit]


    def _search_index(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """Folded titles, built on first search (per process) rather than at load."""
        if not hasattr(self, "_folded"):
            self._folded = [
                (code, fold(f"{ug.title_en} {ug.title_fr}"), tuple(fold(t) for t in ug.example_titles_en + ug.example_titles_fr))
                for code, ug in self.unit_groups.items()
            ]
        return self._folded


def fold(text: str) -> str:
    """Lower case without accents, for forgiving look-ups."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def _checksum(files: dict[str, Path]) -> str:
    parts = [f"format{CACHE_FORMAT}"] + [f"{role}:{path.name}:{sha256_of(path)}" for role, path in sorted(files.items())]
    return noc_parse.sha256_text("\n".join(parts))


def _from_cache(raw: dict):
    def unit_group(d: dict) -> UnitGroup:
        for key, value in d.items():
            if key.startswith("main_duties"):
                d[key] = tuple(DutySection(s["heading"], tuple(s["duties"])) for s in value)
            elif key.startswith("exclusions"):
                d[key] = tuple(Exclusion(e["text"], tuple(e["codes"])) for e in value)
            elif isinstance(value, list):
                d[key] = tuple(value)
        return UnitGroup(**d)

    unit_groups = {d["code"]: unit_group(d) for d in raw["unit_groups"]}
    groups = {d["code"]: Group(**d) for d in raw["groups"]}
    concordance = {k: tuple(v) for k, v in raw["concordance"].items()}
    return unit_groups, groups, concordance, dict(raw["skipped"])


def _cache_path(version: str, checksum: str) -> Path:
    return settings.CACHE_DIR / f"noc{version}-{checksum[:16]}.json"


def _read_cache(path: Path):
    try:
        return _from_cache(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or corrupt: rebuilt from the sources, never trusted


def _write_cache(path: Path, unit_groups, groups, concordance, skipped) -> None:
    payload = {
        "unit_groups": [asdict(ug) for ug in unit_groups.values()],
        "groups": [asdict(g) for g in groups.values()],
        "concordance": concordance,
        "skipped": skipped,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only checkout still works, only slower


def load_noc(version: str | None = None, data_dir: str | Path | None = None, use_cache: bool = True) -> NocData:
    """Load and validate one NOC version, once per process and folder; raises NocDataError (one line)."""
    manifest: Manifest = load_manifest(version)
    folder = Path(data_dir) if data_dir else find_data_dir(manifest)
    if not folder.is_dir():
        raise NocDataError(key="lib.noc_folder_missing", folder=str(folder))
    if not use_cache:
        return _load(manifest.version, str(folder.resolve()), False)
    return _load_once(manifest.version, str(folder.resolve()))


def _load(version: str, folder_name: str, use_cache: bool) -> NocData:
    manifest = load_manifest(version)
    folder = Path(folder_name)
    files = locate_files(manifest, folder)
    checksum = _checksum(files)
    cache = _cache_path(manifest.version, checksum)
    parsed = _read_cache(cache) if use_cache else None
    if parsed is None:
        parsed = noc_parse.parse(manifest, files)
        noc_parse.validate(manifest, *parsed[:3])
        if use_cache:
            _write_cache(cache, *parsed)
    unit_groups, groups, concordance, skipped = parsed
    if skipped:
        log.warning("%s", "; ".join(s["text"] for s in skipped.values()))
    return NocData(
        version=manifest.version,
        checksum=checksum,
        label=manifest.label,
        unit_groups=unit_groups,
        groups=groups,
        concordance=concordance,
        previous_version=manifest.previous_version,
        profile_urls=manifest.profile_url,
        data_dir=str(folder),
        sources={role: path.name for role, path in files.items() if role not in skipped},
        skipped=skipped,
    )


@lru_cache(maxsize=4)
def _load_once(version: str, folder_name: str) -> NocData:
    return _load(version, folder_name, True)
