"""Errors meant for people: one line that names the thing and says what to do, in the reader's language.

Every error class of the library lives here:

    UserError                 bad input or missing data, shown without a traceback
    ├── UnknownCode           a well-formed code the classification does not have
    ├── NocDataError          the NOC data folder or one of its files is missing or unusable
    │   └── NoDataFound       no candidate folder holds the required files (`tried` says what each lacked)
    └── RulesError            the rules files are missing or invalid

An error raised with `key=` (a message key of data/i18n, section `lib`) and parameters renders through the
i18n catalogue: `str(err)` is English (the CLI, logs), `err.text("fr")` French (the pages, `--lang fr`).
A plain message is shown as it is in every language.
"""
from __future__ import annotations

from pathlib import Path


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


class NocDataError(UserError):
    """The NOC data folder or one of its files is missing or unusable."""


class NoDataFound(NocDataError):
    """No candidate folder holds the required files; `tried` says what each one lacked (for the setup hint)."""

    def __init__(self, message: str, tried: list[tuple[Path, str]]):
        super().__init__(message)
        self.tried = tried


class RulesError(UserError):
    """The rules files are missing or invalid; the message names the file and the problem."""
