"""Streamlit glue shared by the pages: session keys, cached heavy objects, strings, safe text, errors.

lib/ never imports Streamlit; this module is the only place where lib objects meet st.cache_resource.
"""
from __future__ import annotations

import copy
import functools
import gc
import logging
from contextlib import contextmanager
from typing import Any

import streamlit as st

from lib import i18n, settings, share, typography
from lib.errors import UnknownCode, UserError
from lib.programs import report

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


def navigation_pages(lang_code: str) -> dict[str, list]:
    """The sections and pages for st.navigation, in one language.

    Built once per process and language (st.Page resolves its file on the disk); each run gets shallow copies
    because st.navigation marks the page it returns as callable for that run only."""
    return {section: [copy.copy(p) for p in pages] for section, pages in _page_prototypes(lang_code).items()}


@functools.lru_cache(maxsize=len(i18n.LANGUAGES))
def _page_prototypes(lang_code: str) -> dict[str, tuple]:
    t = functools.partial(i18n.t, lang=lang_code)
    steps = [("start", "nav.start"), ("describe", "nav.describe"), ("choose", "nav.choose"),
             ("situation", "nav.situation"), ("programs", "nav.programs")]
    more = [("browse", "nav.browse"), ("about", "nav.about")]
    return {
        t("nav.section_steps"): tuple(st.Page(PAGE_FILES[name], title=t(key), url_path=name, default=name == "start")
                                      for name, key in steps),
        t("nav.section_more"): tuple(st.Page(PAGE_FILES[name], title=t(key), url_path=name) for name, key in more),
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
    # The NOC data, index and rules live as long as the process: move them out of the cycle collector's sight,
    # so that its full passes (which otherwise walk every one of those objects) stay cheap for every visitor.
    gc.collect()
    gc.freeze()
    return value


@st.cache_resource(show_spinner=False)
def _noc():
    from lib.noc import load_noc  # imported here: nothing heavy at import time
    return load_noc()


def forget_noc() -> None:
    """Drop the NOC data this process loaded, so the next page loads it again (e.g. after NOC_DATA_DIR changed).
    The matcher and rules built over the old data are keyed by its checksum, so they are not reused by mistake."""
    _noc.clear()


# One text per route (EN title, EN description, short and long FR descriptions, a pasted ad), ranked once when the
# matcher is made: the lazy parts (USE, tokenizers, French stems and translation, look-up tables) then load for
# the first visitor's spinner instead of on 20 visitors' first rankings at once.
WARM_UP = ("cook", "I repair cars. I replace brakes and tires. I order parts.", "infirmière",
           "Je conduis un camion de livraison.",
           "Je prépare les repas dans un restaurant. Je nettoie la cuisine. Je commande les aliments. "
           "Je suis les recettes.",
           "Electrician\nWe are hiring.\nInstall wiring.\nRepair fixtures.\nRead blueprints.\nTest circuits.\n"
           "Competitive salary.\nApply now.")


@st.cache_resource(show_spinner=False)
def _matcher(_noc_data, checksum: str, model: str):
    from lib.matching import get_matcher
    matcher = get_matcher(_noc_data, model_name=model)
    for text in WARM_UP:
        matcher.rank(text)
    return matcher


@st.cache_resource(show_spinner=False)
def _rules(_noc_data, checksum: str):
    from lib.programs import load_rules
    return load_rules(_noc_data)


_logged: set[str] = set()  # operator messages already written to the log (once each, not once per visitor)


def noc():
    """The NOC data (once per process). Missing or broken data: visitors see a short page in both languages;
    the operator's instructions (folders, file names) go to the server log, never to the page."""
    from lib.errors import NocDataError
    try:
        data = _first_time("noc", "loading.noc", _noc)
    except NocDataError as err:
        if str(err) not in _logged:
            _logged.add(str(err))
            logging.getLogger("qc.setup").error("the app cannot start its work: %s", err)
        unavailable()
    if data.skipped and not st.session_state.get(NOC_WARNED):
        st.session_state[NOC_WARNED] = True  # one warning per visit, not on every page
        for line in data.warnings(lang()):
            st.warning(line, icon=":material/translate:")
    return data


def unavailable() -> None:
    """'Temporarily unavailable', in the visitor's language first and then the other one; the page stops."""
    languages = sorted(i18n.LANGUAGES, key=lambda code: code != lang())
    for code in languages:
        st.subheader(i18n.t("unavailable.title", code), anchor=False)
        st.markdown(i18n.t("unavailable.body", code))
    st.caption(" / ".join(i18n.t("unavailable.operator", code) for code in languages))
    st.stop()


def matcher():
    """The matcher for this data and model: lib.matching.get_matcher is its memo; the Streamlit layer adds the
    spinner and the warm-up ranking, once per process."""
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
    """The rules verdicts for a code and the questionnaire answers, on today's date.

    They depend only on (code, answers, date, data), so they are computed once per process for each such key
    and shared by every session (read-only), instead of on every rerun of the situation and programs pages."""
    from datetime import date
    data = noc()
    return _evaluate(code, tuple(sorted((answers or {}).items())), date.today().isoformat(), data.checksum,
                     data, rules())


@st.cache_resource(show_spinner=False, max_entries=512)
def _evaluate(code: str, answers: tuple, as_of: str, checksum: str, _noc_data, _rules_obj):
    from datetime import date

    from lib.programs import Answers
    from lib.programs import evaluate as run_rules
    return run_rules(code, noc=_noc_data, rules=_rules_obj, answers=Answers(**dict(answers)),
                     as_of=date.fromisoformat(as_of))


def markdown_export(ev, lang_code: str, answers: dict, link: str) -> str:
    """The Markdown of a result, made once per (code, answers, date, language, link): the page shows its button
    on every run."""
    return _markdown(ev.code, tuple(sorted((answers or {}).items())), ev.as_of.isoformat(), lang_code, link,
                     noc().checksum, ev, answers)


@st.cache_resource(show_spinner=False, max_entries=256)
def _markdown(code: str, answers_key: tuple, as_of: str, lang_code: str, link: str, checksum: str, _ev, _answers):
    return report.to_markdown(_ev, lang_code, _answers, link)


def pdf_export(ev, lang_code: str, answers: dict, link: str):
    """The PDF of a result, made when the button is clicked (a callable for st.download_button), not on every run:
    a PDF takes about 0.25 s, as much as all the rest of a visitor's pages together (README, "Speed")."""
    return lambda: report.to_pdf(ev, lang_code, dict(answers or {}), link)


def regulated_info(code: str):
    """RegulatedInfo when the code is a regulated profession in Québec, else None (decides the question)."""
    from lib.programs import regulated_info as lookup
    return lookup(noc().get(code).code, rules())


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
