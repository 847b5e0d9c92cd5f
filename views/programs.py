"""Your programs: the answer first (yes / maybe / no per component, from lib), then the details of each one."""
import re

import streamlit as st

from lib.programs import report
from views import common as ui

# Material icons ship with Streamlit (no emoji font needed); colour is never the only signal: the label follows.
VERDICT_ICON = {"eligible": ":green[:material/check_circle:]", "not_eligible": ":red[:material/block:]",
                "conditional": ":orange[:material/rule:]", "not_occupation_based": ":blue[:material/info:]",
                "not_covered": ":gray[:material/remove_circle_outline:]"}
OVERALL_ICON = {"yes": ":material/check_circle:", "maybe": ":material/help:", "no": ":material/block:"}
OVERALL_BOX = {"yes": st.success, "maybe": st.warning, "no": st.error}
CONDITION_ICON = {"met": ":green[:material/check:]", "not_met": ":red[:material/close:]",
                  "unknown": ":gray[:material/question_mark:]"}
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def nb_dates(text: str) -> str:
    """2026-10-31 must not break at its hyphens on a phone: non-breaking hyphens (U+2011) inside dates."""
    return ISO_DATE.sub("\\1\u2011\\2\u2011\\3", text)


def verdict_text(comp) -> str:
    """Icon and occupation verdict; greyed when the program takes no new applications."""
    icon = ":gray[:material/history:]" if report.takes_no_applications(comp) else VERDICT_ICON.get(comp.occupation, "")
    return f"{icon} {report.verdict_label(comp, ui.lang())}"


def summary(ev, lang: str) -> None:
    """The answer in one phone screen: one box per answer, one line per component (same 'no' reasons merged)."""
    groups = report.summary_lines(ev, lang)
    none_yes = "" if groups["yes"] else f" {ui.tr('summary.none_yes')}"   # one line, not a box, on phones
    st.markdown(f"**{ui.tr('summary.title')}**{none_yes}")
    for key, lines in groups.items():
        if not lines:
            continue
        body = "\n".join(f"- **{ui.safe(names)}** — {nb_dates(ui.safe(reason))}" for names, reason in lines)
        OVERALL_BOX[key](f"**{ui.tr(f'overall.{key}')}**\n\n{body}", icon=OVERALL_ICON[key])


def component_details(comp, own_notes: list[str], lang: str) -> None:
    st.markdown(ui.safe(f"{comp.program_name(lang)} — {comp.name(lang)}"))
    st.markdown("\n".join(f"- {ui.safe(r)}" for r in comp.overall_reasons(lang)))
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
    if own_notes:
        st.markdown(f"**{ui.tr('programs.notes')}**\n\n" + "\n".join(f"- {ui.safe(n)}" for n in own_notes))
    if comp.draws is not None:
        st.markdown(f"**{ui.tr('draws.title')}**")
        rows = report.draw_rows(comp, lang)
        if rows:
            head = (ui.tr("draws.date"), ui.tr("draws.label"), ui.tr("draws.invitations"), ui.tr("draws.min_score"))
            st.markdown("\n".join([f"| {' | '.join(head)} |", "|---|---|--:|--:|"]
                                  + [f"| {' | '.join(ui.safe(c) for c in row)} |" for row in rows]))
        st.caption(ui.tr("draws.none_after", date=comp.draws_found_until.isoformat()))
    sources = report.ordered_sources(comp.sources, lang) + [d.source for d in comp.draws or ()]
    seen: set[str] = set()
    links = []
    for s in sources:
        if s.url not in seen:
            seen.add(s.url)
            links.append(f"- [{ui.safe(report.source_label(s, lang))}](<{s.url_in(lang)}>) — "
                         f"{ui.tr('programs.read_on', date=s.read_on.isoformat())}")
    st.markdown(f"**{ui.tr('programs.sources')}**\n\n" + "\n".join(links))


st.title(ui.tr("programs.title"))
code = ui.chosen_code_or_stop("programs.no_code")

lang = ui.lang()
answers = dict(st.session_state.get(ui.ANSWERS) or {})
with ui.people_errors():
    ev = ui.evaluate(code, answers)

# Phone and desktop alike: the code line, then the answer, before anything else.
st.markdown(f"**{ev.code} — {ui.safe(ev.title(lang))}**  \n"
            + ui.tr("programs.header", teer=ev.teer, teer_label=ui.tr(f"teer.{ev.teer}"),
                    dates=nb_dates(ui.safe(report.rules_dates(ev, lang)))))
summary(ev, lang)

# Keep or share, near the top: the link (one line, copy button always visible) and both downloads.
share_link = ui.share_url()
st.markdown(ui.tr("programs.share_intro"))
st.code(share_link, language=None, wrap_lines=False)
name = f"quebec-programs-{ev.code}-{lang}"
# Built now, not deferred: a deferred download is dropped by the rerun that another click starts (the
# "Deferred file … not found" error); on_click="ignore" keeps a click from rerunning the page at all.
markdown, pdf = ui.exports(ev, lang, answers, share_link)
left, right = st.columns(2)
with left:
    st.download_button(ui.tr("programs.download_pdf"), data=pdf,
                       file_name=f"{name}.pdf", mime="application/pdf", icon=":material/picture_as_pdf:",
                       key="dl_pdf", on_click="ignore", use_container_width=True)
with right:
    st.download_button(ui.tr("programs.download_md"), data=markdown,
                       file_name=f"{name}.md", mime="text/markdown", icon=":material/description:",
                       key="dl_md", on_click="ignore", use_container_width=True)
st.caption(ui.safe(ev.disclaimer(lang)) + " " + ui.tr("programs.print_hint"))
given = report.answer_lines(answers, lang)
st.caption(ui.tr("programs.answers_used", answers=ui.safe("; ".join(given))) if given else ui.tr("programs.no_answers"))
if ev.regulated is not None:
    st.info(ui.safe(ui.regulated_sentence(ev.regulated)))

shared_notes, own_notes = report.note_groups(ev, lang)
for key in ("yes", "maybe", "no"):
    comps = [c for c in ev.ordered() if c.overall == key]
    if not comps:
        continue
    st.subheader(ui.tr("programs.section_count", label=ui.tr(f"overall.{key}"), n=len(comps)), anchor=False)
    for comp in comps:
        # "No" components are folded: their one reason is in the title; the details are one click away.
        title = f"{OVERALL_ICON[key]} **{ui.safe(comp.short_name(lang))}**"
        if key == "no":
            title += f" — {nb_dates(ui.safe(comp.overall_reason(lang)))}"
        with st.expander(title, expanded=key != "no"):
            component_details(comp, own_notes[comp.id], lang)

st.subheader(ui.tr("programs.shared_notes"), anchor=False)
st.markdown("\n".join(f"- {ui.safe(n)}" for n in ev.notes(lang) + shared_notes))

ui.nav_buttons(("programs.change_answers", "programs_answers", "situation"),
               ("programs.other_code", "programs_other", "describe"))
