"""French typography (Office québécois de la langue française conventions), in one place.

`french(text)` puts a non-breaking space before « : ; ? ! » and inside « », so that no punctuation is ever left
alone at the start of a line; `number`, `time_of_day` format numbers and times for a language. Every French
string shown to people goes through `french` (i18n.t, the pages' safe text, the exports); it is idempotent,
and it leaves URLs, `code` spans, times (14:30) and ratios alone: a colon is only spaced when a space or the
end of the text follows it.
"""
from __future__ import annotations

import re
from datetime import time

NBSP = "\u00a0"
_SPACES = "[ \u00a0\u202f\u2009]*"
# URLs, Markdown link targets (<…>), `code` spans and Streamlit icons (:material/check:) are copied as they are.
_PROTECTED = re.compile(r"`[^`]*`|<[^<>\s]+>|\b(?:https?://|www\.)\S+|:material/[a-z0-9_]+:")
_BEFORE_HIGH = re.compile(rf"(?<=[^\s\u00a0\u202f(\[«]){_SPACES}([;?!:])(?=[\s\u00a0*_)\]»\"]|$)")
_OPEN_QUOTE = re.compile(rf"«{_SPACES}")
_CLOSE_QUOTE = re.compile(rf"{_SPACES}»")


def _fix(part: str) -> str:
    part = _BEFORE_HIGH.sub(lambda m: NBSP + m.group(1), part)
    part = _OPEN_QUOTE.sub("«" + NBSP, part)
    return _CLOSE_QUOTE.sub(NBSP + "»", part)


def french(text: str) -> str:
    """The text with French spacing around punctuation; URLs and code spans unchanged."""
    if not text:
        return text
    out, last = [], 0
    for m in _PROTECTED.finditer(text):
        out.append(_fix(text[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_fix(text[last:]))
    return "".join(out)


def for_lang(text: str, lang: str | None) -> str:
    """French typography for French text; any other language unchanged."""
    return french(text) if lang == "fr" else text


def number(value: float, lang: str | None, decimals: int | None = None) -> str:
    """1.5 -> '1,5' and 30000 -> '30 000' (non-breaking space) in French; '1.5' and '30,000' in English.

    `decimals=None` drops trailing zeros (3.0 -> '3', like the :g format).
    """
    text = f"{value:,.{decimals}f}" if decimals is not None else f"{value:,.6f}".rstrip("0").rstrip(".")
    if lang != "fr":
        return text
    return text.replace(",", NBSP).replace(".", ",")


def time_of_day(value: time, lang: str | None) -> str:
    """24-hour times: '14 h 30', '9 h' in French (OQLF); '14:30' in English."""
    if lang != "fr":
        return value.strftime("%H:%M")
    return f"{value.hour}{NBSP}h" + (f"{NBSP}{value.minute:02d}" if value.minute else "")
