"""Québec skilled-worker programs: which components fit a NOC code, why, when, and from which sources.

The front door: `from lib.programs import load_rules, evaluate, Answers, ...` (the names in __all__ are the public
API; the modules behind it are internal). What lives where:

- vocab.py      the closed vocabularies (verdicts, statuses, confidences, diplomas, French levels, component ids…)
- answers.py    the questionnaire: Answers, its validation and the one text parser of answers (share links, CLI)
- schema.py     the strict pydantic schema of data/programs.yaml, regulated_professions.yaml, pstq_draws.yaml
- yaml_load.py  YAML with located one-line errors (RulesError)
- rules.py      load_rules: the three files read, checked against each other and the NOC in use -> Rules
- engine.py     evaluate (and regulated_info): the rules applied to one NOC code, on a date, with the answers
- results.py    what evaluate returns: Evaluation, ComponentResult, ConditionResult, RegulatedInfo, DrawResult
- report.py     the result as blocks, rendered as Markdown, PDF and terminal text (the page shares its builders)
"""
from lib.errors import RulesError
from lib.programs.answers import Answers
from lib.programs.engine import evaluate, regulated_info
from lib.programs.results import (
    ComponentResult,
    ConditionResult,
    DrawResult,
    Evaluation,
    ReceptionWindow,
    RegulatedEntry,
    RegulatedInfo,
)
from lib.programs.rules import Rules, load_rules
from lib.programs.schema import Source

__all__ = ["Answers", "ComponentResult", "ConditionResult", "DrawResult", "Evaluation", "ReceptionWindow",
           "RegulatedEntry", "RegulatedInfo", "Rules", "RulesError", "Source", "evaluate", "load_rules",
           "regulated_info"]
