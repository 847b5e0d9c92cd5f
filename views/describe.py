"""Describe your work: free text (duties, a title or a code) -> ranked occupations for the Choose page."""
import logging

import streamlit as st

from lib.errors import UserError
from views import common as ui

MAX_CHARS = 4000  # a long reference letter fits; more than this is not a description of one job

st.title(ui.tr("describe.title"))
st.markdown(ui.tr("describe.intro"))
with st.expander(ui.tr("describe.examples_title")):
    st.markdown(ui.tr("describe.examples"))

with st.form("describe_form", border=False):
    text = st.text_area(ui.tr("describe.label"), value=st.session_state.get(ui.DESCRIPTION, ""),
                        max_chars=MAX_CHARS, height=170, placeholder=ui.tr("describe.placeholder"),
                        help=ui.tr("describe.help"), key="w_description")
    submitted = st.form_submit_button(ui.tr("describe.submit"), type="primary")
st.caption(ui.tr("describe.privacy"))

if submitted:
    if not text or not text.strip():
        st.warning(ui.tr("describe.empty"))
    else:
        matcher = ui.matcher()
        with ui.people_errors(), st.spinner(ui.tr("describe.searching")):
            try:
                result = matcher.rank(text, top=10, lang=None)
            except UserError:
                raise
            except Exception as err:  # noqa: BLE001 — a bug's message could quote the text: log its type only
                logging.getLogger(__name__).error("ranking failed: %s", type(err).__name__)
                st.error(ui.tr("errors.ranking"))
                st.stop()
        st.session_state[ui.DESCRIPTION] = text
        st.session_state[ui.RANKED] = result
        st.session_state["choose_shown"] = 5
        ui.go("choose")
