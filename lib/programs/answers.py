"""The questionnaire: `Answers` (what the person told us) and the one parser of answers written as text.

Each question is one field of `Answers`, typed with a vocabulary of vocab.py; everything else is derived from that
field: its validation (`Answers.__post_init__`), its text parser (`PARSERS`, used by share links and by the command
line's `--answers`), the options the situation page offers (`options`), and the rules schema's check fields
(schema.CHECK_FIELDS). A new question is one field here, one widget in views/situation.py and its strings
(`answers.<field>.label` and `.short`, plus `.help` and a label per value) in data/i18n/.
"""
from __future__ import annotations

import functools
import math
import types
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from lib.errors import UserError
from lib.programs.vocab import MAX_YEARS, Diploma, FrenchLevel, Intent, QuebecStatus, SpouseFrench, Years


@dataclass(frozen=True)
class Answers:
    """What the person told us; None = not answered. Field names double as share-link keys."""
    regulated_intent: Intent | None = None         # will you practise the regulated profession in Québec
    experience_years: Years | None = None          # full-time years in the main occupation (last 5 years)
    quebec_experience_years: Years | None = None   # of which in Québec
    french_oral: FrenchLevel | None = None         # Échelle québécoise, 0-12
    french_written: FrenchLevel | None = None
    diploma: Diploma | None = None
    diploma_from_quebec: bool | None = None
    status_in_quebec: QuebecStatus | None = None
    # PEQ 2026-2028 reopening: the conditions had to be met on the reference date, 19 November 2025.
    experience_by_2025_11_19: bool | None = None   # 24 months of full-time Québec work in the occupation by then
    diploma_by_2025_11_19: bool | None = None      # the eligible Québec diploma obtained by then
    spouse_french_oral: SpouseFrench | None = None   # the accompanying spouse's level 0-12, or "none" (no spouse)

    def __post_init__(self):
        for name in FIELDS:
            value = getattr(self, name)
            if value is not None and not _valid(name, value):
                raise UserError(f"{name}: {value!r} {_expected(name)}")


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Answers))


@functools.cache
def _kind(name: str) -> Any:
    """The declared type of a question, without its `| None`."""
    hint = get_type_hints(Answers, include_extras=True)[name]
    if get_origin(hint) in (Union, types.UnionType):
        (hint,) = [arg for arg in get_args(hint) if arg is not type(None)]
    return hint


def options(name: str) -> tuple | None:
    """The closed values of a question in display order ((True, False) for yes/no); None for a number of years."""
    kind = _kind(name)
    if kind is bool:
        return (True, False)
    return get_args(kind) if get_origin(kind) is Literal else None


def is_number(name: str) -> bool:
    """Years and levels: a rule compares them with a minimum (`min: 7`) rather than listing values."""
    values = options(name)
    return values is None or any(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _valid(name: str, value: Any) -> bool:
    values = options(name)
    if values is None:     # years
        return not isinstance(value, bool) and isinstance(value, (int, float)) and 0 <= value <= MAX_YEARS
    if values == (True, False):
        return isinstance(value, bool)
    return not isinstance(value, bool) and value in values


def _expected(name: str) -> str:
    values = options(name)
    if values is None:
        return f"must be a number from 0 to {MAX_YEARS:g}"
    if values == (True, False):
        return "must be true or false"
    words = [v for v in values if isinstance(v, str)]
    levels = [v for v in values if not isinstance(v, str)]
    if levels:
        other = f", or {' or '.join(repr(w) for w in words)}" if words else ""
        return f"must be a whole level from {min(levels)} to {max(levels)}{other}"
    return f"is not one of {', '.join(words)}"


# --- text -> value (share links, --answers) -----------------------------------------------------------------------

def _parser(name: str) -> Callable[[str], Any]:
    """The parser of one question's text form; raises ValueError (or OverflowError) for anything it does not take."""
    values = options(name)
    if values is None:
        def years(raw: str) -> float:
            value = float(raw.strip())
            if not math.isfinite(value) or not 0 <= value <= MAX_YEARS:
                raise ValueError(raw)
            return round(value, 1)
        return years
    if values == (True, False):
        def flag(raw: str) -> bool:
            value = raw.strip().lower()
            if value in ("1", "true", "yes"):
                return True
            if value in ("0", "false", "no"):
                return False
            raise ValueError(raw)
        return flag

    def closed(raw: str) -> Any:
        text = raw.strip().lower()
        if text in values:                      # a word ("college", "none")
            return text
        if any(isinstance(v, int) for v in values):
            level = int(text)                   # a level ("7"); raises ValueError for anything else
            if level in values:
                return level
        raise ValueError(raw)
    return closed


# Field name -> parser, in questionnaire order. Links made before a field existed simply lack it: unanswered.
PARSERS: dict[str, Callable[[str], Any]] = {name: _parser(name) for name in FIELDS}
