"""What the rules engine gives: per-component results and the whole evaluation, each text in EN and FR.

The input (questionnaire answers) is answers.Answers; the values of the closed fields are vocab.py's.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lib.programs.schema import Source, Text
from lib.programs.vocab import CLOSED_STATUSES, OVERALL, ConditionState, Confidence, Overall, Status, Verdict

# --- results -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConditionResult:
    id: str
    _text: Text
    state: ConditionState
    confidence: Confidence
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
class ReceptionWindow:
    opens: date
    closes: date
    open_now: bool

    def to_dict(self) -> dict:
        return {"opens": self.opens.isoformat(), "closes": self.closes.isoformat(), "open_now": self.open_now}


@dataclass(frozen=True)
class DrawResult:
    """One PSTQ invitation round (or sub-round) as our sources report it; None = not stated."""
    date: date
    _label: Text
    _region: Text | None
    invitations: int | None
    min_score: int | None
    _note: Text | None
    source: Source
    confidence: str
    all_components: bool            # a total over every component, not a sub-round of this one

    def label(self, lang: str) -> str:
        return self._label.get(lang)

    def region(self, lang: str) -> str | None:
        return self._region.get(lang) if self._region else None

    def note(self, lang: str) -> str | None:
        return self._note.get(lang) if self._note else None

    def to_dict(self, lang: str) -> dict:
        return {"date": self.date.isoformat(), "label": self.label(lang), "region": self.region(lang),
                "invitations": self.invitations, "min_score": self.min_score, "note": self.note(lang),
                "all_components": self.all_components, "source": _source_dict(self.source),
                "confidence": self.confidence}


@dataclass(frozen=True)
class ComponentResult:
    id: str
    program_id: str
    _program_name: Text
    _name: Text
    verdict: Verdict            # by occupation (JSON key "occupation", and "verdict")
    status: Status
    status_since: date | None
    status_until: date | None
    _reasons: tuple[Text, ...]
    conditions: tuple[ConditionResult, ...]
    _notes: tuple[Text, ...]
    sources: tuple[Source, ...]
    confidence: Confidence      # of the occupation verdict and the status (conditions carry their own)
    to_verify: bool
    last_verified: date
    _short_name: Text | None = None
    accepting: bool = False             # takes applications on the date (open, and a reception period if any)
    reception: tuple[ReceptionWindow, ...] | None = None   # None: applications are not limited to periods
    overall: Overall = "maybe"          # can this person apply now
    _overall_reasons: tuple[Text, ...] = ()
    answers_needed: tuple[str, ...] = ()  # questionnaire fields whose answer would settle a "maybe"
    _to_check: tuple[Text, ...] = ()     # facts to check that would settle a "maybe"
    draws: tuple[DrawResult, ...] | None = None   # PSTQ only: recent invitation rounds, newest first
    draws_found_until: date | None = None
    _program_short: Text | None = None

    @property
    def takes_applications(self) -> bool:
        """False when the program is closed or has ended: it takes no new applications, whatever the occupation."""
        return self.status not in CLOSED_STATUSES

    @property
    def verdict_without_applications(self) -> bool:
        """An occupation verdict that must not read as good news: eligible (or conditionally) for a program that
        takes no new applications."""
        return not self.takes_applications and self.verdict in ("eligible", "conditional")

    def program_short_name(self, lang: str) -> str:
        """'PSTQ', 'Food processing pilot': the program's short name, for compact lines."""
        return self._program_short.get(lang) if self._program_short else self.program_name(lang)

    def program_name(self, lang: str) -> str:
        return self._program_name.get(lang)

    def short_name(self, lang: str) -> str:
        """'PSTQ component 1', 'PEQ – Québec graduates': for the summary."""
        return self._short_name.get(lang) if self._short_name else f"{self.program_name(lang)} – {self.name(lang)}"

    def overall_reasons(self, lang: str) -> list[str]:
        return [r.get(lang) for r in self._overall_reasons]

    def overall_reason(self, lang: str) -> str:
        """The summary's one line: the first reason for a 'no', what would settle a 'maybe'."""
        reasons = self.overall_reasons(lang)
        return " ".join(reasons) if self.overall == "maybe" else (reasons[0] if reasons else "")

    def to_check(self, lang: str) -> list[str]:
        return [c.get(lang) for c in self._to_check]

    def name(self, lang: str) -> str:
        return self._name.get(lang)

    def reasons(self, lang: str) -> list[str]:
        return [r.get(lang) for r in self._reasons]

    def notes(self, lang: str) -> list[str]:
        return [n.get(lang) for n in self._notes]

    def to_dict(self, lang: str) -> dict:
        return {"id": self.id, "program": self.program_id, "program_name": self.program_name(lang),
                "name": self.name(lang), "occupation": self.verdict, "verdict": self.verdict, "status": self.status,
                "status_since": _iso(self.status_since), "status_until": _iso(self.status_until),
                "reasons": self.reasons(lang), "conditions": [c.to_dict(lang) for c in self.conditions],
                "notes": self.notes(lang), "sources": [_source_dict(s) for s in self.sources],
                "confidence": self.confidence, "to_verify": self.to_verify,
                "last_verified": self.last_verified.isoformat(),
                "short_name": self.short_name(lang), "program_short_name": self.program_short_name(lang),
                "takes_applications": self.takes_applications, "accepting_applications": self.accepting,
                "reception_periods": [w.to_dict() for w in self.reception] if self.reception is not None else None,
                "overall": self.overall, "overall_reasons": self.overall_reasons(lang),
                "answers_needed": list(self.answers_needed), "to_check": self.to_check(lang),
                **({"draws": [d.to_dict(lang) for d in self.draws],
                    "draws_found_until": _iso(self.draws_found_until)} if self.draws is not None else {})}


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
    sources_until: date | None = None    # how far the research sources go

    def title(self, lang: str) -> str:
        return self._title.get(lang)

    def notes(self, lang: str) -> list[str]:
        """Global notes: the sources' end date, 'eligible by occupation is not enough'."""
        return [n.get(lang) for n in self._notes]

    def disclaimer(self, lang: str) -> str:
        return self._disclaimer.get(lang)

    def ordered(self) -> list[ComponentResult]:
        """Components in answer order: yes, then maybe, then no (data order within each)."""
        return sorted(self.components, key=lambda c: OVERALL.index(c.overall))

    def summary(self, lang: str) -> dict[str, list[dict]]:
        """{"yes": [...], "maybe": [...], "no": [...]}: one line per component, what the page shows first."""
        out: dict[str, list[dict]] = {key: [] for key in OVERALL}
        for comp in self.components:
            out[comp.overall].append({"id": comp.id, "name": comp.short_name(lang), "reason": comp.overall_reason(lang),
                                      "answers_needed": list(comp.answers_needed), "to_check": comp.to_check(lang)})
        return out

    def to_dict(self, lang: str) -> dict:
        return {"code": self.code, "teer": self.teer, "title": self.title(lang), "as_of": self.as_of.isoformat(),
                "noc_version": self.noc_version, "disclaimer": self.disclaimer(lang), "notes": self.notes(lang),
                "rules_last_verified": self.rules_last_verified.isoformat(),
                "sources_until": _iso(self.sources_until),
                "regulated": self.regulated.to_dict(lang) if self.regulated else None,
                "summary": self.summary(lang),
                "components": [c.to_dict(lang) for c in self.components]}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _source_dict(s: Source) -> dict:
    return {"url": s.url, "title": s.title, "read_on": s.read_on.isoformat(), "published": _iso(s.published)}
