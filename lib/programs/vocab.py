"""The closed vocabularies of the programs, declared once: every other list of these values is derived from here.

The rules schema (schema.py) validates data/programs.yaml against them, the questionnaire (answers.py) validates and
parses answers with them, the pages offer them as options (views/situation.py), and tests/test_i18n.py checks that
each one has a label in both languages (`get_args`). A new value is one line here and its strings in data/i18n/.
"""
from __future__ import annotations

from typing import Annotated, Literal, get_args

# --- the programs -------------------------------------------------------------------------------------------------

PstqComponentId = Literal["pstq-1", "pstq-2", "pstq-3", "pstq-4"]     # components that take part in PSTQ draws
ComponentId = Literal[PstqComponentId, "peq-workers", "peq-graduates", "food-pilot", "orderlies-pilot",
                      "ai-pilot-ai", "ai-pilot-it-vfx"]
COMPONENT_IDS: tuple[str, ...] = get_args(ComponentId)      # every one must be in data/programs.yaml
PSTQ_COMPONENTS: tuple[str, ...] = get_args(PstqComponentId)

Status = Literal["open", "suspended", "closed", "ended"]    # a program's or component's status on a date
CLOSED_STATUSES: tuple[Status, ...] = ("closed", "ended")   # statuses that take no new applications
Confidence = Literal["high", "medium", "low"]                # how sure our sources make us of a fact
CONFIDENCE_RANK = {name: rank for rank, name in enumerate(reversed(get_args(Confidence)))}   # low 0 … high 2
OccupationRule = Literal["teer", "codes", "regulated", "not_occupation_based", "not_covered"]
RegulationKind = Literal["fully", "partially", "construction_only"]   # strongest first
RegulatorBody = Literal["professional_order", "other"]
RegulatedHandling = Literal["ignore", "exclude"]   # TEER rules: "exclude" = an intended regulated practice is elsewhere
Applications = Literal["continuous", "reception_periods"]   # an open period takes them always, or in dated windows
TEERS = range(6)                                             # NOC 2021 TEER categories 0 to 5

# --- what the engine says ----------------------------------------------------------------------------------------

Verdict = Literal["eligible", "not_eligible", "conditional", "not_occupation_based", "not_covered"]  # by occupation
ConditionState = Literal["met", "not_met", "unknown"]
Overall = Literal["yes", "maybe", "no"]      # can this person apply now: the answer per component, in page order
OVERALL: tuple[str, ...] = get_args(Overall)

# --- what the questionnaire asks (lib/programs/answers.py declares the questions with these types) ---------------

Intent = Literal["yes", "no", "unsure"]      # will you practise the regulated profession in Québec
Diploma = Literal["none", "secondary", "vocational", "college", "bachelor", "master", "doctorate"]   # lowest first
DIPLOMAS: tuple[str, ...] = get_args(Diploma)
QuebecStatus = Literal["outside", "temporary_worker", "student", "other"]
FrenchLevel = Literal[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]   # Échelle québécoise; 0 = no French
FRENCH_LEVELS: tuple[int, ...] = get_args(FrenchLevel)
NoSpouse = Literal["none"]                   # no accompanying spouse: a spouse condition is met outright
NO_SPOUSE: str = get_args(NoSpouse)[0]
SpouseFrench = Literal[NoSpouse, FrenchLevel]   # the accompanying spouse's oral French, or no spouse
MAX_YEARS = 60.0                             # years of experience: more is a typo
Years = Annotated[float, "years"]            # full-time years, 0 to MAX_YEARS (one decimal in a share link)

# The stages of the Échelle québécoise: 1–4 beginner, 5–8 intermediate, 9–12 advanced (highest level of each).
FrenchStage = Literal["beginner", "intermediate", "advanced"]
FRENCH_STAGE_TOP: dict[str, int] = dict(zip(get_args(FrenchStage), (4, 8, 12)))


def french_stage(level: int) -> str:
    """'beginner', 'intermediate' or 'advanced' for a level 1–12 of the Échelle québécoise."""
    return next(stage for stage, top in FRENCH_STAGE_TOP.items() if level <= top)
