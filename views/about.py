"""About: data versions and sources, how matching works, the model, and what happens to what you type."""
import streamlit as st

from lib import settings
from lib.matching import adapt
from views import common as ui

st.title(ui.tr("about.title"))
noc = ui.noc()
lang = ui.lang()

st.subheader(ui.tr("about.data_title"))
label = noc.label.get(lang) or noc.label.get("en") or noc.version
st.markdown(ui.tr("about.data", label=ui.safe(label), count=len(noc.unit_groups), checksum=noc.checksum[:12]))
st.markdown("\n".join(f"- {ui.safe(name)}" for name in sorted(noc.sources.values())))
if not noc.has_fr_details:
    st.info(ui.tr("about.no_fr_details"))

st.subheader(ui.tr("about.rules_title"))
rules = ui.rules()
st.markdown(ui.tr("about.rules", date=ui.rules_as_of(rules), corpus_until=rules.programs.corpus_until.isoformat()))

st.subheader(ui.tr("about.matching_title"))
model = settings.model_name()
st.markdown(ui.tr("about.matching", model=ui.safe(model)))
if adapt.applies(model):
    st.markdown(ui.tr("about.model_adapted", model=ui.safe(model)))

st.subheader(ui.tr("about.privacy_title"))
st.markdown(ui.tr("about.privacy"))

st.subheader(ui.tr("about.limits_title"))
st.markdown(ui.tr("about.limits"))
st.caption(ui.tr("common.disclaimer"))
