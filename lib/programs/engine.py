"""Program rules engine: for one NOC code, which Québec skilled-worker components fit, why, and when.

The rules themselves are data (data/programs.yaml, data/regulated_professions.yaml, data/pstq_draws.yaml, schema in
schema.py, loaded by rules.py); this module only applies them: `evaluate` gives the results.py objects,
`regulated_info` says how a code is regulated. Every verdict carries its reasons in both
languages, the status at a date taken from a dated history, sources and a confidence, because people act on it and
must be able to check it. Labels (verdicts, statuses) are not here: they are UI strings, rendered by report.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import get_args

from lib import i18n
from lib.programs.answers import Answers
from lib.programs.results import (
    ComponentResult,
    ConditionResult,
    DrawResult,
    Evaluation,
    ReceptionWindow,
    RegulatedEntry,
    RegulatedInfo,
)
from lib.programs.rules import Rules
from lib.programs.schema import Source, Text
from lib.programs.vocab import (
    CONFIDENCE_RANK,
    DIPLOMAS,
    PSTQ_COMPONENTS,
    ConditionState,
    Overall,
    RegulationKind,
    Verdict,
)

KINDS = get_args(RegulationKind)
KIND_STRENGTH = {kind: len(KINDS) - rank for rank, kind in enumerate(KINDS)}   # fully > partially > construction


def evaluate(code: str, noc, rules: Rules, answers: Answers | None = None,
             as_of: date | None = None) -> Evaluation:
    """Verdicts for every component for one NOC code; raises UnknownCode for a code NOC does not have."""
    answers = answers or Answers()
    as_of = as_of or date.today()
    unit_group = noc.get(str(code).strip())
    regulated = regulated_info(unit_group.code, rules)
    components = [_component(program, comp, unit_group, regulated, answers, as_of, rules)
                  for program in rules.programs.programs for comp in program.components]
    return Evaluation(code=unit_group.code, teer=unit_group.teer,
                      _title=Text(en=unit_group.title("en"), fr=unit_group.title("fr")), as_of=as_of,
                      components=components, regulated=regulated, _notes=rules.programs.notes,
                      _disclaimer=rules.programs.disclaimer, noc_version=noc.version,
                      rules_last_verified=rules.programs.last_verified, sources_until=rules.programs.corpus_until)


def regulated_info(code: str, rules: Rules) -> RegulatedInfo | None:
    """How (and by whom) the occupation is regulated in Québec, from our list; None when it is not listed."""
    prof = rules.regulated_by_code.get(code)
    if prof is None:
        return None
    # Strongest kind first; among equals, the best-established mapping first.
    ordered = sorted(prof.regulations, key=lambda r: (-KIND_STRENGTH[r.kind], -CONFIDENCE_RANK[r.confidence]))
    entries = tuple(RegulatedEntry(r.regulator, rules.regulators[r.regulator].name,
                                   rules.regulators[r.regulator].body, r.kind, r.confidence, bool(r.to_verify),
                                   r.note) for r in ordered)
    main = entries[0]
    sources = _dedupe(rules.regulated_sources[s] for e in entries for s in rules.regulators[e.regulator_id].sources)
    return RegulatedInfo(code=code, kind=main.kind, confidence=main.confidence, to_verify=main.to_verify,
                         entries=entries, _kind_label=_ui_text(f"regulation_kind.{main.kind}"),
                         _check_with=rules.message("regulated_check_with"), sources=sources)


def _dedupe(sources) -> tuple[Source, ...]:
    seen: dict[str, Source] = {}
    for s in sources:
        seen.setdefault(s.url, s)
    return tuple(seen.values())


def status_at(history, as_of: date):
    """The status period covering as_of, or None when as_of is before the first one."""
    for period in history:
        if period.since <= as_of and (period.until is None or as_of <= period.until):
            return period
    return None


def day_before(d: date) -> date:
    return d - timedelta(days=1)


def _teers(values, rules: Rules) -> Text:
    """'0–2' for a run of TEERs, otherwise '0, 1 or 3' (the joining word per language)."""
    values = sorted(values)
    if len(values) > 1 and values == list(range(values[0], values[-1] + 1)):
        return Text(en=f"{values[0]}–{values[-1]}", fr=f"{values[0]}–{values[-1]}")
    if len(values) == 1:
        return Text(en=str(values[0]), fr=str(values[0]))
    joiner = rules.programs.messages["or"]
    head = ", ".join(str(v) for v in values[:-1])
    return Text(en=f"{head} {joiner.en} {values[-1]}", fr=f"{head} {joiner.fr} {values[-1]}")


def _check(check, answers: Answers, teer: int) -> ConditionState:
    if check is None:
        return "unknown"
    value = teer if check.field == "occupation_teer" else getattr(answers, check.field)
    if value is None or value in check.unknown:
        return "unknown"
    if value in check.met:
        return "met"
    if check.in_ is not None:
        return "met" if value in check.in_ else "not_met"
    if check.field == "diploma":
        return "met" if DIPLOMAS.index(value) >= DIPLOMAS.index(check.min) else "not_met"
    return "met" if value >= check.min else "not_met"


class _Facts:
    """Collects the confidence and to_verify of every fact a verdict used, and what would settle a doubt."""

    def __init__(self):
        self.confidence = "high"
        self.to_verify = False
        self.answers: list[str] = []      # questionnaire fields whose answer is missing
        self.checks: list[Text] = []      # facts the person should check
        self.no_reason: Text | None = None  # a short 'not your occupation' line for the summary

    def add(self, confidence: str, to_verify: bool, check: Text | None = None) -> None:
        if CONFIDENCE_RANK[confidence] < CONFIDENCE_RANK[self.confidence]:
            self.confidence = confidence
        self.to_verify = self.to_verify or bool(to_verify)
        if to_verify and check is not None:
            self.check(check)

    def answer(self, field: str) -> None:
        if field not in self.answers:
            self.answers.append(field)

    def check(self, fact: Text) -> None:
        if all(fact.en != c.en for c in self.checks):
            self.checks.append(fact)


@dataclass
class _Case:
    """What an occupation rule looks at, and where it writes: the reasons and notes of the component's result."""
    ug: object                          # the NOC unit group being evaluated
    regulated: RegulatedInfo | None
    intent: str | None                  # Answers.regulated_intent
    rules: Rules
    facts: _Facts
    reasons: list[Text]
    notes: list[Text]

    @property
    def base(self) -> dict:
        title = Text(en=self.ug.title("en"), fr=self.ug.title("fr"))
        return {"title": title, "code": self.ug.code, "teer": self.ug.teer}

    @property
    def reg_params(self) -> dict:
        names = Text(en=", ".join(self.regulated.regulators("en")), fr=", ".join(self.regulated.regulators("fr")))
        return {**self.base, "kind": self.regulated._kind_label, "regulators": names}

    def say(self, key: str, **params) -> None:
        self.reasons.append(self.rules.message(key, **params))

    def undecided_intent(self) -> Verdict:
        """'conditional': ask whether they will practise it, or (answered 'unsure') have them check the job."""
        if self.intent is None:
            self.facts.answer("regulated_intent")
        else:
            self.facts.check(self.rules.message("check_regulated_job"))
        return "conditional"


