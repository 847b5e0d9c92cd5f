"""The official NOC text of one unit group (main duties by role, employment requirements, exclusions) in an
expander, in the page language; where the data has no French text the English one is shown and said once."""
import streamlit as st

from views import common as ui


def show(code: str) -> None:
    lang = ui.lang()
    ug = ui.noc().get(code)
    with st.expander(ui.tr("details.title", code=code)):
        parts = []
        for section in ug.main_duties(lang):
            if section.heading:
                parts.append(f"**{ui.safe(section.heading)}**")
            parts.append("\n".join(f"- {ui.safe(d)}" for d in section.duties))
        if parts:
            st.markdown(f"**{ui.tr('details.duties')}**\n\n" + "\n\n".join(parts))
        requirements = ug.employment_requirements(lang)
        if requirements:
            st.markdown(f"**{ui.tr('details.requirements')}**\n\n" + "\n".join(f"- {ui.safe(r)}" for r in requirements))
        exclusions = ug.exclusions(lang)
        if exclusions:
            items = "\n".join(f"- {ui.safe(e.text)}" for e in exclusions)
            st.markdown(f"**{ui.tr('details.exclusions')}**\n\n" + items)
        if lang != "en" and not ug.has_fr_details():
            st.caption(ui.tr("details.in_english"))
