"""Your situation: an optional questionnaire whose answers feed the rules engine (programs.Answers).

One widget per question; the values offered are the question's declared ones (lib/programs/answers.py).
"""
import streamlit as st

from lib import i18n, share
from lib.programs import answers as questions
from lib.programs.vocab import MAX_YEARS, NO_SPOUSE, french_stage
from views import common as ui

st.title(ui.tr("situation.title"))
code = ui.chosen_code_or_stop("situation.no_code")

st.markdown(ui.tr("situation.for_code", code_title=ui.safe(ui.unit_title(code))))
st.caption(ui.tr("situation.optional"))
saved = dict(st.session_state.get(ui.ANSWERS) or {})
lang = ui.lang()  # captured: option labels are formatted later, outside this run's session context


def label(key: str, **kw) -> str:
    return i18n.t(key, lang, **kw)


regulated = ui.regulated_info(code)
NO = None  # "no answer" is always the first option, so skipping a question is one keystroke away


def choice(field: str, fmt=None):
    """A select box whose first option is 'no answer', then the question's values; returns the value or None."""
    opts = [NO, *questions.options(field)]
    current = saved.get(field)
    return st.selectbox(ui.tr(f"answers.{field}.label"), opts,
                        index=opts.index(current) if current in opts else 0,
                        format_func=lambda v: label("answers.no_answer") if v is None else (
                            fmt(v) if fmt else label(f"answers.{field}.{v}")),
                        help=ui.tr(f"answers.{field}.help"), key=f"w_{field}")


def years(field: str):
    return st.number_input(ui.tr(f"answers.{field}.label"), min_value=0.0, max_value=MAX_YEARS, step=0.5,
                           format="%.1f", value=saved.get(field), placeholder=ui.tr("answers.no_answer"),
                           help=ui.tr(f"answers.{field}.help"), key=f"w_{field}")


def level_label(n: int) -> str:
    if not n:
        return label("answers.french_none")
    return label("answers.french_level", level=n, stage=label(f"answers.french_stage.{french_stage(n)}"))


def yes_no(v: bool) -> str:
    return label("common.yes" if v else "common.no")


with st.form("situation_form", border=False):
    answers = {}
    if regulated is not None:
        st.info(ui.safe(ui.regulated_sentence(regulated)), icon=":material/verified_user:")
        answers["regulated_intent"] = choice("regulated_intent")
    answers["status_in_quebec"] = choice("status_in_quebec")
    answers["experience_years"] = years("experience_years")
    answers["quebec_experience_years"] = years("quebec_experience_years")
    st.caption(ui.tr("answers.french_scale"))
    answers["french_oral"] = choice("french_oral", level_label)
    answers["french_written"] = choice("french_written", level_label)
    answers["spouse_french_oral"] = choice("spouse_french_oral", lambda v: label("answers.spouse_french_oral.none")
                                           if v == NO_SPOUSE else level_label(v))
    answers["diploma"] = choice("diploma")
    answers["diploma_from_quebec"] = choice("diploma_from_quebec", yes_no)
    # The PEQ reopening (2026-2028) looks at the situation on its reference date.
    st.markdown(f"**{ui.tr('answers.reference_date_title')}**")
    answers["experience_by_2025_11_19"] = choice("experience_by_2025_11_19", yes_no)
    answers["diploma_by_2025_11_19"] = choice("diploma_by_2025_11_19", yes_no)
    submitted = st.form_submit_button(ui.tr("situation.submit"), type="primary")

if submitted:
    # Only values the share link can carry are kept, so the link and the page always agree.
    st.session_state[ui.ANSWERS] = share.normalize_answers(answers)
    ui.go("programs")
if st.button(ui.tr("situation.back"), key="situation_back"):
    ui.go("choose" if st.session_state.get(ui.RANKED) else "browse")