def _occupation(comp, ug, regulated: RegulatedInfo | None, answers: Answers, rules: Rules, facts: _Facts,
                reasons: list, notes: list) -> Verdict:
    """The occupation verdict for one component, with its reasons; records which facts it relied on."""
    occ = comp.occupation
    case = _Case(ug, regulated, answers.regulated_intent, rules, facts, reasons, notes)
    if occ.rule in ("not_occupation_based", "not_covered"):
        case.say(occ.rule)
        return occ.rule
    return _BY_RULE[occ.rule](occ, case)


def _by_codes(occ, case: _Case) -> Verdict:
    """Rule 'codes': the listed unit groups (optionally one job title within one)."""
    rules, facts = case.rules, case.facts
    entry = next((e for e in occ.codes if e.code == case.ug.code), None)
    if entry is None:
        case.say("code_not_listed", **case.base)
        facts.no_reason = rules.message("no_code")
        return "not_eligible"
    facts.add(entry.confidence, entry.to_verify, rules.message("check_occupation"))
    if entry.title_only is not None:
        case.say("code_listed_title_only", restriction=entry.title_only, **case.base)
        facts.check(rules.message("check_title_only", restriction=entry.title_only))
        return "conditional"
    case.say("code_listed", **case.base)
    return "eligible"


