"""The programs result as a document: Markdown and PDF built from one list of blocks.

The same i18n labels as the app are used, so the download says exactly what the page says.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from lib import typography
from lib.i18n import t

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")
_WHITESPACE = re.compile(r"[^\S\u00a0\u202f]+")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Unicode PDF text when installed
CONDITION_MARK = {"met": "✓", "not_met": "✗", "unknown": "?"}


def escape_md(text: str) -> str:
    """Markdown-inert text on one line: no links, images, emphasis, HTML or math from data or people.

    Non-breaking spaces (French typography) are kept; every other run of white space becomes one space.
    """
    one_line = _WHITESPACE.sub(" ", str(text)).strip(" ")
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), _MD_SPECIAL.sub(r"\\\1", one_line))


@dataclass(frozen=True)
class Block:
    kind: str            # "h1" | "h2" | "h3" | "p" | "li" | "link" | "quote"
    text: str
    url: str | None = None


def _fmt_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def pair(label_key: str, value: str, lang: str) -> str:
    """'Status: Open' / 'Statut : Ouvert' (French puts a space before the colon)."""
    return t("common.pair", lang, label=t(label_key, lang), value=value)


def _section(heading_key: str, items: list, lang: str) -> list:
    """A sub-heading and its items, or nothing when there are no items."""
    return [Block("h3", t(heading_key, lang)), *items] if items else []


CLOSED_STATUSES = ("closed", "ended")


def takes_no_applications(comp) -> bool:
    """An occupation verdict that must not read as good news: the program takes no new applications."""
    return comp.status in CLOSED_STATUSES and comp.occupation in ("eligible", "conditional")


def verdict_label(comp, lang: str) -> str:
    label = t(f"verdict.{comp.occupation}", lang)
    return f"{label} ({t('programs.no_new_applications', lang)})" if takes_no_applications(comp) else label


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
        lines.append(t("common.pair", lang, label=t(f"answers.{key}.label", lang), value=shown))
    return lines


def blocks(evaluation: Any, lang: str, answers: Mapping[str, Any] | None = None) -> list[Block]:
    ev = evaluation
    out = [
        Block("h1", t("report.title", lang)),
        Block("p", t("report.generated", lang, date=_fmt_date(date.today()), as_of=_fmt_date(ev.as_of))),
        Block("h2", f"{ev.code} — {ev.title(lang)} ({t('common.teer', lang, teer=ev.teer)})"),
        Block("quote", evaluation.disclaimer(lang)),
    ]
    if ev.regulated is not None:
        out.append(Block("p", regulated_text(ev.regulated, lang)))
    out += [Block("p", note) for note in ev.notes(lang)]
    given = answer_lines(answers or {}, lang)
    if given:
        out.append(Block("h3", t("report.your_answers", lang)))
        out += [Block("li", line) for line in given]
    for comp in ev.components:
        out.append(Block("h2", f"{comp.program_name(lang)} — {comp.name(lang)}"))
        out.append(Block("li", pair("programs.verdict", verdict_label(comp, lang), lang)))
        out.append(Block("li", pair("programs.status", status_text(comp, lang), lang)))
        flag = f" — {t('programs.to_verify', lang)}" if comp.to_verify else ""
        out.append(Block("li", pair("programs.confidence", t(f"confidence.{comp.confidence}", lang) + flag, lang)))
        out.append(Block("li", t("programs.last_verified", lang, date=_fmt_date(comp.last_verified))))
        out += _section("programs.reasons", [Block("li", r) for r in comp.reasons(lang)], lang)
        verify = f" ({t('programs.to_verify', lang)})"
        out += _section("programs.conditions", [
            Block("li", CONDITION_MARK.get(c.state, "?") + " " + pair(f"condition.{c.state}", c.text(lang), lang)
                  + (verify if c.to_verify else "")) for c in comp.conditions], lang)
        out += _section("programs.notes", [Block("li", n) for n in comp.notes(lang)], lang)
        out += _section("programs.sources", [
            Block("link", f"{source_label(s, lang)} — {t('programs.read_on', lang, date=_fmt_date(s.read_on))}",
                  s.url_in(lang))
            for s in ordered_sources(comp.sources, lang)], lang)
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


def to_markdown(evaluation: Any, lang: str, answers: Mapping[str, Any] | None = None) -> str:
    lines: list[str] = []
    for b in blocks(evaluation, lang, answers):
        text = escape_md(typography.for_lang(b.text, lang))
        if b.kind in ("h1", "h2", "h3"):
            lines += ["", "#" * int(b.kind[1]) + " " + text, ""]
        elif b.kind == "li":
            lines.append(f"- {text}")
        elif b.kind == "link":
            lines.append(f"- [{text}](<{b.url}>)")
        elif b.kind == "quote":
            lines += ["", f"> {text}", ""]
        else:
            lines += ["", text, ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


_LATIN1_FIX = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "œ": "oe",
                             "Œ": "OE", "✓": "+", "✗": "x", "…": "...", "\u00a0": " ", "≥": ">=", "≤": "<="})


def to_pdf(evaluation: Any, lang: str, answers: Mapping[str, Any] | None = None) -> bytes:
    """A plain A4 PDF; DejaVu Sans when installed (all characters), else Helvetica with Latin-1 text."""
    from fpdf import FPDF  # imported on demand: only the download needs it

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    if DEJAVU.is_file():
        pdf.add_font("body", "", str(DEJAVU))
        family, clean = "body", (lambda s: s)
    else:
        family = "helvetica"
        clean = lambda s: s.translate(_LATIN1_FIX).encode("latin-1", "replace").decode("latin-1")  # noqa: E731
    pdf.set_title(clean(t("report.title", lang)))
    pdf.add_page()
    sizes = {"h1": 18, "h2": 14, "h3": 12}
    for b in blocks(evaluation, lang, answers):
        text = clean(typography.for_lang(b.text, lang))
        pdf.set_font(family, size=sizes.get(b.kind, 10))
        if b.kind in sizes:
            pdf.ln(2)
            pdf.multi_cell(0, sizes[b.kind] * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        elif b.kind in ("li", "link"):
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(0, 5, "- " + text, new_x="LMARGIN", new_y="NEXT", link=b.url or "")
        else:
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
