"""Choose your occupation: ranked unit groups with the evidence behind each, look-alikes and official links."""
import streamlit as st

from lib import i18n
from lib.text import excerpt
from views import common as ui
from views import unit_details

st.title(ui.tr("choose.title"))
result = st.session_state.get(ui.RANKED)
if result is None:
    st.info(ui.tr("choose.nothing_yet"))
    ui.page_link("describe", "choose.go_describe", icon=":material/edit:")
    st.stop()

lang = ui.lang()
message = ui.tr(result.message_key) if result.message_key and i18n.has(result.message_key, lang) else None
if not result.results:
    st.warning(ui.tr("choose.no_results"))
elif not result.convincing:
    st.warning(message or ui.tr("choose.low_confidence"), icon=":material/warning:")
else:
    if message:
        st.info(message)
    st.markdown(ui.tr(f"choose.intro_{result.kind}" if result.kind in ("noc2016", "noc2021") else "choose.intro_text"))
st.caption(ui.tr("choose.how_to_read"))


@st.fragment
def suggestions() -> None:
    """The ranked codes; "show more" reruns only this part (the ranking itself is never redone on a rerun)."""
    shown = st.session_state.get("choose_shown", 5)
    other_lang_shown = None  # set when some evidence has no text in the page language
    for rank, match in enumerate(result.results[:shown], start=1):
        with st.container(border=True):
            st.subheader(f"{rank}. {match.code} — {ui.safe(match.title(lang))}", anchor=False)
            st.markdown(ui.tr("choose.teer_confidence", teer=match.teer, teer_label=ui.tr(f"teer.{match.teer}"),
                              confidence=ui.tr(f"match_confidence.{match.confidence}")))
            if match.evidence:
                st.markdown(ui.tr("choose.evidence"))
                lines = []
                ug = ui.noc().get(match.code)
                shown_items = [(ev.kind, *ug.in_language(ev.kind, ev.text, ev.lang, lang)) for ev in match.evidence]
                # Evidence with no text in the page language (a lead statement, a duty of one of the 33 groups whose
                # lists are not parallel) is left out when evidence in the page language says why; else it is shown.
                in_lang = [item for item in shown_items if item[2] == lang]
                for kind, text, text_lang in in_lang or shown_items:
                    # An excerpt, not the list: the French list punctuation ("…; ") is left out, and a duty of
                    # several clauses is cut to those sharing the most words with the description.
                    value = ui.safe(excerpt(text.rstrip(" ;"), result.query_stems))
                    if text_lang != lang:  # no text in the page language: shown in italics, said once below
                        value, other_lang_shown = f"*{value}*", text_lang
                    lines.append("- " + ui.tr("common.pair", label=ui.tr(f"evidence.{kind}"), value=value))
                st.markdown("\n".join(lines))
            unit_details.show(match.code)
            if match.look_alikes:
                st.markdown(ui.tr("choose.look_alikes"))
                st.markdown("\n".join(f"- {ui.safe(ui.unit_title(code))}" for code in match.look_alikes))
            pick, profile = st.columns([1, 1])
            with pick:
                if st.button(ui.tr("choose.pick", code=match.code), key=f"pick_{match.code}",
                             type="primary" if rank == 1 else "secondary"):
                    if st.session_state.get(ui.CODE) != match.code:
                        answers = st.session_state.get(ui.ANSWERS, {})
                        st.session_state[ui.ANSWERS] = {**answers, "regulated_intent": None}
                    st.session_state[ui.CODE] = match.code
                    ui.go("situation")
            with profile:
                st.link_button(ui.tr("choose.profile"), ui.noc().profile_url(match.code, lang),
                               icon=":material/open_in_new:")

    if other_lang_shown:
        st.caption(ui.tr("choose.other_lang_note", language=ui.tr(f"common.language_in.{other_lang_shown}")))
    if len(result.results) > shown:  # the callback runs before the (fragment) rerun that follows the click
        st.button(ui.tr("choose.show_more"), key="choose_more",
                  on_click=lambda: st.session_state.update(choose_shown=len(result.results)))


suggestions()

st.divider()
st.markdown(ui.tr("choose.none_fit_intro"))
ui.nav_buttons(("choose.none_fit", "choose_none", "browse"), ("choose.rephrase", "choose_rephrase", "describe"))
