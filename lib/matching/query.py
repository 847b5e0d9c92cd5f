"""Query text: cleaning and refusing input, tokens, language guess, sentence split, "is it a description", and the
job title a description names (the accent fold itself is lib/text.py, shared with the NOC look-ups).

Kept free of heavy imports so that the CLI and the tests can use it without loading a model.
"""
from __future__ import annotations

import re

from lib.errors import UserError
from lib.text import fold

MAX_QUERY_CHARS = 5000          # longer input is refused (a CV pasted twice is not a description)
_WORD = re.compile(r"[a-z0-9]+")

# Small function-word lists decide the language; measured on the dev set (see README), they beat
# character n-gram guessing on two-word titles because titles carry few letters but many such words.
_FR_WORDS = frozenset("""
    le la les un une des du de d l au aux et ou en dans pour par sur avec sans chez qui que qu il elle ils elles je
    j nous vous son sa ses leur leurs mon ma mes est etait sont ai avait a ete comme ce cette ces tout tous toute
    toutes plus entre pendant lors afin
""".split())
_EN_WORDS = frozenset("""
    the a an of and or in on for to with without at by from as is was were are be been he she they i we you his her
    their my our this that these those all which who while during into including responsible
""".split())
# Letters and endings that only French uses; they let one-word titles ("infirmière", "plombier") be told apart.
_FR_CHARS = set("àâçéèêëîïôûùüÿœæ")
_FR_ENDINGS = ("eur", "euse", "ier", "iere", "ien", "ienne", "rice", "aire", "iste", "eux", "ement",
               "tion", "trice", "ique", "agent", "ee")
_EN_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent", "man", "ing", "ness", "ship", "y", "ed")


def tokens(text: str) -> list[str]:
    """Accent-folded word tokens ("d'infirmière" -> ["d", "infirmiere"])."""
    return _WORD.findall(fold(text))


