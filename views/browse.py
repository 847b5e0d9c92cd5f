"""Browse the NOC: search by words or code, or walk the hierarchy; picking a unit group shows its programs."""
import streamlit as st

from lib.errors import UserError
from lib.noc import LEVELS
from views import common as ui

st.title(ui.tr("browse.title"))
st.markdown(ui.tr("browse.intro"))
noc = ui.noc()
lang = ui.lang()


def pick_button(code: str, key_prefix: str) -> None:
    """One row: the code and title, and a button that opens Your programs for it."""
    text, action = st.columns([4, 1], vertical_alignment="center")
    text.markdown(ui.safe(ui.unit_title(code)) + f"  \n:gray[{ui.tr('common.teer', teer=noc.get(code).teer)}]")
    if action.button(ui.tr("browse.pick"), key=f"{key_prefix}_{code}", help=ui.tr("browse.pick_help", code=code)):
        st.session_state[ui.CODE] = code
        st.session_state[ui.ANSWERS] = {k: v for k, v in (st.session_state.get(ui.ANSWERS) or {}).items()
                                        if k != "regulated_intent"}
        ui.go("programs")


@st.fragment
def search() -> None:
    """Typing a search reruns only this part of the page (not the router, nor the hierarchy below)."""
    query = st.text_input(ui.tr("browse.search_label"), placeholder=ui.tr("browse.search_placeholder"),
                          max_chars=200, key="w_browse_query")
    if not (query and query.strip()):
        return
    codes: list[str] = []
    try:
        found = noc.lookup_code(query)
        codes = list(found.codes) if found else noc.search(query, limit=15)
    except UserError as err:
        st.warning(ui.tr("errors.user", message=err.text(lang)))
    if codes:
        st.caption(ui.tr("browse.results", n=len(codes)))
        for code in codes:
            pick_button(code, "search")
    else:
        st.info(ui.tr("browse.no_results"))


def group_label(code: str) -> str:
    group = noc.groups.get(code)
    return f"{code} — {group.title(lang)}" if group else code


@st.fragment
def hierarchy() -> None:
    """Broad category -> major -> sub-major -> minor group -> unit groups; each choice reruns only this part."""
    st.subheader(ui.tr("browse.hierarchy"))
    st.caption(ui.tr("browse.hierarchy_help"))
    if lang != "en" and any(g.title(lang) == g.title_en for g in noc.groups.values()):
        st.caption(ui.tr("browse.groups_in_english"))  # said once, not on every option
    parent = ""
    for level in LEVELS.values():
        children = noc.children(parent)
        if not children:
            break
        chosen = st.selectbox(ui.tr(f"browse.level.{level}"), [None, *children], key=f"w_browse_{level}",
                              format_func=lambda c: ui.tr("browse.choose_level") if c is None else group_label(c))
        if chosen is None:
            return
        parent = chosen
    for code in noc.children(parent):
        pick_button(code, "tree")


search()
hierarchy()
