"""Unit tests for matching on a tiny hand-written NOC (six unit groups) with a hashing encoder: fast, no model."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from lib import matching
from lib.matching import index as match_index
from lib.matching.encoders import HashingModel
from lib.errors import UnknownCode, UserError
from lib.matching.bm25 import LexicalIndex, analyse
from lib.noc import CodeLookup, DutySection, Exclusion, UnitGroup
from lib.matching.query import clean_query, detect_language, is_long, split_sentences
from lib.text import fold


def _ug(code, en, fr, definition, duties, titles_en, titles_fr, excl=()):
    return UnitGroup(code=code, teer=int(code[1]), title_en=en, title_fr=fr, definition_en=definition,
                     main_duties_en=(DutySection(None, tuple(duties)),), example_titles_en=tuple(titles_en),
                     example_titles_fr=tuple(titles_fr),
                     exclusions_en=tuple(Exclusion(f"{c} (See {c})", (c,)) for c in excl))


class TinyNoc:
    """Just enough of lib.noc.NocData for the matcher: hand-written text, not NOC data."""
    version = "2021"
    previous_version = "2016"

    def __init__(self, checksum="f" * 64):
        self.checksum = checksum
        groups = [
            _ug("63200", "Cooks", "Cuisiniers/cuisinières", "Cooks prepare and cook meals.",
                ["Prepare and cook meals in a restaurant kitchen", "Clean kitchen and work areas"],
                ["Line cook", "Short order cook"], ["Cuisinier/cuisinière de restaurant", "Commis de cuisine"],
                excl=["62200"]),
            _ug("62200", "Chefs", "Chefs", "Chefs plan menus and supervise kitchen staff.",
                ["Plan menus and estimate food costs", "Supervise cooks and kitchen staff"],
                ["Executive chef", "Sous-chef"], ["Chef exécutif/chef exécutive", "Sous-chef"], excl=["63200"]),
            _ug("31301", "Registered nurses", "Infirmiers autorisés/infirmières autorisées",
                "Registered nurses provide nursing care to patients.",
                ["Assess patients and administer medications", "Monitor vital signs of patients"],
                ["Registered nurse", "Nurse - intensive care"], ["Infirmier/infirmière", "Infirmier/infirmière en soins intensifs"]),
            _ug("21232", "Software developers and programmers", "Développeurs/développeuses et programmeurs/programmeuses de logiciels",
                "Software developers write and test code.",
                ["Write, test and debug code for software applications", "Document new software features"],
                ["Software developer", "Programmer"], ["Développeur/développeuse de logiciels", "Programmeur/programmeuse"]),
            _ug("72300", "Plumbers", "Plombiers/plombières", "Plumbers install and repair pipes.",
                ["Install and repair water pipes and drains", "Test pipes for leaks"],
                ["Plumber", "Pipe installer"], ["Plombier/plombière", "Installateur/installatrice de tuyaux"]),
            _ug("65100", "Cashiers", "Caissiers/caissières", "Cashiers receive payments in stores.",
                ["Operate cash registers and receive payments", "Bag purchases for customers"],
                ["Cashier", "Grocery cashier"], ["Caissier/caissière", "Caissier/caissière d'épicerie"]),
        ]
        self.unit_groups = {g.code: g for g in groups}
        self.concordance = {"6322": ("63200",), "2174": ("21232",)}

    def get(self, code):
        if code not in self.unit_groups:
            raise UnknownCode(f"{code} is not a NOC 2021 unit group code")
        return self.unit_groups[code]

    def lookup_code(self, text):
        m = re.fullmatch(r"\s*(\d+)\s*", text or "")
        if not m:
            return None
        digits = m.group(1)
        if len(digits) == 5:
            self.get(digits)
            return CodeLookup("noc2021", digits, (digits,))
        if len(digits) == 4 and digits in self.concordance:
            return CodeLookup("noc2016", digits, self.concordance[digits])
        raise UserError(f"{digits} is not a NOC code")


def _encoders():
    return {"minilm": HashingModel("hash-st"), "use": HashingModel("hash-use")}


@pytest.fixture()
def tiny(tmp_path):
    matching._MATCHERS.clear()
    noc = TinyNoc()
    m = matching.get_matcher(noc, model_name="hash", encoders=_encoders(), cache_root=tmp_path)
    yield m
    matching._MATCHERS.clear()


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
    parts = split_sentences("Cooked meals for 200 guests. Cleaned the kitchen; trained new staff.\n• Ordered food supplies")
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
def test_code_short_circuits(tiny):
    r = tiny.rank("63200")
    assert (r.kind, [m.code for m in r.results], r.results[0].confidence) == ("noc2021", ["63200"], "high")
    r = tiny.rank("2174")
    assert r.kind == "noc2016" and r.results[0].code == "21232"
    with pytest.raises(UnknownCode):
        tiny.rank("99999")


def test_titles_rank_in_both_languages(tiny):
    assert tiny.rank("line cook", lang="en").results[0].code == "63200"
    for text in ("infirmière", "infirmiere", "infirmier"):
        r = tiny.rank(text)
        assert r.query_lang == "fr" and r.results[0].code == "31301", text
    assert tiny.rank("plombière", lang="fr").results[0].code == "72300"


def test_paragraph_and_evidence(tiny):
    r = tiny.rank("I wrote and debugged code for software applications. I documented new features.", top=3)
    top = r.results[0]
    assert top.code == "21232"
    kinds = {e.kind for e in top.evidence}
    assert "title" in kinds and kinds & {"duty", "definition"}
    assert all(-1.0 <= e.similarity <= 1.0 for e in top.evidence)
    d = r.to_dict("fr")
    assert d["results"][0]["title"].startswith("Développeurs")
    json.dumps(d)   # JSON-able
    assert set(d["results"][0]) >= {"code", "title", "score", "confidence", "evidence"}


def test_look_alikes_from_exclusions(tiny):
    r = tiny.rank("cook who plans menus and supervises kitchen staff", top=6, lang="en")
    first = r.results[0]
    other = {"63200": "62200", "62200": "63200"}[first.code]
    assert other in first.look_alikes


def test_confidence_labels_and_top(tiny):
    r = tiny.rank("cashier", top=3, lang="en")
    assert len(r.results) == 3
    assert all(m.confidence in ("high", "medium", "low") for m in r.results)
    assert [m.score for m in r.results] == sorted((m.score for m in r.results), reverse=True)
    assert not any(isinstance(m.score, str) for m in r.results)


def test_nothing_convincing_says_so(tiny):
    r = tiny.rank("quantum zebra harmonica", lang="en")
    assert r.convincing is False and r.message_key == "match.not_convincing"
    assert all(m.confidence == "low" for m in r.results)


def test_forced_language(tiny, monkeypatch):
    monkeypatch.setenv("QC_LANG", "fr")
    assert tiny.rank("cashier").query_lang == "fr"
    assert tiny.rank("cashier", lang="en").query_lang == "en"
    with pytest.raises(UserError):
        tiny.rank("cashier", lang="de")


def test_cache_round_trip_and_rebuild(tmp_path):
    noc = TinyNoc()
    calls = []
    matching._MATCHERS.clear()
    m1 = matching.get_matcher(noc, "hash", progress=lambda d, t, l: calls.append(d), encoders=_encoders(),
                              cache_root=tmp_path)
    folder = match_index.cache_dir(noc, "hash", tmp_path)
    assert (folder / "meta.json").is_file() and calls
    assert all(p.suffix in (".npy", ".json") for p in folder.iterdir())
    np.load(folder / "vec.minilm.title_en.npy", allow_pickle=False)
    first = [(x.code, round(x.score, 3)) for x in m1.rank("registered nurse", top=3).results]

    matching._MATCHERS.clear()
    calls.clear()
    m2 = matching.get_matcher(noc, "hash", progress=lambda d, t, l: calls.append(d), encoders=_encoders(),
                              cache_root=tmp_path)
    assert not calls, "a valid cache is loaded, not rebuilt"
    assert [(x.code, round(x.score, 3)) for x in m2.rank("registered nurse", top=3).results] == first

    (folder / "vec.minilm.title_en.npy").write_bytes(b"garbage")          # corrupt cache -> rebuilt
    matching._MATCHERS.clear()
    matching.get_matcher(noc, "hash", progress=lambda d, t, l: calls.append(d), encoders=_encoders(),
                         cache_root=tmp_path)
    assert calls

    other = TinyNoc(checksum="0" * 64)                                  # other data -> other folder
    assert match_index.cache_dir(other, "hash", tmp_path) != folder
    matching._MATCHERS.clear()


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
    ("I am responsible for the payroll of 200 employees.", None),
    ("I install pipes and fixtures in new homes.", None),
    ("J'assemble les portails et je les fixe en place.", None),
])
def test_title_span(text, span):
    from lib.matching.query import title_span

    assert title_span(text) == span


def test_named_title_and_ad_boilerplate(tiny):
    # The leading phrase counts as a title only when it ends in a word that heads NOC titles.
    assert tiny.title_in_text("line cook at a diner, I prepare and cook meals", "en")[1] == "line cook"
    assert tiny.title_in_text("Prepare and cook meals in a restaurant kitchen", "en")[1] is None
    ad = ("Cook\nWe are hiring a cook for our team.\nPrepare and cook meals in a restaurant kitchen.\n"
          "Clean kitchen and work areas.\nWhat we offer: competitive salary, $20 per hour.\nFull-time position.\n"
          "How to apply: send your resume to us.\nWe are an equal opportunity employer.\nParking on site.")
    body, span = tiny.title_in_text(ad, "en")
    assert span == "Cook" and "salary" not in body and "resume" not in body and "Prepare and cook meals" in body
    r = tiny.rank(ad, top=3)
    assert r.results[0].code == "63200"
