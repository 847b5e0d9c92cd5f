"""Start: what the tool does and does not do, and the date the program rules were last checked."""
import streamlit as st

from views import common as ui

st.title(ui.tr("start.title"))
st.markdown(ui.tr("start.intro"))
if st.button(ui.tr("start.begin"), type="primary", key="start_begin"):
    ui.go("describe")
ui.page_link("browse", "start.know_code", icon=":material/account_tree:")

left, right = st.columns(2)
with left:
    st.subheader(ui.tr("start.does_title"))
    st.markdown(ui.tr("start.does"))
with right:
    st.subheader(ui.tr("start.doesnt_title"))
    st.markdown(ui.tr("start.doesnt"))

rules = ui.rules()
st.info(ui.tr("start.rules_as_of", date=ui.rules_as_of(rules), corpus_until=rules.programs.corpus_until.isoformat()))
st.caption(ui.tr("common.disclaimer"))
