"""What the rules engine takes and gives: questionnaire answers and per-component results (EN/FR)."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from lib.errors import UserError
from lib.rules_schema import CHECK_FIELDS, DIPLOMA_LEVELS, Source, Text


# --- questionnaire answers ---------------------------------------------------------------------

@dataclass(frozen=True)
class Answers:
    """What the person told us; None = not answered. Field names double as share-link keys."""
    regulated_intent: str | None = None          # "yes" | "no" | "unsure"
    experience_years: float | None = None        # full-time years in the main occupation (last 5 years)
    quebec_experience_years: float | None = None  # of which in Québec
    french_oral: int | None = None               # Échelle québécoise, 0-12
    french_written: int | None = None
    diploma: str | None = None                   # one of DIPLOMA_LEVELS
    diploma_from_quebec: bool | None = None
    status_in_quebec: str | None = None          # "outside" | "temporary_worker" | "student" | "other"

    def __post_init__(self):
        choices = {"regulated_intent": ("yes", "no", "unsure"), "diploma": DIPLOMA_LEVELS,
                   "status_in_quebec": CHECK_FIELDS["status_in_quebec"]}
        for name, allowed in choices.items():
            value = getattr(self, name)
            if value is not None and value not in allowed:
                raise UserError(f"{name}: {value!r} is not one of {', '.join(allowed)}")
        for name, top in (("experience_years", 60), ("quebec_experience_years", 60),
                          ("french_oral", 12), ("french_written", 12)):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= top:
                raise UserError(f"{name}: {value!r} must be a number from 0 to {top}")
            if name.startswith("french") and int(value) != value:
                raise UserError(f"{name}: {value!r} must be a whole level from 0 to 12")
        if self.diploma_from_quebec is not None and not isinstance(self.diploma_from_quebec, bool):
            raise UserError(f"diploma_from_quebec: {self.diploma_from_quebec!r} must be true or false")

    @classmethod
    def from_dict(cls, data: dict) -> "Answers":
        """Build from strings (a share link, a form); unknown keys are ignored, bad values raise UserError."""
        values: dict = {}
        for f in fields(cls):
            raw = data.get(f.name)
            if raw is None or raw == "":
                continue
            if f.name in ("experience_years", "quebec_experience_years", "french_oral", "french_written"):
                try:
                    num = float(raw)
                except (TypeError, ValueError):
                    raise UserError(f"{f.name}: {raw!r} is not a number") from None
                values[f.name] = int(num) if f.name.startswith("french") and num.is_integer() else num
            elif f.name == "diploma_from_quebec":
                text = str(raw).strip().lower()
                if text not in ("true", "false", "1", "0", "yes", "no"):
                    raise UserError(f"diploma_from_quebec: {raw!r} must be true or false")
                values[f.name] = text in ("true", "1", "yes")
            else:
                values[f.name] = str(raw)
        return cls(**values)

    def to_dict(self) -> dict:
        """Only the answered fields, as plain JSON values."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


# --- results -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Condition:
    id: str
    _text: Text
    state: str                  # "met" | "not_met" | "unknown"
    confidence: str
    to_verify: bool

    def text(self, lang: str) -> str:
        return self._text.get(lang)

    def to_dict(self, lang: str) -> dict:
        return {"id": self.id, "text": self.text(lang), "state": self.state,
                "confidence": self.confidence, "to_verify": self.to_verify}


@dataclass(frozen=True)
class RegulatedEntry:
    regulator_id: str
    _name: Text
    body: str                   # "professional_order" | "other"
    kind: str                   # "fully" | "partially" | "construction_only"
    confidence: str
    to_verify: bool
    _note: Text | None = None

    def regulator(self, lang: str) -> str:
        return self._name.get(lang)

    def note(self, lang: str) -> str | None:
        return self._note.get(lang) if self._note else None


