"""UI strings: both languages have the same keys, placeholders agree, and lookups fall back sanely."""
import re
import string

import pytest

from lib import i18n


def test_same_keys_in_both_languages():
    en, fr = set(i18n.strings("en")), set(i18n.strings("fr"))
    assert en - fr == set(), "keys missing in fr.yaml"
    assert fr - en == set(), "keys missing in en.yaml"


def test_no_empty_strings():
    for lang in i18n.LANGUAGES:
        empty = [k for k, v in i18n.strings(lang).items() if not v.strip()]
        assert empty == [], f"empty strings in {lang}.yaml"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_placeholders_match_between_languages():
    en, fr = i18n.strings("en"), i18n.strings("fr")
    for key in en:
        assert _fields(en[key]) == _fields(fr[key]), key


@pytest.mark.parametrize("raw, expected", [("fr-CA", "fr"), ("FR", "fr"), ("en_US", "en"), ("de-DE", None),
                                           ("", None), (None, None), (42, None)])
def test_normalize_lang(raw, expected):
    assert i18n.normalize_lang(raw) == expected


def test_t_fallbacks_and_formatting():
    assert i18n.t("common.yes", "fr") == "Oui"
    assert i18n.t("common.yes", "de") == "Yes"            # unsupported language -> English
    assert i18n.t("no.such.key", "fr") == "no.such.key"    # missing everywhere -> the key, visible
    assert i18n.t("browse.results", "fr", n=3) == "3 professions trouvées"
    assert "{n}" in i18n.t("browse.results", "en")         # a missing placeholder stays visible, no crash


def test_pages_use_only_known_keys():
    """Every literal key passed to ui.tr(...) in the pages exists (f-string keys are checked by the flow tests)."""
    from lib.settings import ROOT
    known = set(i18n.strings("en"))
    for path in list((ROOT / "views").glob("*.py")) + [ROOT / "app.py"]:
        for key in re.findall(r"""\btr\(\s*["']([a-z_.0-9]+)["']""", path.read_text(encoding="utf-8")):
            assert key in known, f"{path.name}: {key}"


def test_every_engine_value_has_a_label():
    """Verdicts, statuses, condition states, confidences and answers the engine uses all have strings (the values
    come from lib/programs/vocab.py, lib/matching/vocab.py and the questions from programs.Answers: a new one
    without strings fails here)."""
    from typing import get_args

    from lib.matching import EvidenceKind, MatchConfidence
    from lib.programs import answers, vocab
    statuses = get_args(vocab.Status)
    values = {"status": statuses, "status_since": statuses, "confidence": get_args(vocab.Confidence),
              "condition": get_args(vocab.ConditionState), "verdict": get_args(vocab.Verdict),
              "teer": tuple(str(n) for n in vocab.TEERS), "overall": get_args(vocab.Overall),
              "answers.french_stage": get_args(vocab.FrenchStage), "regulation_kind": get_args(vocab.RegulationKind),
              "match_confidence": get_args(MatchConfidence), "evidence": get_args(EvidenceKind)}
    for lang in i18n.LANGUAGES:
        known = i18n.strings(lang)
        for field in answers.FIELDS:   # the summary names each question in a few words; the page asks it
            assert f"answers.{field}.short" in known and f"answers.{field}.label" in known, (lang, field)
            words = [v for v in answers.options(field) or () if isinstance(v, str)]
            for value in words:        # a chosen value is shown by its label (page, report)
                assert f"answers.{field}.{value}" in known, (lang, field, value)
        for prefix, names in values.items():
            for name in names:
                assert f"{prefix}.{name}" in known, (lang, prefix, name)
