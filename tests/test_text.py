"""lib/text.py: the shared fold, and the excerpt of a long duty shown as evidence."""
from lib.text import excerpt, fold, stems

DUTY = ("answer calls, empty bedpans, bathe and dress patients; serve meal trays and feed patients; "
        "lift, turn and position patients; shave patients before surgery; "
        "supervise exercise routines and organize leisure activities for patients")


def test_fold_ignores_case_accents_and_ligatures():
    assert fold("Infirmière  ŒUVRE") == fold("infirmiere oeuvre") == "infirmiere oeuvre"


def test_a_short_text_or_a_single_clause_is_shown_whole():
    assert excerpt("Prepare and cook meals", stems("cook")) == "Prepare and cook meals"
    one = "x" * 300
    assert excerpt(one, stems("anything")) == one


def test_a_long_duty_keeps_the_clauses_the_description_shares_in_their_order():
    cut = excerpt(DUTY, stems("I organize leisure activities and exercise for residents"), limit=120)
    assert cut == "… supervise exercise routines and organize leisure activities for patients"
    cut = excerpt(DUTY, stems("I feed patients and help them bathe"), limit=120)
    assert cut.startswith("answer calls") and "feed patients" in cut and cut.endswith(" …")
    assert "shave" not in cut and len(cut) < len(DUTY)


def test_with_no_words_in_common_the_first_clauses_are_kept():
    assert excerpt(DUTY, frozenset(), limit=90) == "answer calls, empty bedpans, bathe and dress patients; " \
                                                   "serve meal trays and feed patients …"
