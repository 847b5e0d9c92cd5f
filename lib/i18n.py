"""UI strings: t(key, lang, **kw) over data/i18n/{en,fr}.yaml, falling back to English.

French strings come out with French typography (lib/typography.py), parameters included.
"""
from __future__ import annotations

import functools
import string

import yaml

from lib import settings, typography

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
I18N_DIR = settings.DATA_DIR / "i18n"


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    """Nested YAML sections become dot keys ('choose.title'); only the values are translated."""
    flat: dict[str, str] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = "" if value is None else str(value)
    return flat


@functools.cache
def strings(lang: str) -> dict[str, str]:
    """All strings of one language (read once per process)."""
    path = I18N_DIR / f"{lang}.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return _flatten(raw)


def normalize_lang(value: object) -> str | None:
    """'fr-CA', 'FR', 'fr_FR' -> 'fr'; anything not supported -> None (never raises)."""
    if not isinstance(value, str):
        return None
    head = value.strip().lower().replace("_", "-").split("-", 1)[0]
    return head if head in LANGUAGES else None


class _Safe(dict):
    """Unknown placeholders stay visible instead of raising (a typo must not crash a page)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(key: str, lang: str | None = None, **kw: object) -> str:
    """The string for `key` in `lang`, English when missing there, the key itself when missing everywhere."""
    lang = normalize_lang(lang) or DEFAULT_LANGUAGE
    text = strings(lang).get(key)
    if text is None:
        text = strings(DEFAULT_LANGUAGE).get(key, key)
    if kw:
        text = string.Formatter().vformat(text, (), _Safe(kw))
    return typography.for_lang(text, lang)


def has(key: str, lang: str | None = None) -> bool:
    """True when the key exists in that language (or English) — for optional message keys from lib."""
    lang = normalize_lang(lang) or DEFAULT_LANGUAGE
    return key in strings(lang) or key in strings(DEFAULT_LANGUAGE)
