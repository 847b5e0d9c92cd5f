"""Unit tests for matching on a tiny hand-written NOC (six unit groups) with a hashing encoder: fast, no model.

The data and the `tiny_matcher` fixture are in tests/helpers/tiny.py and tests/conftest.py."""
from __future__ import annotations

import json

import numpy as np
import pytest

from lib import matching
from lib.errors import UnknownCode, UserError
from lib.matching import index as match_index
from lib.matching.bm25 import LexicalIndex, analyse
from lib.matching.query import clean_query, detect_language, is_long, split_sentences
from lib.text import fold
from tests.helpers import tiny


# ---------- text helpers ----------
def test_fold_and_gender_forms_share_terms():
    assert fold("Infirmière ŒUVRE") == "infirmiere oeuvre"
    assert analyse("infirmière", "fr") == analyse("infirmiere", "fr") == analyse("infirmier", "fr")
    assert analyse("serveuse", "fr") == analyse("serveur", "fr")
    assert analyse("directrice", "fr") == analyse("directeur", "fr")


@pytest.mark.parametrize("text,lang", [
    ("I prepared meals for the guests and cleaned the kitchen.", "en"),
    ("J'ai préparé les repas des clients et nettoyé la cuisine.", "fr"),
    ("infirmière", "fr"), ("registered nurse", "en"), ("développeuse web", "fr"), ("software developer", "en"),
])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_split_sentences_and_length():
    parts = split_sentences("Cooked meals for 200 guests. Cleaned the kitchen; trained new staff.\n"
                            "• Ordered food supplies")
    assert parts == ["Cooked meals for 200 guests", "Cleaned the kitchen", "trained new staff", "Ordered food supplies"]
    assert is_long("I cooked. I cleaned the kitchen every night.")
    assert not is_long("line cook")


@pytest.mark.parametrize("bad", ["", "   ", "!!!", None, "x" * 6000])
def test_bad_input_is_one_line_user_error(bad):
    with pytest.raises(UserError) as err:
        clean_query(bad)
    assert "\n" not in str(err.value)


def test_model_slug_is_safe_and_distinct():
    from lib.matching.encoders import model_slug

    assert model_slug("all-MiniLM-L6-v2") == "all-minilm-l6-v2"
    assert model_slug("/a/x/model") != model_slug("/b/x/model")
    assert "/" not in model_slug("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2")


def test_bm25_round_trip_through_arrays():
    lex = LexicalIndex.build(["line cook", "registered nurse", "plombier"], "en")
    arrays, vocab = lex.to_arrays("x")
    again = LexicalIndex.from_arrays("en", arrays, "x", vocab)
    assert np.allclose(lex.scores("cook"), again.scores("cook"))
    assert again.scores("nurses").argmax() == 1
    assert not again.scores("zzz").any()


# ---------- matcher ----------
def test_code_short_circuits(tiny_matcher):
    r = tiny_matcher.rank("63200")
    assert (r.kind, [m.code for m in r.results], r.results[0].confidence) == ("noc2021", ["63200"], "high")
    r = tiny_matcher.rank("2174")
    assert r.kind == "noc2016" and r.results[0].code == "21232"
    with pytest.raises(UnknownCode):
        tiny_matcher.rank("99999")


def test_titles_rank_in_both_languages(tiny_matcher):
    assert tiny_matcher.rank("line cook", lang="en").results[0].code == "63200"
    for text in ("infirmière", "infirmiere", "infirmier"):
        r = tiny_matcher.rank(text)
        assert r.query_lang == "fr" and r.results[0].code == "31301", text
    assert tiny_matcher.rank("plombière", lang="fr").results[0].code == "72300"


