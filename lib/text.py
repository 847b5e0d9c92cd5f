"""The one text fold shared by look-ups, browse search and matching (lib/noc, lib/matching).

`fold` lower-cases, strips accents, spells out œ/æ, straightens the typographic apostrophe and collapses
whitespace, so "Infirmière  ŒUVRE" and "infirmiere oeuvre" compare equal wherever text is compared.
"""
from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """Lower case without accents ("Infirmière" -> "infirmiere", "œuvre" -> "oeuvre"); None -> ""."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(out.replace("œ", "oe").replace("æ", "ae").replace("’", "'").split())