_TAG = re.compile(r"<[^<>]{1,200}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_query(text: str) -> str:
    """Collapse whitespace; refuse empty or oversized text with a one-line message."""
    if text is None:
        raise UserError(key="lib.query_empty")
    # Markup pasted from a web page or a letter template is not a duty: drop tags and control characters.
    cleaned = _CONTROL.sub(" ", _TAG.sub(" ", str(text)))
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    if not cleaned or not _WORD.search(fold(cleaned)):
        raise UserError(key="lib.query_empty")
    if len(cleaned) > MAX_QUERY_CHARS:
        raise UserError(key="lib.query_too_long", length=len(cleaned), limit=MAX_QUERY_CHARS)
    return cleaned


def detect_language(text: str, tie_break=None) -> str:
    """Guess "en" or "fr" from function words and French letters; on a tie ask `tie_break(text)` (> 0 = French,
    e.g. word frequencies in the NOC's French vs English titles), then word endings; ties go to English."""
    lowered = text.lower()
    words = tokens(text)
    fr = sum(w in _FR_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    fr += 2 * sum(ch in _FR_CHARS for ch in lowered)
    if fr == en and tie_break is not None:
        vote = tie_break(text)
        if vote:
            return "fr" if vote > 0 else "en"
    if fr == en:
        fr += sum(w.endswith(_FR_ENDINGS) for w in words)
        en += sum(w.endswith(_EN_ENDINGS) and not w.endswith(_FR_ENDINGS) for w in words)
    return "fr" if fr > en else "en"


_SPLIT = re.compile(r"(?<=[.;!?•\n])\s+|\s*[•\n]\s*|\s+-\s+(?=[A-ZÀ-Ý])")


def split_sentences(text: str, min_words: int = 3) -> list[str]:
    """Split a paragraph into duty-like sentences; very short fragments are joined to the previous one."""
    parts = [p.strip(" .;-•") for p in _SPLIT.split(text) if p and p.strip(" .;-•")]
    out: list[str] = []
    for part in parts:
        if out and len(part.split()) < min_words:
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out or [text.strip()]


# "I install pipes...", "je soigne...": a sentence about oneself is a description, however short. Measured on
# tests/data/dev_*_sentences.jsonl: top-1 EN 0.63 -> 0.73, FR 0.37 -> 0.53, no change on any title bucket.
_FIRST_PERSON = re.compile(r"(?:^|\s)(?:i|i'm|i've|my|we|our|je|nous|mon|ma|mes)\s|(?:^|\s)j['’]", re.IGNORECASE)


def is_long(text: str) -> bool:
    """A description rather than a title: several sentences, more than a dozen words, or a sentence about oneself."""
    words = len(text.split())
    return words > 12 or len(split_sentences(text)) > 1 or (words >= 4 and bool(_FIRST_PERSON.search(text)))


# "I work as an orderly in a long-term care home...", "je suis préposée aux bénéficiaires dans un CHSLD...":
# the job title a description names is matched as a title too (README, "titles inside sentences").
_TITLE_LEAD = re.compile(
    r"(?:^|[\s,.;:(])(?:i\s+(?:work|worked|am\s+working|have\s+worked|was\s+employed|am\s+employed)\s+as|"
    r"i\s+(?:am|was|'m)|i['’]m|working\s+as|employed\s+as|job\s+title\s*:|position\s*:|"
    r"je\s+(?:travaille|travaillais|suis\s+employée?|ai\s+travaillé)\s+(?:comme|en\s+tant\s+que)|"
    r"je\s+suis|j['’]étais|j['’]etais|je\s+suis\s+employée?\s+comme|en\s+tant\s+que|"
    r"j['’]occupe\s+(?:le|un)\s+poste\s+d[e'’]|titre\s+du\s+poste\s*:|poste\s*:)\s+", re.IGNORECASE)
_EN_ARTICLE = re.compile(r"^(?:an?|the)\s+", re.IGNORECASE)
_FR_ARTICLE = re.compile(r"^(?:une?|l['’]|le|la)\s*", re.IGNORECASE)
# Words that end the title: where, for whom, since when ("orderly | in a care home", "préposée | dans un CHSLD").
_TITLE_END = re.compile(
    r"[,.;:!?()\n–—|/]|\s(?:in|at|for|with|since|from|on|who|where|and\s+i|and\s+my|responsible|"
    r"dans|chez|pour|depuis|avec|où|qui|que|et\s+je|et\s+j)\b", re.IGNORECASE)
# After "I am"/"je suis" these are states, not titles ("I am responsible for", "je suis en charge de").
_NOT_TITLE = frozenset("""
    responsible currently working able in charge looking new very good happy now also still a an the en au a
    presentement actuellement responsable de d un une capable tres fier fiere heureux heureuse
""".split())
MAX_TITLE_WORDS = 6


def clean_lines(text: str) -> str:
    """Like clean_query's cleaning but keeping line breaks (an ad's first line is its title)."""
    cleaned = _CONTROL.sub(" ", _TAG.sub(" ", str(text or "")).replace("\r", "\n"))
    return "\n".join(re.sub(r"[ \t\f\v]+", " ", ln).strip() for ln in cleaned.split("\n"))


def leading_phrase(text: str, max_words: int = 4) -> list[str] | None:
    """The words before the first comma or preposition ("general labourer | at a bakery factory...")."""
    end = _TITLE_END.search(str(text))
    words = (str(text)[:end.start()] if end else "").split()
    return words if 1 <= len(words) <= max_words else None


def title_span(text: str, looks_like_title=None) -> str | None:
    """The job title a description names, if any: the first line of a pasted ad, the part before a dash
    ("electrician — Licensed Electrician 309A..."), the noun phrase after "I work as", "je suis"..., or a
    leading phrase that `looks_like_title(words)` accepts ("general labourer at a bakery...")."""
    lines = [ln.strip(" \t-•*#") for ln in str(text).splitlines() if ln.strip(" \t-•*#")]
    if len(lines) > 1 and 1 <= len(lines[0].split()) <= 12 and not lines[0].rstrip().endswith((".", "!", "?")):
        return lines[0].strip()
    head = re.split(r"\s+[—–|]\s+|\s+-\s+", lines[0] if lines else "", maxsplit=1)
    if len(head) == 2 and 1 <= len(head[0].split()) <= 6:
        return head[0].strip()
    m = _TITLE_LEAD.search(str(text))
    if not m:
        lead = leading_phrase(lines[0] if lines else "")
        return " ".join(lead) if lead and looks_like_title and looks_like_title(lead) else None
    rest = str(text)[m.end():]
    rest = _FR_ARTICLE.sub("", _EN_ARTICLE.sub("", rest))
    end = _TITLE_END.search(rest)
    span = rest[:end.start()] if end else rest
    words = span.split()
    if not words or fold(words[0]) in _NOT_TITLE or len(words) > MAX_TITLE_WORDS:
        return None
    return " ".join(words)


_PAIRED_FORMS = re.compile(r"^([^\s/]+)/([^\s/]+)(.*)$")


def title_variants(folded: str) -> set[str]:
    """A folded NOC title and, for the French paired forms, each form alone: "ouvrier/ouvriere a l'entretien"
    also reads "ouvrier a l'entretien" and "ouvriere a l'entretien", as people write their own title."""
    out = {folded}
    m = _PAIRED_FORMS.match(folded)
    if m:
        out |= {m.group(1) + m.group(3), m.group(2) + m.group(3)}
    return out