def _by_regulated(occ, case: _Case) -> Verdict:
    """Rule 'regulated' (PSTQ component 3): a regulated profession the person means to practise."""
    rules, facts, regulated = case.rules, case.facts, case.regulated
    if regulated is None:
        unlisted = rules.regulated_file.unlisted
        facts.add(unlisted.confidence, unlisted.to_verify, rules.message("check_regulated"))
        case.say("regulated_not_listed", **case.base)
        case.notes.append(rules.message("regulated_check_with"))
        facts.no_reason = rules.message("no_regulated")
        return "not_eligible"
    facts.add(regulated.confidence, regulated.to_verify, rules.message("check_regulated"))
    case.say("regulated_listed", **case.reg_params)
    if case.intent == "no":
        case.say("regulated_v3_intent_no")
        return "not_eligible"
    if case.intent == "yes" or regulated.kind == "fully":
        return "eligible"
    case.say("regulated_partial" if regulated.kind == "partially" else "regulated_construction", **case.reg_params)
    return case.undecided_intent()


def _by_teer(occ, case: _Case) -> Verdict:
    """Rule 'teer': the TEER categories listed; with regulated: exclude, a regulated profession the person means to
    practise belongs to PSTQ component 3 instead."""
    rules, facts, regulated, ug = case.rules, case.facts, case.regulated, case.ug
    teers = _teers(occ.teer, rules)
    if ug.teer not in occ.teer:
        case.say("teer_not_in", teers=teers, **case.base)
        facts.no_reason = rules.message("no_teer", teers=teers, **case.base)
        return "not_eligible"
    case.say("teer_in", teers=teers, **case.base)
    if occ.regulated != "exclude" or regulated is None:
        return "eligible"
    facts.add(regulated.confidence, regulated.to_verify, rules.message("check_regulated"))
    facts.add(occ.regulated_confidence, False)
    case.say("regulated_listed", **case.reg_params)
    if case.intent == "yes":
        case.say("regulated_intent_yes", **case.reg_params)
        return "not_eligible"
    if case.intent == "no":
        case.say("regulated_intent_no", **case.reg_params)
        return "eligible"
    case.say("regulated_intent_unknown", **case.reg_params)
    return case.undecided_intent()


_BY_RULE = {"codes": _by_codes, "regulated": _by_regulated, "teer": _by_teer}


