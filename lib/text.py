"""The one text fold shared by look-ups, browse search and matching (lib/noc, lib/matching), and the excerpt of a
long NOC text shown as evidence.

`fold` lower-cases, strips accents, spells out œ/æ, straightens the typographic apostrophe and collapses
whitespace, so "Infirmière  ŒUVRE" and "infirmiere oeuvre" compare equal wherever text is compared.
"""
from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w{4,}")
STEM = 5          # words compare on their first 5 folded letters ("laver" ~ "lave", "patients" ~ "patient")


def fold(text: str | None) -> str:
    """Lower case without accents ("Infirmière" -> "infirmiere", "œuvre" -> "oeuvre"); None -> ""."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(out.replace("œ", "oe").replace("æ", "ae").replace("’", "'").split())


def stems(text: str) -> frozenset[str]:
    """The words of `text` (4 letters or more) as `excerpt` compares them."""
    return frozenset(w[:STEM] for w in _WORD.findall(fold(text)))


def excerpt(text: str, words: frozenset[str], limit: int = 240) -> str:
    """A long semicolon-separated text (some NOC duties run to 600 characters) cut to its clauses sharing the most
    `words` (stems), in their own order, within about `limit` characters; "…" marks what is left out."""
    clauses = [c.strip() for c in text.split(";") if c.strip()]
    if len(text) <= limit or len(clauses) < 2:
        return text
    shared = [len(stems(c) & words) for c in clauses]
    ranked = sorted(range(len(clauses)), key=lambda i: (-shared[i], i))
    keep, size = set(), 0
    for i in ranked:
        if keep and size + len(clauses[i]) > limit:
            break
        keep.add(i)
        size += len(clauses[i]) + 2
    parts, gap = [], False
    for i, clause in enumerate(clauses):
        if i in keep:
            parts.append(("… " if gap or (not parts and i > 0) else "") + clause)
            gap = False
        else:
            gap = True
    return "; ".join(parts) + (" …" if max(keep) < len(clauses) - 1 else "")
