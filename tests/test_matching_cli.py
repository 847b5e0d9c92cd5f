"""CLI contract of `rank` and `evaluate`, in process, on the tiny hand-written NOC (no model load)."""
from __future__ import annotations

import csv
import json

import pytest

from lib.cli import main
from lib.cli import rank as cli_rank
from lib.matching import devset as evaluate


@pytest.fixture()
def tiny_cli(tiny_matcher, monkeypatch):
    """The CLI's matcher is the tiny one; `loads` counts how often the CLI asked for it."""
    loads = []

    def fake_matcher():
        loads.append(1)
        return tiny_matcher

    monkeypatch.setattr(cli_rank, "_matcher", fake_matcher)
    return tiny_matcher, loads


def test_rank_json(tiny_cli, capsys):
    assert main(["rank", "registered nurse", "--top", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["query_lang"] == "en" and len(out["results"]) == 2
    assert out["results"][0]["code"] == "31301"
    assert set(out["results"][0]) >= {"code", "title", "score", "confidence", "evidence"}


def test_rank_text_and_lang(tiny_cli, capsys):
    from lib.i18n import t

    assert main(["rank", "plombier", "--lang", "fr", "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert "\n72300  Plombiers/plombières" in "\n" + out
    assert "FÉER 2" in out and "TEER" not in out                     # the page's words, not the JSON values
    assert any(f", {t(f'match_confidence.{c}', 'fr')}]" in out for c in ("high", "medium", "low"))
    assert main(["rank", "plumber", "--lang", "en", "--top", "1"]) == 0
    assert "[TEER 2, " in capsys.readouterr().out


def test_batch_jsonl_in_order_one_load(tiny_cli, tmp_path, capsys):
    _, loads = tiny_cli
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in [
        {"id": "b", "text": "caissière"}, {"id": "a", "text": "63200"}, {"id": "c", "text": "   "}]) + "\n",
        encoding="utf-8")
    assert main(["rank", "--input", str(src), "--top", "2", "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["b", "a", "c"]
    assert lines[0]["results"][0]["code"] == "65100" and lines[1]["results"][0]["code"] == "63200"
    assert lines[2]["results"] == [] and lines[2]["error"]
    assert loads == [1]


def test_batch_csv(tiny_cli, tmp_path):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("ref,job\n1,software developer\n2,plombière\n", encoding="utf-8")
    assert main(["rank", "--input", str(src), "--text-column", "job", "--output", str(dst), "--top", "3"]) == 0
    rows = list(csv.DictReader(dst.open(encoding="utf-8")))
    assert [r["ref"] for r in rows] == ["1", "2"]
    assert rows[0]["noc_1"] == "21232" and rows[1]["noc_1"] == "72300" and rows[1]["query_lang"] == "fr"
    assert "title_3" in rows[0]


@pytest.mark.parametrize("argv,needle", [
    (["rank"], "Give a text"),
    (["rank", "   "], "Type a job title"),
    (["rank", "cook", "--top", "0"], "--top"),
    (["rank", "--input", "/nonexistent.jsonl"], "not found"),
    (["rank", "99999"], "99999"),
])
def test_bad_input_one_line_no_traceback(tiny_cli, capsys, argv, needle):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_bad_jsonl_and_csv_column(tiny_cli, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "cook"}\nnot json\n', encoding="utf-8")
    assert main(["rank", "--input", str(bad)]) == 1
    assert "line 2" in capsys.readouterr().err
    src = tmp_path / "in.csv"
    src.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["rank", "--input", str(src), "--text-column", "job"]) == 1
    assert "Column 'job' not found" in capsys.readouterr().err


def test_evaluate_metrics_on_tiny(tiny_cli, tmp_path):
    m, _ = tiny_cli
    dev = tmp_path / "dev.jsonl"
    dev.write_text("\n".join(json.dumps(r) for r in [
        {"id": 1, "text": "line cook", "code": "63200", "bucket": "t"},
        {"id": 2, "text": "infirmière", "code": "31301", "bucket": "t"},
        {"id": 3, "text": "pipe fitter", "code": "65100", "bucket": "t"}]), encoding="utf-8")
    items = evaluate.load_items([str(dev)])
    scored = evaluate.score_items(m, items)
    table = evaluate.metrics(scored)["t"]
    assert table["n"] == 3 and 0 <= table["top1"] <= table["top3"] <= table["top5"] <= table["top10"] <= 1
    assert table["top1"] >= 2 / 3
    assert "bucket" in evaluate.format_table({"t": table})


def test_heldout_title_is_masked(tiny_cli):
    m, _ = tiny_cli
    mask = m.index.title_rows("Sous-chef")
    assert len(mask["title_en"]) == 1 and len(mask["title_fr"]) == 1
    exact = m.rank("Sous-chef", top=1, lang="en").results[0]
    assert any(e.text == "Sous-chef" for e in exact.evidence)
    held = m.with_heldout(["Sous-chef"]).rank("Sous-chef", top=6, lang="en")
    assert all(e.text != "Sous-chef" for r in held.results for e in r.evidence if e.kind == "title")


def test_evaluate_gold_lists_and_halves(tiny_cli, tmp_path):
    """Shared dev-set lines carry a list of gold codes (any one counts) and are split by odd/even id."""
    m, _ = tiny_cli
    dev = tmp_path / "onet_en_titles.jsonl"
    dev.write_text("\n".join(json.dumps(r) for r in [
        {"id": "dev-en-t-0001", "text": "line cook", "gold": ["99999", "63200"]},
        {"id": "dev-en-t-0002", "text": "pipe fitter", "gold": ["99998"]}]), encoding="utf-8")
    table = evaluate.metrics(evaluate.score_items(m, evaluate.load_items([str(dev)])))["onet_en_titles"]
    assert table["top1"] == 0.5
    assert table["odd"]["top1"] == 1.0 and table["even"]["top1"] == 0.0
    assert "odd t1/t5" in evaluate.format_table({"x": table})
    assert evaluate.half_of("dev-fr-d-0013") == "odd" and evaluate.half_of("noc-en-abc") == "even"
