"""Your programs: the answer first (yes / maybe / no per component, from lib), then the details of each one."""
import re

import streamlit as st

from lib.programs import report
from lib.programs.vocab import OVERALL
from views import common as ui

# Material icons ship with Streamlit (no emoji font needed); colour is never the only signal: the label follows.
# Keys: report's block marks (a verdict, "no_applications" when it must not read as good news, a condition state).
VERDICT_ICON = {"eligible": ":green[:material/check_circle:]", "not_eligible": ":red[:material/block:]",
                "conditional": ":orange[:material/rule:]", "not_occupation_based": ":blue[:material/info:]",
                "not_covered": ":gray[:material/remove_circle_outline:]",
                "no_applications": ":gray[:material/history:]"}
OVERALL_ICON = {"yes": ":material/check_circle:", "maybe": ":material/help:", "no": ":material/block:"}
OVERALL_BOX = {"yes": st.success, "maybe": st.warning, "no": st.error}
CONDITION_ICON = {"met": ":green[:material/check:]", "not_met": ":red[:material/close:]",
                  "unknown": ":gray[:material/question_mark:]"}
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def nb_dates(text: str) -> str:
    """2026-10-31 must not break at its hyphens on a phone: non-breaking hyphens (U+2011) inside dates."""
    return ISO_DATE.sub("\\1\u2011\\2\u2011\\3", text)


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
    """The component's card: report.component_blocks with the page's icons, then its sources as links."""
    badge = f" :orange-badge[{ui.tr('programs.to_verify')}]"
    heading, items = None, []

    def flush() -> None:
        nonlocal heading, items
        if heading is not None or items:
            head = f"**{ui.safe(heading)}**\n\n" if heading is not None else ""
            st.markdown(head + "\n".join(items))
        heading, items = None, []

    for b in report.component_blocks(comp, lang, own_notes):
        if b.kind == "li":
            icon = f"{CONDITION_ICON[b.mark]} " if b.mark in CONDITION_ICON else ""
            items.append(f"- {icon}{ui.safe(b.text)}" + (badge if b.to_verify else ""))
            continue
        flush()
        if b.kind == "h3":
            heading = b.text
        elif b.kind == "facts":
            parts = dict(b.rows)
            icon = VERDICT_ICON.get(b.mark, "")
            st.markdown(f"**{icon} {ui.safe(parts['verdict'])}** · {ui.safe(parts['status'])}")
            flag = f" ·{badge}" if b.to_verify else ""
            st.caption(f"{ui.safe(parts['confidence'])}{flag} · {ui.safe(parts['checked'])}")
        elif b.kind == "table":
            st.markdown("\n".join([f"| {' | '.join(ui.safe(h) for h in b.header)} |", "|---|---|--:|--:|"]
                                   + [f"| {' | '.join(ui.safe(c) for c in row)} |" for row in b.rows]))
        elif b.kind == "small":
            st.caption(ui.safe(b.text))
        else:
            st.markdown(ui.safe(b.text))
    flush()
    links = [f"- [{ui.safe(report.source_label(s, lang))}](<{s.url_in(lang)}>) — "
             f"{ui.tr('programs.read_on', date=s.read_on.isoformat())}" for s in report.component_sources(comp, lang)]
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
# The PDF is made on click (deferred), the Markdown now (cheap); on_click="ignore" keeps a click from rerunning the
# page, so neither download is dropped by a rerun ("Deferred file … not found", tests/test_browser.py).
markdown, pdf = ui.markdown_export(ev, lang, answers, share_link), ui.pdf_export(ev, lang, answers, share_link)
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
for key in OVERALL:
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
