"""Streamlit glue shared by the pages: session keys, cached heavy objects, strings, safe text, errors.

lib/ never imports Streamlit; this module is the only place where lib objects meet st.cache_resource.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any

import streamlit as st

from lib import i18n, report, settings, share, typography
from lib.errors import UnknownCode, UserError

# Session keys (one place, so a reset or a test knows what exists).
LANG = "lang"
PRESENTER = "presenter"
DESCRIPTION = "description"     # the free text: session only, never in the URL, logs or disk
RANKED = "ranked"               # matching.RankResult for DESCRIPTION
CODE = "code"                   # the chosen 5-digit unit group
ANSWERS = "answers"             # dict of programs.Answers fields (None = not answered)
NOTICE = "notice"               # one-shot message key shown on the next page
BOOTED = "booted"               # query parameters were read into the session once
NOC_WARNED = "noc_warned"       # the warning about an unusable optional NOC file was shown

PAGE_FILES = {
    "start": "views/start.py",
    "describe": "views/describe.py",
    "choose": "views/choose.py",
    "situation": "views/situation.py",
    "programs": "views/programs.py",
    "browse": "views/browse.py",
    "about": "views/about.py",
}

_ready: set[str] = set()  # heavy objects already built in this process (no spinner after the first time)


def lang() -> str:
    return st.session_state.get(LANG) or i18n.DEFAULT_LANGUAGE


def tr(key: str, **kw: Any) -> str:
    return i18n.t(key, lang(), **kw)


def safe(text: object) -> str:
    """Data or user text for st.markdown: Markdown characters escaped so nothing becomes a link or HTML,
    and French typography on French pages (the one shared path for data text, like i18n.t for strings)."""
    return report.escape_md(typography.for_lang(str(text), lang()))


def go(page: str) -> None:
    st.switch_page(PAGE_FILES[page])


def page_link(page: str, label_key: str, icon: str | None = None) -> None:
    st.page_link(PAGE_FILES[page], label=tr(label_key), icon=icon)


def chosen_code_or_stop(message_key: str) -> str:
    """The chosen unit group; without one, say how to get one and stop the page."""
    code = st.session_state.get(CODE)
    if not code:
        st.info(tr(message_key))
        page_link("describe", "choose.go_describe", icon=":material/edit:")
        page_link("browse", "start.know_code", icon=":material/account_tree:")
        st.stop()
    return code


def nav_buttons(*buttons: tuple[str, str, str]) -> None:
    """Side-by-side buttons (label key, widget key, target page) that move to another step."""
    for column, (label_key, key, target) in zip(st.columns(len(buttons)), buttons):
        with column:
            if st.button(tr(label_key), key=key):
                go(target)


@contextmanager
def people_errors():
    """UserError (bad input, missing data) -> one line on the page, never a traceback."""
    try:
        yield
    except UnknownCode as err:
        st.error(tr("errors.unknown_code", message=err.text(lang())))
        page_link("browse", "start.know_code", icon=":material/account_tree:")
        st.stop()
    except UserError as err:
        st.error(tr("errors.user", message=err.text(lang())))
        st.stop()


def _first_time(name: str, label_key: str, build):
    if name in _ready:
        return build()
    with st.spinner(tr(label_key)):
        value = build()
    _ready.add(name)
    return value


@st.cache_resource(show_spinner=False)
def _noc():
    from lib.noc import load_noc  # imported here: nothing heavy at import time
    return load_noc()


@st.cache_resource(show_spinner=False)
def _matcher(_noc_data, checksum: str, model: str):
    from lib.matching import get_matcher
    return get_matcher(_noc_data, model_name=model)


@st.cache_resource(show_spinner=False)
def _rules(_noc_data, checksum: str):
    from lib.programs import load_rules
    return load_rules(_noc_data)


def noc():
    """The NOC data (once per process). Missing or broken data: a clear message and the page stops."""
    from lib.noc import NocDataError
    try:
        data = _first_time("noc", "loading.noc", _noc)
    except NocDataError as err:
        st.error(tr("errors.noc_data", message=err.text(lang())))
        st.info(tr("errors.noc_data_fix"))
        st.stop()
    if data.skipped and not st.session_state.get(NOC_WARNED):
        st.session_state[NOC_WARNED] = True  # one warning per visit, not on every page
        for line in data.warnings(lang()):
            st.warning(line, icon=":material/translate:")
    return data


def matcher():
    data = noc()
    model = settings.model_name()
    with people_errors():
        return _first_time(f"matcher:{model}", "loading.model", lambda: _matcher(data, data.checksum, model))


def rules():
    data = noc()
    with people_errors():
        return _first_time("rules", "loading.rules", lambda: _rules(data, data.checksum))


def unit_title(code: str) -> str:
    """'72300 — Plumbers' in the UI language; the bare code when unknown."""
    try:
        return f"{code} — {noc().get(code).title(lang())}"
    except UserError:
        return code


def evaluate(code: str, answers: dict):
    """The rules verdicts for a code and the questionnaire answers (cheap: no cache needed)."""
    from lib.programs import Answers, evaluate as run_rules
    return run_rules(code, noc=noc(), rules=rules(), answers=Answers(**answers))


def program_short_name(program_id: str, fallback: str) -> str:
    """'PSTQ', 'Food processing pilot'…: the rules' short program name, for compact tables."""
    for program in rules().programs.programs:
        if program.id == program_id:
            return program.short_name.get(lang())
    return fallback


def regulated_info(code: str):
    """RegulatedInfo when the code is a regulated profession in Québec, else None (decides the question)."""
    return evaluate(code, {}).regulated


def regulated_sentence(info) -> str:
    return report.regulated_text(info, lang())


def rules_as_of(rules_obj) -> str:
    """The latest date on which the program rules were checked against their sources."""
    return rules_obj.programs.last_verified.isoformat()


def share_url() -> str:
    """The link to this result: host of the current page + /programs + the share parameters (no free text)."""
    from urllib.parse import urlencode, urlsplit
    params = share.encode(lang(), st.session_state.get(CODE), st.session_state.get(ANSWERS), settings.noc_version())
    parts = urlsplit(st.context.url or "")
    base = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    path = parts.path.rsplit("/", 1)[0] if parts.path else ""
    return f"{base}{path}/programs?{urlencode(params)}"
