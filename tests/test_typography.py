"""French typography (OQLF): non-breaking spaces, decimal comma, thousands, 24-hour times; URLs left alone."""
from datetime import time

import pytest

from lib import i18n
from lib.programs import report
from lib.typography import NBSP, french, number, time_of_day

N = NBSP


@pytest.mark.parametrize("raw, expected", [
    ("Correspondance : possible", f"Correspondance{N}: possible"),
    ("Correspondance: possible", f"Correspondance{N}: possible"),
    ("Que faites-vous au travail ?", f"Que faites-vous au travail{N}?"),
    ("Attention!", f"Attention{N}!"),
    ("lire des plans; installer", f"lire des plans{N}; installer"),
    ("Pourquoi cette suggestion :", f"Pourquoi cette suggestion{N}:"),
    ("**Statut :** ouvert", f"**Statut{N}:** ouvert"),
    ("les conditions marquées « à vérifier »", f"les conditions marquées «{N}à vérifier{N}»"),
    ("«à vérifier»", f"«{N}à vérifier{N}»"),
])
def test_non_breaking_space_before_high_punctuation_and_inside_quotes(raw, expected):
    assert french(raw) == expected
    assert french(expected) == expected  # idempotent: the pages and exports may both apply it


@pytest.mark.parametrize("untouched", [
    "https://www.quebec.ca/fr/immigration?lang=fr&code=72300",
    "[Québec.ca](<https://www.quebec.ca/fr/a:b>)",
    "lancez `python -m lib setup --download` puis rechargez",
    "de 14:30 à 16:00, rapport 3:1",
    ":green[:material/check_circle:] Admissible",
    "aucune ponctuation",
])
def test_urls_code_times_and_icons_are_left_alone(untouched):
    assert french(untouched) == untouched


def test_no_punctuation_can_start_a_line():
    """Every « : ; ? ! » is glued to the word before it, so a line break can never leave it alone."""
    text = french("Correspondance : possible ; voir aussi : la liste ! Vraiment ?")
    for mark in ":;!?":
        for i, ch in enumerate(text):
            if ch == mark:
                assert text[i - 1] == NBSP, (mark, text)


@pytest.mark.parametrize("value, lang, expected", [
    (1.5, "fr", "1,5"), (1.5, "en", "1.5"), (3.0, "fr", "3"), (30000, "fr", f"30{N}000"),
    (30000, "en", "30,000"), (1234567.25, "fr", f"1{N}234{N}567,25"), (0.5, "fr", "0,5"),
])
def test_numbers(value, lang, expected):
    assert number(value, lang) == expected


def test_number_with_fixed_decimals():
    assert number(2, "fr", decimals=1) == "2,0" and number(2, "en", decimals=1) == "2.0"


@pytest.mark.parametrize("value, lang, expected", [
    (time(14, 30), "fr", f"14{N}h{N}30"), (time(9, 0), "fr", f"9{N}h"), (time(14, 30), "en", "14:30"),
])
def test_24_hour_times(value, lang, expected):
    assert time_of_day(value, lang) == expected


def test_french_ui_strings_and_parameters_get_the_typography():
    assert i18n.t("common.pair", "fr", label="Statut", value="Ouvert") == f"Statut{N}: Ouvert"
    assert i18n.t("common.pair", "en", label="Status", value="Open") == "Status: Open"
    assert i18n.t("describe.label", "fr").endswith(f"travail{N}?")
    assert all(f" {m}" not in v for v in map(lambda k: i18n.t(k, "fr"), i18n.strings("fr")) for m in ":;?!")


def test_markdown_escaping_keeps_non_breaking_spaces_and_answers_use_the_decimal_comma():
    assert report.escape_md(f"Statut{N}: ouvert\n  x") == f"Statut{N}: ouvert x"
    lines = report.answer_lines({"experience_years": 1.5}, "fr")
    assert lines[0].endswith(f"{N}: 1,5"), lines
