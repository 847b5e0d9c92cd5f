"""Your programs: every program component for the chosen code, with verdict, status, reasons and sources."""
import streamlit as st

from lib import report
from views import common as ui

# Material icons ship with Streamlit (no emoji font needed); colour is never the only signal: the label follows.
VERDICT_ICON = {"eligible": ":green[:material/check_circle:]", "not_eligible": ":red[:material/block:]",
                "conditional": ":orange[:material/rule:]", "not_occupation_based": ":blue[:material/info:]",
                "not_covered": ":gray[:material/remove_circle_outline:]"}
NB_HYPHEN = "\u2011"  # dates in the narrow status column must not break at their hyphens
CONDITION_ICON = {"met": ":green[:material/check:]", "not_met": ":red[:material/close:]",
                  "unknown": ":gray[:material/question_mark:]"}

def verdict_text(comp) -> str:
    """Icon and verdict; greyed when the program takes no new applications."""
    icon = ":gray[:material/history:]" if report.takes_no_applications(comp) else VERDICT_ICON.get(comp.occupation, "")
    return f"{icon} {report.verdict_label(comp, ui.lang())}"


st.title(ui.tr("programs.title"))
code = ui.chosen_code_or_stop("programs.no_code")

lang = ui.lang()
answers = dict(st.session_state.get(ui.ANSWERS) or {})
with ui.people_errors():
    ev = ui.evaluate(code, answers)

st.subheader(f"{ev.code} — {ui.safe(ev.title(lang))}", anchor=False)
st.markdown(ui.tr("programs.header", teer=ev.teer, teer_label=ui.tr(f"teer.{ev.teer}"), as_of=ev.as_of.isoformat()))
st.warning(ui.safe(ev.disclaimer(lang)), icon=":material/gavel:")
if ev.regulated is not None:
    st.info(ui.safe(ui.regulated_sentence(ev.regulated)))
for note in ev.notes(lang):
    st.caption(ui.safe(note))
given = report.answer_lines(answers, lang)
st.caption(ui.tr("programs.answers_used", answers=ui.safe("; ".join(given))) if given else ui.tr("programs.no_answers"))

# Summary first: one line per component, so the whole picture fits on a screen.
rows = [f"| {ui.tr('programs.component')} | {ui.tr('programs.verdict')} | {ui.tr('programs.status')} |",
        "|---|---|---|"]
for comp in ev.components:
    short = ui.program_short_name(comp.program_id, comp.program_name(lang))
    rows.append(f"| {ui.safe(short)} — {ui.safe(comp.name(lang))} "
                f"| {verdict_text(comp)} "
                f"| {ui.safe(report.status_text(comp, lang)).replace('-', NB_HYPHEN)} |")
st.markdown("\n".join(rows))

for comp in ev.components:
    with st.container(border=True):
        st.subheader(f"{ui.safe(comp.program_name(lang))} — {ui.safe(comp.name(lang))}", anchor=False)
        st.markdown(f"**{verdict_text(comp)}** · "
                    + ui.safe(report.pair("programs.status", report.status_text(comp, lang), lang)))
        flag = f" · :orange-badge[{ui.tr('programs.to_verify')}]" if comp.to_verify else ""
        st.caption(report.pair("programs.confidence", ui.tr(f"confidence.{comp.confidence}"), lang) + f"{flag} · "
                   f"{ui.tr('programs.last_verified', date=comp.last_verified.isoformat())}")
        reasons = comp.reasons(lang)
        if reasons:
            st.markdown(f"**{ui.tr('programs.reasons')}**\n\n" + "\n".join(f"- {ui.safe(r)}" for r in reasons))
        if comp.conditions:
            verify = f" :orange-badge[{ui.tr('programs.to_verify')}]"
            st.markdown(f"**{ui.tr('programs.conditions')}**\n\n" + "\n".join(
                f"- {CONDITION_ICON.get(c.state, '')} *{ui.tr(f'condition.{c.state}')}* — {ui.safe(c.text(lang))}"
                + (verify if c.to_verify else "") for c in comp.conditions))
        notes = comp.notes(lang)
        if notes:
            st.markdown(f"**{ui.tr('programs.notes')}**\n\n" + "\n".join(f"- {ui.safe(n)}" for n in notes))
        if comp.sources:
            st.markdown(f"**{ui.tr('programs.sources')}**\n\n" + "\n".join(
                f"- [{ui.safe(report.source_label(s, lang))}](<{s.url_in(lang)}>) — "
                f"{ui.tr('programs.read_on', date=s.read_on.isoformat())}"
                for s in report.ordered_sources(comp.sources, lang)))

st.divider()
st.subheader(ui.tr("programs.keep_title"))
name = f"quebec-programs-{ev.code}-{lang}"
left, right = st.columns(2)
with left:
    st.download_button(ui.tr("programs.download_md"), data=lambda: report.to_markdown(ev, lang, answers),
                       file_name=f"{name}.md", mime="text/markdown", icon=":material/description:",
                       key="dl_md")
with right:
    st.download_button(ui.tr("programs.download_pdf"), data=lambda: report.to_pdf(ev, lang, answers),
                       file_name=f"{name}.pdf", mime="application/pdf", icon=":material/picture_as_pdf:",
                       key="dl_pdf")
st.caption(ui.tr("programs.print_hint"))
st.markdown(ui.tr("programs.share_intro"))
st.code(ui.share_url(), language=None, wrap_lines=True)

ui.nav_buttons(("programs.change_answers", "programs_answers", "situation"),
               ("programs.other_code", "programs_other", "describe"))