def test_paragraph_and_evidence(tiny_matcher):
    r = tiny_matcher.rank("I wrote and debugged code for software applications. I documented new features.", top=3)
    top = r.results[0]
    assert top.code == "21232"
    kinds = {e.kind for e in top.evidence}
    assert "title" in kinds and kinds & {"duty", "definition"}
    assert all(-1.0 <= e.similarity <= 1.0 for e in top.evidence)
    d = r.to_dict("fr")
    assert d["results"][0]["title"].startswith("Développeurs")
    json.dumps(d)   # JSON-able
    assert set(d["results"][0]) >= {"code", "title", "score", "confidence", "evidence"}


def test_english_descriptions_skip_use_and_french_ones_keep_it(tiny_matcher, monkeypatch):
    """English descriptions read MiniLM and BM25 only (half the ranking time, as accurate on the dev sets: README);
    USE still reads French text and the title a description names."""
    seen = {key: [] for key in tiny_matcher.encoders}
    for key, encoder in tiny_matcher.encoders.items():
        monkeypatch.setattr(encoder, "encode", lambda texts, *a, _e=encoder.encode, _k=key, **k: (
            seen[_k].extend(texts), _e(texts, *a, **k))[1])
    tiny_matcher.rank("I wrote and debugged code for software applications. I documented new features.", lang="en")
    assert seen["minilm"] and not seen["use"]
    tiny_matcher.rank("I work as a line cook. I prepare and cook meals in a restaurant kitchen.", lang="en")
    assert seen["use"] == ["line cook"]
    seen["use"].clear()
    tiny_matcher.rank("Je prépare et je cuis les repas dans la cuisine d'un restaurant. Je nettoie la cuisine.",
                      lang="fr")
    assert seen["use"]


def test_look_alikes_from_exclusions(tiny_matcher):
    r = tiny_matcher.rank("cook who plans menus and supervises kitchen staff", top=6, lang="en")
    first = r.results[0]
    other = {"63200": "62200", "62200": "63200"}[first.code]
    assert other in first.look_alikes


def test_confidence_labels_and_top(tiny_matcher):
    r = tiny_matcher.rank("cashier", top=3, lang="en")
    assert len(r.results) == 3 and r.results[0].code == "65100"
    scores = [m.score for m in r.results]
    assert scores == sorted(scores, reverse=True)
    assert all(type(s) is float for s in scores)       # plain floats (JSON), not numpy scalars
    # One clear winner: it reads as likely, and nothing after it does.
    assert r.results[0].confidence in ("high", "medium")
    assert [m.confidence for m in r.results[1:]] == ["low", "low"]


def test_nothing_convincing_says_so(tiny_matcher):
    r = tiny_matcher.rank("quantum zebra harmonica", lang="en")
    assert r.convincing is False and r.message_key == "match.not_convincing"
    assert all(m.confidence == "low" for m in r.results)


def test_forced_language(tiny_matcher, monkeypatch):
    monkeypatch.setenv("QC_LANG", "fr")
    assert tiny_matcher.rank("cashier").query_lang == "fr"
    assert tiny_matcher.rank("cashier", lang="en").query_lang == "en"
    with pytest.raises(UserError):
        tiny_matcher.rank("cashier", lang="de")


def test_cache_round_trip_and_rebuild(tmp_path):
    noc = tiny.noc()
    calls = []
    matching.clear_cache()
    m1 = matching.get_matcher(noc, "hash", progress=lambda d, t, w: calls.append(d), encoders=tiny.encoders(),
                              cache_root=tmp_path)
    folder = match_index.cache_dir(noc, "hash", tmp_path)
    assert (folder / "meta.json").is_file() and calls
    assert all(p.suffix in (".npy", ".json") for p in folder.iterdir())
    np.load(folder / "vec.minilm.title_en.npy", allow_pickle=False)
    first = [(x.code, round(x.score, 3)) for x in m1.rank("registered nurse", top=3).results]

    matching.clear_cache()
    calls.clear()
    m2 = matching.get_matcher(noc, "hash", progress=lambda d, t, w: calls.append(d), encoders=tiny.encoders(),
                              cache_root=tmp_path)
    assert not calls, "a valid cache is loaded, not rebuilt"
    assert [(x.code, round(x.score, 3)) for x in m2.rank("registered nurse", top=3).results] == first

    (folder / "vec.minilm.title_en.npy").write_bytes(b"garbage")          # corrupt cache -> rebuilt
    matching.clear_cache()
    matching.get_matcher(noc, "hash", progress=lambda d, t, w: calls.append(d), encoders=tiny.encoders(),
                         cache_root=tmp_path)
    assert calls

    other = tiny.noc(checksum="0" * 64)                                  # other data -> other folder
    assert match_index.cache_dir(other, "hash", tmp_path) != folder
    matching.clear_cache()


