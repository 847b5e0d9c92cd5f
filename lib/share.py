"""Share links: language, chosen code and questionnaire answers <-> URL query parameters.

Only these closed, validated values travel in a link; the free-text description never does.
Decoding never raises: a malformed or unknown parameter is dropped and reported by name.
The answers' parsers are lib.programs.answers.PARSERS (one per question, derived from its declared type).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from lib.i18n import normalize_lang
from lib.programs.answers import PARSERS

CODE_RE = re.compile(r"^\d{5}$")
MAX_VALUE_LEN = 16  # longer values are never valid; refuse them before parsing anything

# Field name -> parser of the text form (programs.Answers' fields, derived from their declared types).
# Links made before a field existed simply lack it: the question is then unanswered.
ANSWER_PARSERS: Mapping[str, Callable[[str], Any]] = PARSERS
KNOWN_KEYS = frozenset({"lang", "code", "noc", *ANSWER_PARSERS})
NOC_VERSION_RE = re.compile(r"^\d{4}$")


@dataclass
class SharedState:
    """What a link carries. `dropped` names the parameters that were present but unusable."""

    lang: str | None = None
    code: str | None = None
    noc_version: str | None = None  # the NOC version the code belongs to (codes change meaning across versions)
    answers: dict[str, Any] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)


def _last(value: object) -> str | None:
    """Streamlit gives the last value of a repeated key; plain dicts may hold lists."""
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    return value if isinstance(value, str) else None


def decode(params: Mapping[str, object]) -> SharedState:
    """Query parameters -> SharedState. Unknown keys are ignored; bad values are dropped (never raise)."""
    state = SharedState()
    for key, raw_value in params.items():
        if key not in KNOWN_KEYS:
            continue
        raw = _last(raw_value)
        if raw is None or len(raw) > MAX_VALUE_LEN:
            state.dropped.append(key)
            continue
        if key == "lang":
            state.lang = normalize_lang(raw)
            if state.lang is None:
                state.dropped.append(key)
        elif key == "noc":
            if NOC_VERSION_RE.match(raw.strip()):
                state.noc_version = raw.strip()
            else:
                state.dropped.append(key)
        elif key == "code":
            if CODE_RE.match(raw.strip()):
                state.code = raw.strip()
            else:
                state.dropped.append(key)
        else:
            try:
                state.answers[key] = ANSWER_PARSERS[key](raw)
            except (ValueError, OverflowError):
                state.dropped.append(key)
    return state


def parse_answers(query: str) -> dict[str, Any]:
    """A share link's query string (or the whole link) -> answers; raises ValueError naming the first bad part.

    For the command line, where a typo must not be silently dropped as decode() does for links.
    """
    text = query.strip()
    if "?" in text:
        text = text.split("?", 1)[1]
    answers: dict[str, Any] = {}
    for key, raw in parse_qsl(text, keep_blank_values=True):
        if key in ("lang", "code", "noc"):
            continue  # parts of a share link that are not answers
        if key not in ANSWER_PARSERS:
            raise ValueError(f"unknown answer {key!r}; use {', '.join(ANSWER_PARSERS)}")
        if raw == "":
            continue
        try:
            if len(raw) > MAX_VALUE_LEN:
                raise ValueError(raw)
            answers[key] = ANSWER_PARSERS[key](raw)
        except (ValueError, OverflowError):
            raise ValueError(f"{key}={raw[:MAX_VALUE_LEN]!r} is not a valid value") from None
    return answers


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def encode(lang: str | None, code: str | None, answers: Mapping[str, Any] | None,
           noc_version: str | None = None) -> dict[str, str]:
    """SharedState parts -> query parameters; None answers and anything not in the schema are left out."""
    params: dict[str, str] = {}
    if normalize_lang(lang):
        params["lang"] = normalize_lang(lang)  # type: ignore[assignment]
    if code and CODE_RE.match(code):
        params["code"] = code
        if noc_version and NOC_VERSION_RE.match(noc_version):
            params["noc"] = noc_version
    for key, value in (answers or {}).items():
        if key in ANSWER_PARSERS and value is not None:
            text = _format(value)
            try:
                ANSWER_PARSERS[key](text)  # only values that decode back are written
            except (ValueError, OverflowError):
                continue
            params[key] = text
    return params


def normalize_answers(answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """The answers as a share link carries them (years to one decimal; unanswered and invalid ones left out), so
    what the page keeps and what its link restores are always the same."""
    return decode(encode(None, None, answers)).answers