@dataclass(frozen=True)
class RegulatedInfo:
    """How (and by whom) an occupation is regulated in Québec, from our best-effort list."""
    code: str
    kind: str
    confidence: str
    to_verify: bool
    entries: tuple[RegulatedEntry, ...]
    _kind_label: Text
    _check_with: Text
    sources: tuple[Source, ...]

    def kind_label(self, lang: str) -> str:
        return self._kind_label.get(lang)

    def regulators(self, lang: str) -> list[str]:
        return [e.regulator(lang) for e in self.entries]

    def check_with(self, lang: str) -> str:
        """What to do when unsure: ask Qualifications Québec or the regulator."""
        return self._check_with.get(lang)

    def to_dict(self, lang: str) -> dict:
        return {"kind": self.kind, "kind_label": self.kind_label(lang), "confidence": self.confidence,
                "to_verify": self.to_verify, "check_with": self.check_with(lang),
                "regulators": [{"id": e.regulator_id, "name": e.regulator(lang), "kind": e.kind,
                                "confidence": e.confidence, "to_verify": e.to_verify, "note": e.note(lang)}
                               for e in self.entries],
                "sources": [_source_dict(s) for s in self.sources]}


@dataclass(frozen=True)
class ComponentResult:
    id: str
    program_id: str
    _program_name: Text
    _name: Text
    occupation: str             # eligible | not_eligible | conditional | not_occupation_based | not_covered
    status: str                 # open | suspended | closed | ended
    status_since: date | None
    status_until: date | None
    _reasons: tuple[Text, ...]
    conditions: tuple[Condition, ...]
    _notes: tuple[Text, ...]
    sources: tuple[Source, ...]
    confidence: str             # of the occupation verdict and the status (conditions carry their own)
    to_verify: bool
    last_verified: date
    _status_label: Text = field(default=None)

    def program_name(self, lang: str) -> str:
        return self._program_name.get(lang)

    def name(self, lang: str) -> str:
        return self._name.get(lang)

    def reasons(self, lang: str) -> list[str]:
        return [r.get(lang) for r in self._reasons]

    def notes(self, lang: str) -> list[str]:
        return [n.get(lang) for n in self._notes]

    def status_label(self, lang: str) -> str:
        return self._status_label.get(lang)

    def to_dict(self, lang: str) -> dict:
        return {"id": self.id, "program": self.program_id, "program_name": self.program_name(lang),
                "name": self.name(lang), "occupation": self.occupation, "status": self.status,
                "status_since": _iso(self.status_since), "status_until": _iso(self.status_until),
                "reasons": self.reasons(lang), "conditions": [c.to_dict(lang) for c in self.conditions],
                "notes": self.notes(lang), "sources": [_source_dict(s) for s in self.sources],
                "confidence": self.confidence, "to_verify": self.to_verify,
                "last_verified": self.last_verified.isoformat()}


@dataclass(frozen=True)
class Evaluation:
    code: str
    teer: int
    _title: Text
    as_of: date
    components: list[ComponentResult]
    regulated: RegulatedInfo | None
    _notes: tuple[Text, ...]
    _disclaimer: Text
    noc_version: str
    rules_last_verified: date

    def title(self, lang: str) -> str:
        return self._title.get(lang)

    def notes(self, lang: str) -> list[str]:
        """Global notes: the sources' end date, 'eligible by occupation is not enough'."""
        return [n.get(lang) for n in self._notes]

    def disclaimer(self, lang: str) -> str:
        return self._disclaimer.get(lang)

    def component(self, component_id: str) -> ComponentResult:
        for comp in self.components:
            if comp.id == component_id:
                return comp
        raise KeyError(component_id)

    def to_dict(self, lang: str) -> dict:
        return {"code": self.code, "teer": self.teer, "title": self.title(lang), "as_of": self.as_of.isoformat(),
                "noc_version": self.noc_version, "disclaimer": self.disclaimer(lang), "notes": self.notes(lang),
                "rules_last_verified": self.rules_last_verified.isoformat(),
                "regulated": self.regulated.to_dict(lang) if self.regulated else None,
                "components": [c.to_dict(lang) for c in self.components]}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _source_dict(s: Source) -> dict:
    return {"url": s.url, "title": s.title, "read_on": s.read_on.isoformat(), "published": _iso(s.published)}