def test_markup_and_control_characters_are_dropped_from_queries():
    assert clean_query("plumber\x01\x02 <script>alert(1)</script>") == "plumber alert(1)"
    with pytest.raises(UserError):
        clean_query("<b></b>\x00")


# ---------- titles inside descriptions and pasted ads ----------
@pytest.mark.parametrize("text,span", [
    ("I work as an orderly in a long-term care home, helping residents with bathing", "orderly"),
    ("je suis préposée aux bénéficiaires dans un CHSLD, j'aide les résidents à se laver", "préposée aux bénéficiaires"),
    ("electrician — Licensed Electrician 309A, commercial and residential work", "electrician"),
    ("Electrician\nWe are hiring. Install wiring in new homes.", "Electrician"),
    # French titles run long: an ad's first line without a final period is its title up to 12 words.
    ("Ouvrier/ouvrière à l'entretien et à la réparation de chauffe-eau\nNous embauchons.",
     "Ouvrier/ouvrière à l'entretien et à la réparation de chauffe-eau"),
    ("Nous sommes une entreprise en croissance de la région de Québec.\nTâches principales.", None),
    ("I am responsible for the payroll of 200 employees.", None),
    ("I install pipes and fixtures in new homes.", None),
    ("J'assemble les portails et je les fixe en place.", None),
])
def test_title_span(text, span):
    from lib.matching.query import title_span

    assert title_span(text) == span


def test_named_title_and_ad_boilerplate(tiny_matcher):
    # The leading phrase counts as a title only when it ends in a word that heads NOC titles.
    assert tiny_matcher.title_in_text("line cook at a diner, I prepare and cook meals", "en")[1] == "line cook"
    assert tiny_matcher.title_in_text("Prepare and cook meals in a restaurant kitchen", "en")[1] is None
    ad = ("Cook\nWe are hiring a cook for our team.\nPrepare and cook meals in a restaurant kitchen.\n"
          "Clean kitchen and work areas.\nWhat we offer: competitive salary, $20 per hour.\nFull-time position.\n"
          "How to apply: send your resume to us.\nWe are an equal opportunity employer.\nParking on site.")
    body, span = tiny_matcher.title_in_text(ad, "en")
    assert span == "Cook" and "salary" not in body and "resume" not in body and "Prepare and cook meals" in body
    r = tiny_matcher.rank(ad, top=3)
    assert r.results[0].code == "63200"


def test_an_ad_headed_by_a_noc_title_lifts_that_group_alone(tiny_matcher, monkeypatch):
    # "Line cook" is one of 63200's example titles; the ad's duties are the chefs' (62200) word for word.
    from lib.matching import tuning

    ad = ("Line cook\nWe are hiring for our restaurant.\nPlan menus and estimate food costs.\n"
          "Supervise cooks and kitchen staff.\nCompetitive salary.")
    with_bonus = {m.code: m.score for m in tiny_matcher.rank(ad, top=6, lang="en").results}
    monkeypatch.setattr(tuning, "EXACT_TITLE_BONUS", 0.0)
    without = {m.code: m.score for m in tiny_matcher.rank(ad, top=6, lang="en").results}
    lifted = {c for c in with_bonus if abs(with_bonus[c] - without[c]) > 1e-6}
    assert lifted == {"63200"} and with_bonus["63200"] > without["63200"]
    assert tiny_matcher.listed_title("line cook").group == tiny_matcher.index.codes.index("63200")
    assert tiny_matcher.listed_title("Cuisinière de restaurant").group == tiny_matcher.index.codes.index("63200")
    assert tiny_matcher.listed_title("sous-chef").group == tiny_matcher.index.codes.index("62200")
    assert tiny_matcher.listed_title("cook") is None                  # not a listed title: no bonus
    held = tiny_matcher.with_heldout(["Line cook"])
    assert held.listed_title("line cook", held.index.title_rows("Line cook")) is None


