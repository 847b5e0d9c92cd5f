"""The programs result as one list of blocks, rendered as Markdown, PDF and terminal text (`python -m lib programs`).

`blocks()` is the whole document; `component_blocks()` is one component's card, which the page (views/programs.py)
also renders, with its own icons for the blocks' marks. Every label comes from the i18n catalogue (data/i18n/), so
the page, the downloads and the command line say the same thing in the same words.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from lib import typography
from lib.i18n import t
from lib.programs.vocab import OVERALL

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")
# A line starting "- ", "+ ", "= " or "12. " would become a list or heading: escape the punctuation itself
# (a backslash before a digit is not an escape in Markdown and would show, as in "\98.5 FM").
_LINE_START = re.compile(r"^(\s*)(\d+)?([-+=.)])")
_WHITESPACE = re.compile(r"[^\S\u00a0\u202f]+")  # runs of white space other than the non-breaking ones
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Unicode PDF text when installed
CONDITION_MARK = {"met": "✓", "not_met": "✗", "unknown": "?"}


def escape_md(text: str) -> str:
    """Markdown-inert text on one line: no links, images, emphasis, HTML or math from data or people.

    Non-breaking spaces (French typography) are kept; every other run of white space becomes one space.
    """
    one_line = _WHITESPACE.sub(" ", str(text)).strip(" ")
    def guard(m: re.Match) -> str:
        digits, mark = m.group(2) or "", m.group(3)
        if digits and mark not in ".)":
            return m.group(0)
        return m.group(1) + digits + "\\" + mark
    return _LINE_START.sub(guard, _MD_SPECIAL.sub(r"\\\1", one_line))


@dataclass(frozen=True)
class Block:
    """One piece of the document. `mark` says what an icon may show (a condition's state, a verdict); `to_verify`
    asks the renderer to flag the text ("(to verify)", a badge on the page)."""
    kind: str            # "h1" | "h2" | "h3" | "p" | "small" | "li" | "facts" | "link" | "url" | "quote" | "table"
    text: str
    url: str | None = None
    rows: tuple = ()     # a table's rows (tuples of cell text); for "facts", (key, text) pairs
    header: tuple = ()
    mark: str | None = None
    to_verify: bool = False


def _fmt_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def pair(label_key: str, value: str, lang: str) -> str:
    """'Status: Open' / 'Statut : Ouvert' (French puts a space before the colon)."""
    return t("common.pair", lang, label=t(label_key, lang), value=value)


def _section(heading_key: str, items: list, lang: str) -> list:
    """A sub-heading and its items, or nothing when there are no items."""
    return [Block("h3", t(heading_key, lang)), *items] if items else []


def verdict_label(comp, lang: str) -> str:
    """'Eligible occupation', or 'Eligible occupation (no new applications)' when that is no good news."""
    label = t(f"verdict.{comp.verdict}", lang)
    return f"{label} ({t('programs.no_new_applications', lang)})" if comp.verdict_without_applications else label


def verdict_mark(comp) -> str:
    """What the verdict's icon shows: the verdict, or 'no_applications' when it must not read as good news."""
    return "no_applications" if comp.verdict_without_applications else comp.verdict


def status_text(component: Any, lang: str) -> str:
    """'Open since 2024-11-29', 'Ended on 2025-11-19', '... until 2026-06-30' in one language."""
    if component.status_since:
        text = t(f"status_since.{component.status}", lang, date=_fmt_date(component.status_since))
    else:
        text = t(f"status.{component.status}", lang)
    if component.status_until:
        text += " " + t("programs.until", lang, date=_fmt_date(component.status_until))
    return text


def answer_lines(answers: Mapping[str, Any], lang: str) -> list[str]:
    """The questionnaire answers given, as 'label: value' lines (unanswered questions are left out)."""
    lines = []
    for key, value in answers.items():
        if value is None:
            continue
        if isinstance(value, bool):
            shown = t("common.yes" if value else "common.no", lang)
        elif isinstance(value, str):
            shown = t(f"answers.{key}.{value}", lang)
        else:
            shown = typography.number(value, lang)
        short = t(f"answers.{key}.short", lang)   # the few words, not the whole question
        lines.append(t("common.pair", lang, label=short[:1].upper() + short[1:], value=shown))
    return lines


def rules_dates(ev: Any, lang: str) -> str:
    """'Rules checked on 2026-12-01, sources up to 2026-11-30': when the facts were checked, not today."""
    return t("programs.rules_dates", lang, checked=_fmt_date(ev.rules_last_verified),
             sources_until=_fmt_date(ev.sources_until))


def summary_lines(ev: Any, lang: str) -> dict[str, list[tuple[str, str]]]:
    """{"yes"|"maybe"|"no": [(names, reason)]}; 'no' lines with the same reason are merged into one, so the
    four ended pilots read as one line and the summary fits on a phone screen."""
    out: dict[str, list[tuple[str, str]]] = {key: [] for key in OVERALL}
    for comp in ev.ordered():
        reason = comp.overall_reason(lang)
        lines = out[comp.overall]
        same = next((i for i, (_, r) in enumerate(lines) if r == reason), None) if comp.overall == "no" else None
        if same is None:
            lines.append((comp.short_name(lang), reason))
        else:
            lines[same] = (f"{lines[same][0]}, {comp.short_name(lang)}", reason)
    return out


def note_groups(ev: Any, lang: str) -> tuple[list[str], dict[str, list[str]]]:
    """(notes shown once for several components; each component's own notes). A note moves to the shared list
    when every component of its program has it (prefixed 'PEQ: …'), or every component at all; an engine note
    about one component ('To verify: …') found in a few components stays with each of them."""
    holders: dict[str, list[Any]] = {}
    for comp in ev.components:
        for note in comp.notes(lang):
            holders.setdefault(note, []).append(comp)
    size: dict[str, int] = {}
    for comp in ev.components:
        size[comp.program_id] = size.get(comp.program_id, 0) + 1
    shared, own = [], {c.id: [] for c in ev.components}
    for note, comps in holders.items():
        programs = {c.program_id for c in comps}
        if len(comps) == len(ev.components):
            shared.append(note)
        elif len(comps) > 1 and len(programs) == 1 and len(comps) == size[comps[0].program_id]:
            shared.append(t("common.pair", lang, label=comps[0].program_short_name(lang), value=note))
        else:
            for comp in comps:
                own[comp.id].append(note)
    return shared, own


def draw_rows(comp: Any, lang: str, latest: int | None = None) -> list[tuple[str, str, str, str]]:
    """(date, sub-round, invitations, minimum score) for a PSTQ component, newest first; '–' where the source
    says nothing. latest=N keeps the rounds of the N most recent dates (the exports stay short)."""
    rows = []
    dates = sorted({d.date for d in comp.draws or ()}, reverse=True)[:latest] if latest else None
    for d in comp.draws or ():
        if dates is not None and d.date not in dates:
            continue
        label = d.label(lang) + (f" ({d.region(lang)})" if d.region(lang) else "")
        rows.append((_fmt_date(d.date), label, _int(d.invitations, lang), _int(d.min_score, lang)))
    return rows


def _int(value: int | None, lang: str) -> str:
    if value is None:
        return "–"
    text = f"{value:,}"
    return text.replace(",", "\u202f") if lang == "fr" else text   # French groups digits with a narrow space


def answer_text(comp: Any, lang: str) -> str:
    return t(f"overall.{comp.overall}", lang)


def facts_block(comp: Any, lang: str) -> Block:
    """'Status: Open since … · Your occupation: Eligible occupation · Confidence: high · checked on …'; its rows
    keep the parts apart for the page, which shows the verdict with an icon and the rest in small type."""
    parts = (("status", pair("programs.status", status_text(comp, lang), lang)),
             ("verdict", verdict_label(comp, lang)),
             ("confidence", pair("programs.confidence", t(f"confidence.{comp.confidence}", lang), lang)),
             ("checked", t("programs.last_verified", lang, date=_fmt_date(comp.last_verified))))
    flag = f" ({t('programs.to_verify', lang)})" if comp.to_verify else ""
    text = " · ".join((parts[0][1], pair("programs.verdict", parts[1][1], lang), parts[2][1] + flag, parts[3][1]))
    return Block("facts", text, rows=parts, mark=verdict_mark(comp), to_verify=comp.to_verify)


def component_blocks(comp: Any, lang: str, own_notes: list[str], details: bool = True,
                     latest_draws: int | None = None) -> list[Block]:
    """One component's card: its name, the answer's reasons and the facts line; with details, the occupation's
    reasons, the conditions, its own notes and the invitation rounds (latest_draws=N: the N most recent dates)."""
    out = [Block("p", f"{comp.program_name(lang)} — {comp.name(lang)}")]
    out += [Block("li", r) for r in comp.overall_reasons(lang)]
    out.append(facts_block(comp, lang))
    if not details:
        return out
    out += _section("programs.reasons", [Block("li", r) for r in comp.reasons(lang)], lang)
    out += _section("programs.conditions", [
        Block("li", pair(f"condition.{c.state}", c.text(lang), lang), mark=c.state, to_verify=c.to_verify)
        for c in comp.conditions], lang)
    out += _section("programs.notes", [Block("li", n) for n in own_notes], lang)
    if comp.draws is not None:
        out.append(Block("h3", t("draws.title", lang)))
        draws = draw_rows(comp, lang, latest=latest_draws)
        if draws:
            out.append(Block("table", "", rows=tuple(draws), header=(
                t("draws.date", lang), t("draws.label", lang), t("draws.invitations", lang),
                t("draws.min_score", lang))))
        out.append(Block("small", t("draws.none_after", lang, date=_fmt_date(comp.draws_found_until))))
    return out


def component_sources(comp: Any, lang: str, with_draws: bool = True) -> list:
    """The component's sources once each, official first, then those of its invitation rounds."""
    seen: dict[str, Any] = {}
    for src in ordered_sources(comp.sources, lang) + ([d.source for d in comp.draws or ()] if with_draws else []):
        seen.setdefault(src.url, src)
    return list(seen.values())


def blocks(evaluation: Any, lang: str, answers: Mapping[str, Any] | None = None,
           share_url: str | None = None, all_details: bool = False) -> list[Block]:
    """The document: the summary table and the share link first, then each component (yes, maybe, no).

    A 'no' keeps its reasons and sources, and its details only with all_details (the terminal shows everything,
    as the page does; the downloads stay short, with only the latest invitation rounds)."""
    ev = evaluation
    out = [
        Block("h1", t("report.title", lang)),
        Block("h2", f"{ev.code} — {ev.title(lang)} ({t('common.teer', lang, teer=ev.teer)})"),
        Block("p", t("report.generated", lang, date=_fmt_date(date.today()), as_of=_fmt_date(ev.as_of))
              + " " + rules_dates(ev, lang) + "."),
        Block("h3", t("summary.title", lang)),
    ]
    rows = [(t(f"overall.{key}", lang), names, reason)
            for key, lines in summary_lines(ev, lang).items() for names, reason in lines]
    out.append(Block("table", "", rows=tuple(rows), header=(t("summary.answer", lang), t("programs.component", lang),
                                                             t("summary.why", lang))))
    if share_url:
        out.append(Block("p", t("report.share_link", lang)))
        out.append(Block("url", share_url, share_url))
    out.append(Block("quote", evaluation.disclaimer(lang)))
    given = answer_lines(answers or {}, lang)
    if given:   # one paragraph: the answers are short, and a list of them took a third of a page
        out.append(Block("p", t("common.pair", lang, label=t("report.your_answers", lang), value="; ".join(given))))
    if ev.regulated is not None:
        out.append(Block("p", regulated_text(ev.regulated, lang)))
    shared, own = note_groups(ev, lang)
    notes = ev.notes(lang) + shared
    if notes:
        out.append(Block("h3", t("programs.shared_notes", lang)))
        out += [Block("li", n) for n in notes]
    numbers: dict[str, tuple[int, Any]] = {}
    for comp in ev.ordered():
        heading = f"{answer_text(comp, lang)} — {comp.short_name(lang)}"
        out.append(Block("h2" if comp.overall != "no" else "h3", heading))
        details = all_details or comp.overall != "no"
        out += component_blocks(comp, lang, own[comp.id], details=details, latest_draws=None if all_details else 1)
        refs = sorted({numbers.setdefault(src.url, (len(numbers) + 1, src))[0]
                       for src in component_sources(comp, lang, with_draws=details)})
        out.append(Block("li", pair("programs.sources", ", ".join(f"[{n}]" for n in refs), lang)))
    # Every source once, numbered, with its address printed (many components share the same sources).
    out.append(Block("h2", t("programs.sources", lang)))
    for n, src in numbers.values():
        read_on = t("programs.read_on", lang, date=_fmt_date(src.read_on))
        out.append(Block("link", f"[{n}] {source_label(src, lang)} ({read_on})", src.url_in(lang)))
    return out


def ordered_sources(sources, lang: str) -> list:
    """Official sources before secondary ones; among each, pages in the reader's language first (stable)."""
    return sorted(sources, key=lambda s: (not s.official, s.page_lang(lang) != lang))


def source_label(source: Any, lang: str) -> str:
    """The title in the reader's language, and the page's language when it is another one."""
    other = source.page_lang(lang)
    marker = f" ({t(f'programs.page_in.{other}', lang)})" if other != lang else ""
    return source.title_in(lang) + marker


def regulated_text(info: Any, lang: str) -> str:
    """The regulated-profession status of the code in one paragraph: kind, regulators, whom to ask."""
    parts = [t("regulated.kind", lang, kind=info.kind_label(lang))]
    regulators = info.regulators(lang)
    if regulators:
        parts.append(t("regulated.regulator", lang, name=", ".join(regulators)))
    parts.append(info.check_with(lang))
    if info.to_verify:
        parts.append(f"({t('programs.to_verify', lang)})")
    return " ".join(p.strip() for p in parts if p and p.strip())


def _labelled(text: str, lang: str) -> str:
    """'Title:' before a printed address, with the language's typography (French: a non-breaking space)."""
    return typography.for_lang(f"{text}: ", lang).rstrip(" ")


def item_text(block: Block, lang: str) -> str:
    """A block's text for the documents: a condition's ✓/✗/? before it, "(to verify)" after it when flagged."""
    text = block.text
    if block.kind == "li":
        if block.mark in CONDITION_MARK:
            text = f"{CONDITION_MARK[block.mark]} {text}"
        if block.to_verify:
            text += f" ({t('programs.to_verify', lang)})"
    return text


def to_text(evaluation: Any, lang: str, answers: Mapping[str, Any] | None = None) -> str:
    """Plain text for a terminal (`python -m lib programs CODE`): the document with every component's details."""
    lines: list[str] = []
    underline = {"h1": "=", "h2": "-"}
    for b in blocks(evaluation, lang, answers, all_details=True):
        text = typography.for_lang(item_text(b, lang), lang)
        if b.kind in underline:
            lines += ["", text, underline[b.kind] * len(text)]
        elif b.kind == "h3":
            lines += ["", text]
        elif b.kind in ("li", "facts"):
            lines.append(f"  - {text}")
        elif b.kind == "link":
            lines.append(f"  {_labelled(b.text, lang)} {b.url}")
        elif b.kind == "table":
            lines += ["  " + " | ".join(row) for row in (b.header, *b.rows)]
        elif b.kind == "small":
            lines.append(text)
        else:   # p, quote, url: a paragraph of its own
            lines += ["", text]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def to_markdown(evaluation: Any, lang: str, answers: Mapping[str, Any] | None = None,
                share_url: str | None = None) -> str:
    lines: list[str] = []
    for b in blocks(evaluation, lang, answers, share_url):
        text = escape_md(typography.for_lang(item_text(b, lang), lang))
        if b.kind in ("h1", "h2", "h3"):
            lines += ["", "#" * int(b.kind[1]) + " " + text, ""]
        elif b.kind in ("li", "facts"):
            lines.append(f"- {text}")
        elif b.kind == "link":
            # The address printed, not hidden behind the title.
            lines.append(f"- {escape_md(_labelled(b.text, lang))} <{b.url}>")
        elif b.kind == "url":
            lines += ["", f"<{b.url}>", ""]
        elif b.kind == "table":
            lines += ["", "| " + " | ".join(escape_md(h) for h in b.header) + " |",
                      "|" + "---|" * len(b.header)]
            lines += ["| " + " | ".join(escape_md(c) for c in row) + " |" for row in b.rows]
            lines.append("")
        elif b.kind == "quote":
            lines += ["", f"> {text}", ""]
        else:
            lines += ["", text, ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


_LATIN1_FIX = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "œ": "oe",
                             "Œ": "OE", "✓": "+", "✗": "x", "…": "...", "\u00a0": " ", "\u202f": " ",
                             "≥": ">=", "≤": "<="})


