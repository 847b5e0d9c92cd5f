"""The NOC classification as one typed, bilingual model: unit groups, the groups above them, the concordance
from the previous version, with look-up by code, quick search and the hierarchy. Built by lib/noc/load.py."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lib.errors import UnknownCode, UserError, render
from lib.text import fold

LEVELS = {"1": "broad", "2": "major", "3": "sub_major", "4": "minor"}   # structure-file level -> group level


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
        return _pick(lang, self.title_fr, self.title_en)


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
    # role -> why an optional file in the folder was not used: {key, params, text}
    skipped: dict = field(default_factory=dict)

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
                (code, fold(f"{ug.title_en} {ug.title_fr}"),
                 tuple(fold(t) for t in ug.example_titles_en + ug.example_titles_fr))
                for code, ug in self.unit_groups.items()
            ]
        return self._folded


def unit_group_from_dict(d: dict) -> UnitGroup:
    """A UnitGroup from plain lists and dicts (the parser's output and the parsed cache share this)."""
    d = dict(d)
    for key, value in d.items():
        if key.startswith("main_duties"):
            d[key] = tuple(DutySection(s["heading"], tuple(s["duties"])) for s in value)
        elif key.startswith("exclusions"):
            d[key] = tuple(Exclusion(e["text"], tuple(e["codes"])) for e in value)
        elif isinstance(value, list):
            d[key] = tuple(value)
    return UnitGroup(**d)
