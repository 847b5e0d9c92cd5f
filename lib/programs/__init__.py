"""Québec skilled-worker programs: which components fit a NOC code, why, when, and from which sources.

The front door: `from lib.programs import load_rules, evaluate, Answers, ...` (these names are the public API).
"""
from lib.errors import RulesError
from lib.programs.engine import Rules, evaluate, load_rules
from lib.programs.results import (
    Answers,
    ComponentResult,
    Condition,
    DrawResult,
    Evaluation,
    ReceptionWindow,
    RegulatedEntry,
    RegulatedInfo,
)
from lib.programs.schema import Source

__all__ = ["Answers", "ComponentResult", "Condition", "DrawResult", "Evaluation", "ReceptionWindow",
           "RegulatedEntry", "RegulatedInfo", "Rules", "RulesError", "Source", "evaluate", "load_rules"]