def _component(program, comp, ug, regulated: RegulatedInfo | None, answers: Answers, as_of: date,
               rules: Rules) -> ComponentResult:
    facts = _Facts()
    facts.add(comp.confidence, comp.to_verify, rules.message("check_status"))
    facts.add(comp.occupation.confidence, comp.occupation.to_verify, rules.message("check_occupation"))
    reasons: list[Text] = []
    notes: list[Text] = []
    verdict = _occupation(comp, ug, regulated, answers, rules, facts, reasons, notes)
    if comp.occupation.note is not None:
        notes.append(comp.occupation.note)
    if facts.to_verify:
        notes.append(rules.message("to_verify_occupation"))
    uses_regulated = regulated is not None and (comp.occupation.rule == "regulated" or (
        comp.occupation.rule == "teer" and comp.occupation.regulated == "exclude" and ug.teer in comp.occupation.teer))
    if uses_regulated and regulated.to_verify:
        notes.append(rules.message("to_verify_regulated"))
        notes.append(rules.message("regulated_check_with"))

    # Status at the date, from the component's own history or the program's.
    history = comp.status_history or program.status_history
    period = status_at(history, as_of)
    source_ids = list(comp.sources)
    reception = None
    if period is None:
        status, since, until = "closed", None, day_before(history[0].since)
        not_yet = rules.message("not_in_force_yet", as_of=as_of.isoformat(), since=history[0].since.isoformat())
        notes.append(not_yet)
        accepting, status_reason = False, not_yet
    else:
        status, since, until = period.status, period.since, period.until
        facts.add(period.confidence, period.to_verify, rules.message("check_status"))
        if period.note is not None:
            notes.append(period.note)
        if period.to_verify:
            notes.append(rules.message("to_verify_status"))
        source_ids.extend(period.sources)
        corpus_until = rules.programs.corpus_until
        if as_of > corpus_until and period.until is None and status != "ended":
            notes.append(rules.message("status_unverified_after", corpus_until=corpus_until.isoformat()))
        accepting, status_reason, reception = _applications(period, as_of, rules, facts, notes, source_ids)

    conditions = []
    unmet: list[Text] = []
    for cond in comp.conditions:
        if cond.teer is not None and ug.teer not in cond.teer:
            continue    # e.g. PSTQ 3 French levels depend on the profession's TEER
        state = _check(cond.check, answers, ug.teer)
        conditions.append(ConditionResult(cond.id, cond.text, state, cond.confidence or comp.confidence,
                                          cond.to_verify))
        if cond.to_verify:
            notes.append(rules.message("to_verify_condition"))
            facts.check(cond.short or cond.text)
        if state == "not_met":
            unmet.append(_unmet(cond, answers, rules))
        elif state == "unknown":
            answered = cond.check is not None and cond.check.field != "occupation_teer" and \
                getattr(answers, cond.check.field) is not None
            if cond.check is None or cond.check.field == "occupation_teer" or answered:
                facts.check(cond.short or cond.text)      # no question settles it, or the answer is not enough
            else:
                facts.answer(cond.check.field)
    notes.extend(n for n in comp.notes if n.applies(as_of))
    notes.extend(n for n in program.notes if n.applies(as_of))

    overall, overall_reasons = _overall(verdict, accepting, status_reason, reasons, unmet, facts, rules)
    draws, found_until = _draws(comp.id, as_of, rules)
    sources = [rules.sources[s] for s in source_ids]
    if uses_regulated:
        sources.extend(regulated.sources)
    return ComponentResult(
        id=comp.id, program_id=program.id, _program_name=program.name, _name=comp.name, verdict=verdict,
        status=status, status_since=since, status_until=until, _reasons=tuple(reasons),
        conditions=tuple(conditions), _notes=tuple(_unique_texts(notes)), sources=_dedupe(sources),
        confidence=facts.confidence, to_verify=facts.to_verify, last_verified=comp.last_verified,
        _short_name=comp.short_name, accepting=accepting,
        reception=reception, overall=overall, _overall_reasons=tuple(overall_reasons),
        answers_needed=tuple(facts.answers) if overall == "maybe" else (),
        _to_check=tuple(facts.checks) if overall == "maybe" else (), draws=draws, draws_found_until=found_until,
        _program_short=program.short_name)


def _applications(period, as_of: date, rules: Rules, facts: _Facts, notes: list, source_ids: list):
    """(accepting now, the reason when not, the reception windows): open is not enough when applications are
    received only during reception periods."""
    since = period.since.isoformat()
    if period.status != "open":
        return False, rules.message(f"no_applications_{period.status}", since=since), None
    if period.applications == "continuous":
        return True, None, None
    windows = tuple(ReceptionWindow(w.opens, w.closes, w.opens <= as_of <= w.closes) for w in period.reception_periods)
    for w in period.reception_periods:
        source_ids.extend(w.sources)
        if w.note is not None:
            notes.append(w.note)
    current = next((w for w in period.reception_periods if w.opens <= as_of <= w.closes), None)
    if current is not None:
        facts.add(current.confidence, current.to_verify, rules.message("check_status"))
        notes.append(rules.message("reception_open", closes=current.closes.isoformat()))
        return True, None, windows
    past = [w for w in period.reception_periods if w.closes < as_of]
    upcoming = [w for w in period.reception_periods if w.opens > as_of]
    if upcoming:
        last = rules.message("reception_next", opens=upcoming[0].opens.isoformat())
    elif past:
        last = rules.message("reception_last", closes=past[-1].closes.isoformat())
    else:
        last = None
    params = {"until": period.until.isoformat(), "as_of": as_of.isoformat(), "last": last or ""}
    return False, rules.message("no_reception_period", **params), windows