def _latin1(text: str) -> str:
    """Text the built-in Helvetica can show (Latin-1), for when DejaVu Sans is not installed."""
    return text.translate(_LATIN1_FIX).encode("latin-1", "replace").decode("latin-1")


def to_pdf(evaluation: Any, lang: str, answers: Mapping[str, Any] | None = None,
           share_url: str | None = None) -> bytes:
    """A plain A4 PDF, left-aligned; DejaVu Sans when installed (all characters), else Helvetica (Latin-1)."""
    from fpdf import FPDF  # imported on demand: only the download needs it
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    # The same result gives the same file (it is made on each click): dated by its evaluation, not by the clock.
    pdf.set_creation_date(datetime.combine(evaluation.as_of, datetime.min.time(), tzinfo=timezone.utc))
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(auto=True, margin=12)
    if DEJAVU.is_file():
        pdf.add_font("body", "", str(DEJAVU))
        bold = DEJAVU.with_name("DejaVuSans-Bold.ttf")
        pdf.add_font("body", "B", str(bold if bold.is_file() else DEJAVU))
        family, clean = "body", str
    else:
        family, clean = "helvetica", _latin1
    pdf.set_title(clean(t("report.title", lang)))
    pdf.add_page()
    sizes = {"h1": 15, "h2": 11.5, "h3": 10}
    for b in blocks(evaluation, lang, answers, share_url):
        text = clean(typography.for_lang(item_text(b, lang), lang))
        if b.kind in sizes:
            pdf.set_font(family, "B", size=sizes[b.kind])
            pdf.ln(1.2 if b.kind == "h3" else 2.2)
            pdf.multi_cell(0, sizes[b.kind] * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.5)
        elif b.kind == "table":
            pdf.set_font(family, size=8)
            widths = (16, 26, 58) if len(b.header) == 3 else (18, 50, 16, 16)
            with pdf.table(col_widths=widths, text_align="LEFT", line_height=3.7, padding=0.8,
                           headings_style=FontFace(emphasis="BOLD")) as table:
                for row in (b.header, *b.rows):
                    cells = table.row()
                    for cell in row:
                        cells.cell(clean(cell))
            pdf.ln(1)
        elif b.kind in ("li", "facts", "link"):
            small = b.kind == "link"   # the numbered source list is reference material: smaller type
            pdf.set_font(family, size=7.8 if small else 8.8)
            pdf.set_x(pdf.l_margin + 3)
            body = f"{_labelled(b.text, lang)} {b.url}" if small else text
            pdf.multi_cell(0, 3.4 if small else 3.9, ("" if small else "- ") + clean(body), align="L",
                           new_x="LMARGIN", new_y="NEXT", link=b.url or "")
        elif b.kind == "url":
            pdf.set_font(family, size=9)
            pdf.set_text_color(0, 51, 170)
            pdf.multi_cell(0, 4.6, text, align="L", new_x="LMARGIN", new_y="NEXT", link=b.url)
            pdf.set_text_color(0, 0, 0)
        else:
            pdf.set_font(family, size=9)
            pdf.multi_cell(0, 4.3, text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.5)
    return bytes(pdf.output())