def test_an_ad_naming_a_listed_title_says_so_first_and_is_high(tiny_matcher):
    ad = ("Grocery cashier\nWe are hiring in our store.\nOperate cash registers and receive payments.\n"
          "Bag purchases for customers.\nCompetitive salary.")
    r = tiny_matcher.rank(ad, top=3, lang="en")
    top = r.results[0]
    assert (top.code, top.confidence, r.listed_title) == ("65100", "high", "Grocery cashier")
    first = top.evidence[0]
    assert (first.kind, first.text, first.similarity) == ("named_title", "Grocery cashier", 1.0)
    assert [e.text for e in top.evidence].count("Grocery cashier") == 1
    assert r.to_dict()["listed_title"] == "Grocery cashier"
    assert {"groce", "cashi", "regis"} <= r.query_stems      # what the page cuts long evidence to
    plain = tiny_matcher.rank("Operate cash registers and receive payments. Bag purchases for customers.", lang="en")
    assert plain.listed_title is None and plain.results[0].evidence[0].kind == "duty"   # no title named


def test_channels_that_disagree_make_the_winner_low(monkeypatch):
    import numpy as np

    from lib.matching import confidence, tuning
    from lib.matching.channels import agreement, parse

    a, b, c = (parse(n) for n in ("minilm.title_en|whole", "use.title_en|whole", "bm25.title_en|whole"))
    scores = {a: np.array([0.9, 0.1]), b: np.array([0.2, 0.8]), c: np.array([0.7, 0.3])}
    weights = {a: 2.0, b: 1.0, c: 1.0}
    assert agreement(scores, weights, 0) == 0.75 and agreement(scores, weights, 1) == 0.25
    # The rules, on fixed thresholds (the fitted ones move whenever the channels do).
    monkeypatch.setitem(tuning.THRESHOLDS, "title", tuning.Thresholds(
        high_score=0.8, high_margin=0.05, high_agree=0.667, medium_score=0.3, medium_margin=0.02, floor=0.4, near=0.05))
    clear = [0.95, 0.30, 0.20]                                     # far above every threshold, with a wide margin
    assert confidence.label(clear, 0, "title", "en", agreement=1.0) == "high"
    assert confidence.label(clear, 0, "title", "en", agreement=0.5) == "medium"     # under high_agree
    assert confidence.label(clear, 0, "title", "en", agreement=0.25) == "low"       # under AGREE_FOR_MEDIUM
    assert confidence.label(clear, 1, "title", "en", agreement=0.25) == "low"
    close = [0.60, 0.50, 0.20]                                     # medium by score and margin
    assert confidence.label(close, 0, "title", "en", agreement=1.0) == "medium"
    assert confidence.label(close, 1, "title", "en", agreement=1.0) == "low"         # 0.10 behind: not near
    assert confidence.label([0.60, 0.58, 0.2], 1, "title", "en", agreement=1.0) == "medium"
    # A title the NOC lists under the winner alone makes it "high" whatever the scores, never the runner-up.
    assert confidence.label([0.35, 0.34, 0.2], 0, "title", "en", agreement=0.2, listed=True) == "high"
    assert confidence.label([0.35, 0.34, 0.2], 1, "title", "en", agreement=0.2, listed=True) == "low"
