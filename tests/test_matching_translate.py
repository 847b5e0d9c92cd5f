"""Short French descriptions read as English through the word-by-word translation (lib/fr_translate.py)."""
from __future__ import annotations

import numpy as np

from lib.matching import fr_words as fr_translate
from lib.matching import index as match_index
from lib.matching.encoders import HashingModel
from tests.helpers import tiny


def test_vocabulary_and_translation_map_to_english_words(tiny_matcher):
    m = tiny_matcher
    words = fr_translate.english_vocabulary(m.index)
    assert "kitchen" in words and "pipes" in words
    assert all(w == w.lower() and len(w) >= 3 for w in words)
    out = m.translator.translate("Je répare des tuyaux")
    assert out and set(out.split()) <= set(words)     # every output word is an English NOC word
    # inflected forms also try their infinitive: "planifiait" is looked up as "planifier" too
    assert "planifier" in fr_translate._forms("planifiait")


def test_short_french_description_takes_the_translation_route(tiny_matcher, monkeypatch):
    m = tiny_matcher
    seen = []
    # Stand-in translations (hashing vectors cannot tell "tuyaux" is "pipes": which English word it lands on is
    # decided by rounding, and differed between CPUs): the ranking follows the translation, not the French.
    monkeypatch.setattr(m.translator, "translate", lambda t: seen.append(t) or "repair pipes in homes")
    assert m.rank("je répare des tuyaux dans des maisons", lang="fr").results[0].code == "72300"
    monkeypatch.setattr(m.translator, "translate", lambda t: seen.append(t) or "receive payments in stores")
    r = m.rank("je répare des tuyaux dans des maisons", lang="fr")
    assert seen and r.results[0].code == "65100"
    seen.clear()
    long_fr = ("Pendant son emploi chez nous, elle a préparé et cuisiné des repas pour environ deux cents clients "
               "par service, respecté les recettes et nettoyé la cuisine à la fermeture.")
    m.rank(long_fr, lang="fr")
    assert not seen                                    # paragraphs keep the USE route
    m.rank("je répare des tuyaux", lang="en")
    assert not seen                                    # English text is never translated


def test_vocabulary_cache_round_trip_corrupt_and_missing(tiny_matcher, tmp_path):
    m = tiny_matcher
    folder = match_index.cache_dir(m.noc, tiny.MODEL, tmp_path / "index")
    assert (folder / fr_translate.FILE_VEC).is_file() and (folder / fr_translate.FILE_META).is_file()
    again = fr_translate.load_or_build(m.index, m.encoders["use"], folder)
    assert again.words == m.translator.words
    np.testing.assert_allclose(again.vectors, m.translator.vectors, atol=1e-2)
    (folder / fr_translate.FILE_VEC).write_bytes(b"not an array")          # corrupt -> recomputed and rewritten
    fixed = fr_translate.load_or_build(m.index, m.encoders["use"], folder)
    assert fixed is not None and np.load(folder / fr_translate.FILE_VEC).shape[0] == len(fixed.words)
    other = fr_translate.load_or_build(m.index, HashingModel("hash-use", dim=64), folder)  # other dim -> rebuilt
    assert other.vectors.shape[1] == 64


def test_matcher_works_without_translator(tiny_matcher):
    m = tiny_matcher
    m.translator = None
    r = m.rank("je répare des tuyaux dans des maisons", lang="fr")
    assert r.results and r.query_lang == "fr"

    class Broken:
        name, dim = "broken", 8

        def encode(self, texts, **_):
            raise RuntimeError("no model")

    assert fr_translate.load_or_build(m.index, Broken(), None) is None
