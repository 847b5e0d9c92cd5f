"""Errors meant for people: one line that names the thing and says what to do, in the reader's language.

An error raised with `key=` (a message key of data/i18n, section `lib`) and parameters renders through the
i18n catalogue: `str(err)` is English (the CLI, logs), `err.text("fr")` French (the pages, `--lang fr`).
A plain message is shown as it is in every language.
"""
from __future__ import annotations


def render(key: str, lang: str | None, params: dict) -> str:
    """A lib message in one language; `{hint}` is always available (how to get the NOC data)."""
    from lib import i18n, typography  # imported here: i18n reads YAML, errors must stay importable first

    shown = {k: typography.number(v, lang) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
             for k, v in params.items()}
    return i18n.t(key, lang, **{"hint": i18n.t("lib.setup_hint", lang), **shown})


class UserError(Exception):
    """Bad input or missing data; the message is shown without a traceback."""

    def __init__(self, message: str = "", *, key: str | None = None, **params: object):
        self.key, self.params = key, params
        super().__init__(message or (render(key, "en", params) if key else ""))

    def text(self, lang: str | None) -> str:
        return render(self.key, lang, self.params) if self.key else str(self)


class UnknownCode(UserError):
    """A well-formed occupation code that the classification does not have."""
