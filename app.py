"""Router: page config, language switch, presenter mode, share-link restore, then st.navigation(...).run().

The page scripts live in views/, not pages/: Streamlit still treats a pages/ folder as a legacy multipage app
until some session has called st.navigation, so on a fresh server a shared deep link such as /programs?code=…
ran pages/programs.py on its own, without this router (no language, no restored answers).
"""
from __future__ import annotations

import streamlit as st

from lib import i18n, settings, share
from views import common as ui
from views.style import BASE_CSS, PRESENTER_CSS


def boot() -> None:
    """Once per session: read the share link (or the browser locale) into the session."""
    if st.session_state.get(ui.BOOTED):
        return
    st.session_state[ui.BOOTED] = True
    shared = share.decode(st.query_params.to_dict())
    st.session_state[ui.LANG] = shared.lang or i18n.normalize_lang(st.context.locale) or i18n.DEFAULT_LANGUAGE
    st.session_state.setdefault(ui.ANSWERS, {})
    if shared.code and shared.noc_version not in (None, settings.noc_version()):
        # A code from another NOC version may mean another occupation: never restore it silently.
        st.session_state[ui.NOTICE] = ("share.other_version",
                                       {"link": shared.noc_version, "app": settings.noc_version()})
    elif shared.code:
        st.session_state[ui.CODE] = shared.code
        st.session_state[ui.ANSWERS] = dict(shared.answers)
        st.session_state["restore"] = True
    if shared.dropped and ui.NOTICE not in st.session_state:
        st.session_state[ui.NOTICE] = ("share.dropped", {"names": ", ".join(sorted(set(shared.dropped)))})


def reset_session() -> None:
    """Presenter mode: the next visitor starts from nothing (the mode itself and the language stay)."""
    keep = {k: st.session_state.get(k) for k in (ui.LANG, ui.PRESENTER, ui.BOOTED)}
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state.update(keep)
    st.session_state[ui.ANSWERS] = {}
    st.query_params.clear()


def _copy(widget_key: str, state_key: str) -> None:
    """Widgets own "w_*" keys and the session keeps its own copy: Streamlit drops a widget's state when a page
    switch interrupts the run, and the language or presenter mode must never silently reset."""
    st.session_state[state_key] = st.session_state[widget_key]


boot()  # before set_page_config (it draws nothing) so that the browser tab title is in the right language
st.set_page_config(page_title=ui.tr("common.page_title"), page_icon="🧭", layout="centered")
st.html(BASE_CSS)

# Language switch at the top of every page (the sidebar is folded away on phones).
st.session_state["w_lang"] = ui.lang()
st.segmented_control(i18n.t("common.language", ui.lang()), options=list(i18n.LANGUAGES), key="w_lang",
                     format_func=lambda code: i18n.t(f"common.language_name.{code}", code), required=True,
                     label_visibility="collapsed", on_change=_copy, args=("w_lang", ui.LANG))

with st.sidebar:
    st.session_state["w_presenter"] = bool(st.session_state.get(ui.PRESENTER))
    st.toggle(ui.tr("presenter.toggle"), key="w_presenter", help=ui.tr("presenter.help"),
              on_change=_copy, args=("w_presenter", ui.PRESENTER))
    if st.session_state.get(ui.PRESENTER):
        st.button(ui.tr("presenter.reset"), on_click=reset_session, type="primary", use_container_width=True)
if st.session_state.get(ui.PRESENTER):
    st.html(PRESENTER_CSS)

page = st.navigation(ui.navigation_pages(ui.lang()))

if st.session_state.pop("restore", False) and page.url_path != "programs":
    ui.go("programs")
notice = st.session_state.pop(ui.NOTICE, None)  # e.g. parts of a share link that were not understood
if notice:
    st.warning(ui.tr(notice[0], **notice[1]))

# The URL carries the language always, and the code and answers once a code is chosen (never the free text).
with_choice = page.url_path in ("situation", "programs")
params = share.encode(ui.lang(), st.session_state.get(ui.CODE) if with_choice else None,
                      st.session_state.get(ui.ANSWERS) if with_choice else None, settings.noc_version())
if st.query_params.to_dict() != params:
    st.query_params.from_dict(params)

ui.noc()  # without data every page is the short 'temporarily unavailable' one (operators: see the log)
page.run()