def _unmet(cond, answers: Answers, rules: Rules) -> Text:
    """'Oral French: you answered 5; this needs 7 or more.' — or the condition's words when no number says it."""
    check = cond.check
    if check is not None and check.min is not None and check.field != "occupation_teer":
        value = getattr(answers, check.field)
        short = _answer_short(check.field)
        what = Text(en=short.en[:1].upper() + short.en[1:], fr=short.fr[:1].upper() + short.fr[1:])
        if check.field == "diploma":
            shown, needed = (_ui_text(f"answers.diploma.{v}") for v in (value, check.min))
            return rules.message("unmet_min", what=what, value=shown, min=needed)
        return rules.message("unmet_min", what=what, value=_number(value), min=_number(check.min))
    return rules.message("unmet_condition", condition=cond.short or cond.text)


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _ui_text(key: str) -> Text:
    """A label from the UI strings (data/i18n/) in both languages, so that page and engine word it the same."""
    return Text(en=i18n.t(key, "en"), fr=i18n.t(key, "fr"))


def _answer_short(field: str) -> Text:
    """The few words naming a question ('oral French')."""
    return _ui_text(f"answers.{field}.short")


def _overall(verdict: Verdict, accepting: bool, status_reason: Text | None, reasons: list[Text], unmet: list[Text],
             facts: _Facts, rules: Rules) -> tuple[Overall, list[Text]]:
    """yes / maybe / no with one-line reasons; a 'no' lists the program's status first, then the occupation,
    then each unmet condition, so the summary's single reason is the one that rules everybody out."""
    no: list[Text] = []
    if not accepting and status_reason is not None:
        no.append(status_reason)
    if verdict == "not_eligible" and reasons:
        no.append(facts.no_reason or reasons[-1])   # the decisive sentence (e.g. 'TEER 4 is not in 0–3…')
    no.extend(unmet)
    if no:
        return "no", no
    if facts.answers or facts.checks or verdict == "conditional":
        maybe = []
        if facts.answers:
            questions = [_answer_short(f) for f in facts.answers]
            maybe.append(rules.message("maybe_answer", questions=Text(
                en=", ".join(q.en for q in questions), fr=", ".join(q.fr for q in questions))))
        if facts.checks:
            maybe.append(rules.message("maybe_check", facts=Text(
                en="; ".join(c.en for c in facts.checks), fr=" ; ".join(c.fr for c in facts.checks))))
        if not maybe:
            maybe.append(reasons[-1])
        return "maybe", maybe
    return "yes", [rules.message("overall_yes")]


def _draws(component_id: str, as_of: date, rules: Rules):
    """Recent PSTQ invitation rounds for one component, newest first (None for other programs)."""
    draws_file = rules.draws_file
    if component_id not in PSTQ_COMPONENTS or draws_file is None:
        return None, None
    sources = {s.id: s for s in draws_file.sources}
    rows = [DrawResult(date=d.date, _label=d.label, _region=d.region, invitations=d.invitations,
                       min_score=d.min_score, _note=d.note, source=sources[d.source], confidence=d.confidence,
                       all_components=set(d.components) == set(PSTQ_COMPONENTS))
            for d in draws_file.draws if component_id in d.components and d.date <= as_of]
    rows.sort(key=lambda r: (r.date, r.all_components), reverse=True)   # newest first, its total first
    return tuple(rows), draws_file.found_until


def _unique_texts(texts):
    seen = set()
    for t in texts:
        if t.en not in seen:
            seen.add(t.en)
            yield t
