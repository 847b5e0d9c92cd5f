"""Schema of the program rules (data/programs.yaml, data/regulated_professions.yaml, data/pstq_draws.yaml).

The rules are data so that a date, a source or a code list can be corrected without touching code;
the schema is strict (unknown keys, missing sources, bad dates, unknown codes fail) because people act
on what the engine says, and a silently ignored typo would be worse than a loud error.
The closed value sets are vocab.py's, the check fields come from answers.Answers, and files are read by
yaml_load.parse (one located line per error).
"""
from __future__ import annotations

import datetime
import itertools
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lib import settings
from lib.programs import answers
from lib.programs.vocab import (
    COMPONENT_IDS,
    NO_SPOUSE,
    TEERS,
    Applications,
    ComponentId,
    Confidence,
    OccupationRule,
    PstqComponentId,
    RegulatedHandling,
    RegulationKind,
    RegulatorBody,
    Status,
)

PROGRAMS_PATH = settings.DATA_DIR / "programs.yaml"
REGULATED_PATH = settings.DATA_DIR / "regulated_professions.yaml"
DRAWS_PATH = settings.DATA_DIR / "pstq_draws.yaml"

# Questionnaire fields a condition may check, with their allowed values (None = a number, compared with min): every
# question but regulated_intent (the occupation rule reads it), and the evaluated code's TEER (not an answer).
CHECK_FIELDS: dict[str, tuple | None] = {
    **{name: None if answers.is_number(name) else answers.options(name)
       for name in answers.FIELDS if name != "regulated_intent"},
    "occupation_teer": tuple(TEERS),
}
# Message templates the engine needs; each must exist in EN and FR in programs.yaml.
REQUIRED_MESSAGES = (
    "teer_in", "teer_not_in", "code_listed", "code_listed_title_only", "code_not_listed",
    "regulated_listed", "regulated_not_listed", "regulated_intent_yes", "regulated_intent_no",
    "regulated_intent_unknown", "regulated_partial", "regulated_construction", "regulated_check_with",
    "regulated_v3_intent_no", "not_occupation_based", "not_covered", "not_in_force_yet",
    "status_unverified_after", "to_verify_occupation", "to_verify_status",
    "to_verify_regulated", "to_verify_condition",
    "or",
    "overall_yes", "no_applications_closed", "no_applications_suspended", "no_applications_ended",
    "no_reception_period", "reception_last", "reception_next", "reception_open", "unmet_min", "unmet_condition",
    "maybe_answer", "maybe_check", "no_teer", "no_code", "no_regulated", "check_status", "check_occupation",
    "check_regulated", "check_title_only", "check_regulated_job",
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A string in both languages; both are required because both languages are first-class."""
    en: str = Field(min_length=1)
    fr: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


class Note(Text):
    """A note, optionally dated: shown only on the dates it covers (e.g. a temporary public policy)."""
    since: date | None = None
    until: date | None = None

    def applies(self, on: date) -> bool:
        return (self.since is None or self.since <= on) and (self.until is None or on <= self.until)


class Fact(Strict):
    """Anything with a confidence; low confidence is always to_verify, so the UI says "to verify"."""
    confidence: Confidence
    to_verify: bool | None = None

    @model_validator(mode="after")
    def _low_means_verify(self):
        return _low_means_verify(self)


def _low_means_verify(model, where: str = ""):
    """Low confidence is always to_verify (an explicit `to_verify: false` fails); to_verify defaults to exactly that."""
    if model.confidence == "low" and model.to_verify is False:
        raise ValueError(f"{where}a low-confidence fact must have to_verify: true")
    if model.to_verify is None:
        object.__setattr__(model, "to_verify", model.confidence == "low")
    return model


class Source(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    url: str = Field(pattern=r"^https://\S+$")
    title: str = Field(min_length=1)
    read_on: date                      # when we read it (stored copy), not when it was published
    published: date | None = None      # the page's own date, when it shows one
    lang: Literal["en", "fr"] = "en"   # the language of the page at `url` (`title` is what English readers see)
    official: bool = False             # a government or legal text (Québec.ca, LégisQuébec), not a secondary source
    title_fr: str | None = Field(default=None, min_length=1)   # the French title (of the French page, if url_fr)
    url_fr: str | None = Field(default=None, pattern=r"^https://\S+$")  # the same page in French, when it exists

    def title_in(self, lang: str) -> str:
        return (self.title_fr if lang == "fr" else None) or self.title

    def url_in(self, lang: str) -> str:
        return (self.url_fr if lang == "fr" else None) or self.url

    def page_lang(self, lang: str) -> str:
        """The language of the page that `url_in(lang)` opens."""
        return "fr" if lang == "fr" and self.url_fr else self.lang


class ReceptionPeriod(Fact):
    """A dated window, inside an open status period, when applications are actually received."""
    opens: date
    closes: date                       # last day, inclusive
    note: Text | None = None
    sources: tuple[str, ...] = ()


class StatusPeriod(Fact):
    status: Status
    since: date
    until: date | None = None          # last day of the period, inclusive; None = still current
    note: Text | None = None
    sources: tuple[str, ...] = ()
    # "reception_periods": open, but applications are received only inside the dated windows listed.
    applications: Applications = "continuous"
    reception_periods: tuple[ReceptionPeriod, ...] = ()

    @model_validator(mode="after")
    def _order(self):
        if self.until is not None and self.until < self.since:
            raise ValueError(f"until {self.until} is before since {self.since}")
        if self.reception_periods and self.applications != "reception_periods":
            raise ValueError("reception_periods need applications: reception_periods")
        if self.applications == "reception_periods" and (self.status != "open" or self.until is None):
            raise ValueError("only an open period with an end date (until) can take applications in reception periods")
        previous = None
        for window in self.reception_periods:
            if window.closes < window.opens:
                raise ValueError(f"reception period closes {window.closes} before it opens {window.opens}")
            if window.opens < self.since or (self.until is not None and window.closes > self.until):
                raise ValueError(f"reception period {window.opens}..{window.closes} is outside its status period")
            if previous is not None and window.opens <= previous.closes:
                raise ValueError(f"reception period opening {window.opens} overlaps the previous one")
            previous = window
        return self


class Check(Strict):
    """How a condition is decided from the questionnaire; values in `unknown` leave it undecided."""
    field: str
    min: float | str | None = None
    in_: tuple[bool | int | str, ...] | None = Field(default=None, alias="in")
    unknown: tuple[bool | int | str, ...] = ()
    met: tuple[str, ...] = ()          # answers that meet it outright (e.g. "none": no accompanying spouse)
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _valid(self):
        if self.field not in CHECK_FIELDS:
            raise ValueError(f"unknown check field {self.field!r}; use one of {', '.join(CHECK_FIELDS)}")
        if (self.min is None) == (self.in_ is None):
            raise ValueError("a check needs exactly one of min or in")
        allowed = CHECK_FIELDS[self.field]
        values = list(self.in_ or ()) + list(self.unknown)
        if self.min is not None:
            if allowed is None and not isinstance(self.min, (int, float)):
                raise ValueError(f"min for {self.field} must be a number")
            if allowed is not None and self.min not in allowed:
                raise ValueError(f"min {self.min!r} is not a value of {self.field}")
        for value in values:
            if allowed is not None and value not in allowed:
                raise ValueError(f"{value!r} is not a value of {self.field}")
        if any(v != NO_SPOUSE or self.field != "spouse_french_oral" for v in self.met):
            raise ValueError(f"met: only {NO_SPOUSE!r} for spouse_french_oral")
        return self


class Condition(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    text: Text
    short: Text | None = None              # a few words for the summary ("authorization to practise")
    check: Check | None = None             # None: the questionnaire cannot answer it (state unknown)
    teer: tuple[int, ...] | None = None    # applies only to occupations of these TEERs
    confidence: Confidence | None = None   # None: the component's confidence
    to_verify: bool | None = None          # None: true exactly when confidence is low

    @model_validator(mode="after")
    def _low_means_verify(self):
        return _low_means_verify(self, f"condition {self.id}: ")


class CodeEntry(Fact):
    code: str = Field(pattern=r"^\d{5}$")
    title_only: Text | None = None         # only this job title within the unit group counts


class Occupation(Fact):
    rule: OccupationRule
    teer: tuple[int, ...] | None = None
    codes: tuple[CodeEntry, ...] | None = None
    # For TEER rules: "exclude" = a regulated profession the person intends to practise belongs elsewhere.
    regulated: RegulatedHandling = "ignore"
    regulated_confidence: Confidence = "high"     # how sure we are of that exclusion itself
    note: Text | None = None

    @model_validator(mode="after")
    def _shape(self):
        if self.rule == "teer" and not self.teer:
            raise ValueError("rule teer needs a teer list")
        if self.teer and any(t not in TEERS for t in self.teer):
            raise ValueError("TEER values are 0 to 5")
        if self.rule == "codes" and not self.codes:
            raise ValueError("rule codes needs a codes list")
        if self.rule != "codes" and self.codes:
            raise ValueError(f"rule {self.rule} takes no codes list")
        if self.codes:
            seen = [c.code for c in self.codes]
            if len(seen) != len(set(seen)):
                raise ValueError("duplicate code in codes list")
        return self


class Component(Fact):
    id: ComponentId
    name: Text
    short_name: Text | None = None          # for the summary ("PSTQ component 1"); None: program + name
    occupation: Occupation
    status_history: tuple[StatusPeriod, ...] | None = None   # None: the program's history
    conditions: tuple[Condition, ...] = ()
    notes: tuple[Note, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)
    last_verified: date


class Program(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: Text
    short_name: Text
    status_history: tuple[StatusPeriod, ...] = Field(min_length=1)
    notes: tuple[Note, ...] = ()
    components: tuple[Component, ...] = Field(min_length=1)


class ProgramsFile(Strict):
    noc_version: str
    last_verified: date
    corpus_until: date                     # research evidence ends here; later statuses are unverified
    disclaimer: Text
    notes: tuple[Text, ...] = ()
    messages: dict[str, Text]
    sources: tuple[Source, ...] = Field(min_length=1)
    programs: tuple[Program, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _cross(self):
        missing = [k for k in REQUIRED_MESSAGES if k not in self.messages]
        if missing:
            raise ValueError(f"messages: missing {', '.join(missing)}")
        source_ids = _unique([s.id for s in self.sources], "source id")
        ids = [c.id for p in self.programs for c in p.components]
        _unique(ids, "component id")
        absent = [i for i in COMPONENT_IDS if i not in ids]
        if absent:
            raise ValueError(f"missing component(s) {', '.join(absent)}")
        for program in self.programs:
            _check_history(program.status_history, f"program {program.id}", source_ids)
            for period in program.status_history:
                _known(period.sources, source_ids, f"program {program.id}")
            for comp in program.components:
                _known(comp.sources, source_ids, f"component {comp.id}")
                if comp.status_history is not None:
                    _check_history(comp.status_history, f"component {comp.id}", source_ids)
                    for period in comp.status_history:
                        _known(period.sources, source_ids, f"component {comp.id}")
                _unique([c.id for c in comp.conditions], f"condition id in {comp.id}")
        return self

    def component_codes(self):
        """(component id, code) for every explicit code, to check against the NOC."""
        for program in self.programs:
            for comp in program.components:
                for entry in comp.occupation.codes or ():
                    yield comp.id, entry.code


class Regulator(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: Text
    body: RegulatorBody
    sources: tuple[str, ...] = Field(min_length=1)


class Regulation(Fact):
    regulator: str
    kind: RegulationKind
    note: Text | None = None


class RegulatedProfession(Strict):
    code: str = Field(pattern=r"^\d{5}$")
    regulations: tuple[Regulation, ...] = Field(min_length=1)


class RegulatedFile(Strict):
    noc_version: str
    last_verified: date
    notes: tuple[Text, ...] = ()
    unlisted: Fact                         # how sure we are that an unlisted code is not regulated
    sources: tuple[Source, ...] = Field(min_length=1)
    regulators: tuple[Regulator, ...] = Field(min_length=1)
    professions: tuple[RegulatedProfession, ...]

    @model_validator(mode="after")
    def _cross(self):
        source_ids = _unique([s.id for s in self.sources], "source id")
        regulator_ids = _unique([r.id for r in self.regulators], "regulator id")
        for reg in self.regulators:
            _known(reg.sources, source_ids, f"regulator {reg.id}")
        _unique([p.code for p in self.professions], "profession code")
        for prof in self.professions:
            for r in prof.regulations:
                if r.regulator not in regulator_ids:
                    raise ValueError(f"code {prof.code}: unknown regulator {r.regulator!r}")
        return self


def _unique(values: list[str], what: str) -> set[str]:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"duplicate {what} {v!r}")
        seen.add(v)
    return seen


class Draw(Fact):
    """One PSTQ invitation round or sub-round, as our sources report it (None = not stated)."""
    date: datetime.date
    components: tuple[PstqComponentId, ...] = Field(min_length=1)
    label: Text                              # "Québec diploma", "priority occupations", "physicians"…
    region: Text | None = None               # a condition on where the person lives or works, if stated
    invitations: int | None = Field(default=None, ge=0)
    min_score: int | None = Field(default=None, ge=0)
    note: Text | None = None
    source: str


class DrawsFile(Strict):
    last_verified: date
    found_until: date                        # the last round our sources cover; later ones may exist
    sources: tuple[Source, ...] = Field(min_length=1)
    draws: tuple[Draw, ...]

    @model_validator(mode="after")
    def _cross(self):
        source_ids = _unique([s.id for s in self.sources], "source id")
        for draw in self.draws:
            _known((draw.source,), source_ids, f"draw of {draw.date}")
            if draw.date > self.found_until:
                raise ValueError(f"draw of {draw.date} is after found_until {self.found_until}")
        return self


def _known(refs, known: set[str], where: str) -> None:
    for ref in refs:
        if ref not in known:
            raise ValueError(f"{where}: unknown source {ref!r}")


def _check_history(history, where: str, source_ids: set[str] | None = None) -> None:
    """Periods are in order and back to back, so every date after the first falls in exactly one."""
    for period in history:
        for window in period.reception_periods:
            if source_ids is not None:
                _known(window.sources, source_ids, f"{where}: reception period {window.opens}")
    for prev, nxt in itertools.pairwise(history):
        if prev.until is None:
            raise ValueError(f"{where}: only the last status period may be open-ended")
        if nxt.since != prev.until + timedelta(days=1):
            raise ValueError(f"{where}: status period starting {nxt.since} does not follow the one ending {prev.until}")
    if any(p.status == "ended" for p in history[:-1]):
        raise ValueError(f"{where}: 'ended' can only be the last status period")
