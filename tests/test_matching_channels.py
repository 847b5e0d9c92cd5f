"""Channel names (lib/matching/tuning.py) are parsed and checked once, at import: a typo fails there."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lib.matching import channels, tuning
from lib.matching.channels import Channel
from lib.settings import ROOT


def test_every_tuning_name_parses_to_a_typed_channel():
    ch = channels.parse("minilm.duty_en|sent")
    assert ch == Channel("minilm", "duty_en", "en", "sent") and str(ch) == "minilm.duty_en|sent"
    group = channels.parse("bm25.group_title_fr|whole")
    assert group.per_group and group.lexical and group.lang == "fr" and group.index_field == "title_fr"
    assert channels.parse("use.title_fr").mode == "whole"
    for table, parsed in ((tuning.WEIGHTS, channels.WEIGHTS), (tuning.FALLBACK_WEIGHTS, channels.FALLBACK_WEIGHTS)):
        assert {route: [str(c) for c in w] for route, w in parsed.items()} == \
               {route: list(w) for route, w in table.items()}
    assert all(isinstance(c, Channel) for names in channels.EVIDENCE.values() for c in names)


@pytest.mark.parametrize("name", ["minilm.titel_en|whole", "st.title_en|whole", "use.duty_en|sentence",
                                  "bm25.group_duty_en|whole", "minilm.title_fr|whole", "use"])
def test_a_bad_channel_name_is_refused(name):
    with pytest.raises(ValueError) as err:
        channels.parse(name)
    assert name in str(err.value)


def test_a_typo_in_the_weights_fails_at_import():
    """lib/matching/tuning.py with one misspelt channel: importing the package stops, naming it."""
    code = "\n".join([  # noqa: FLY002 - one statement per line reads better than one long f-string
        "import pathlib, sys, types",
        "src = pathlib.Path('lib/matching/tuning.py').read_text(encoding='utf-8')",
        "src = src.replace('\"minilm.title_en|whole\": 2.0', '\"minilm.titel_en|whole\": 2.0', 1)",
        "assert 'titel' in src",
        "mod = types.ModuleType('lib.matching.tuning')",
        "sys.modules[mod.__name__] = mod",
        "exec(compile(src, 'tuning.py', 'exec'), mod.__dict__)",
        "import lib.matching",
    ])
    run = subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert run.returncode != 0, run.stdout
    assert "ValueError" in run.stderr and "minilm.titel_en|whole" in run.stderr


def test_the_index_embeds_only_what_some_channel_reads():
    """Issue 13: every (encoder, field) the index build embeds is read by a fused or evidence channel (the French
    duties' USE vectors cost 10 s of every build and were never read)."""
    read = {ch.rows for table in (channels.WEIGHTS, channels.FALLBACK_WEIGHTS) for weights in table.values()
            for ch in weights if not ch.lexical}
    read |= {ch.rows for evidence in channels.EVIDENCE.values() for ch in evidence}
    embedded = {(encoder, field) for encoder, fields in tuning.PLAN.items() for field in fields}
    assert embedded == read


def test_groups_roll_up_to_the_mean_of_their_best_rows_and_their_best_row():
    """topk_mean: the mean of a group's k best rows (all of them when it has fewer); max: its best row; a group
    without rows gets NEG. Checked against a plain loop on random scores with masked (NEG) rows."""
    import types

    import numpy as np

    code_idx = np.array([0, 1, 1, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4], dtype=np.int32)   # group 2 has no rows
    index = types.SimpleNamespace(codes=list("abcde"), fields={"duty_en": types.SimpleNamespace(code_idx=code_idx)})
    agg = channels.Aggregator(index)
    rng = np.random.default_rng(3)
    scores = rng.standard_normal((4, len(code_idx))).astype(np.float32)
    scores[1, 4] = channels.NEG
    for k in (1, 3, 5):
        got = agg.topk_mean("duty_en", scores, k=k)
        best = agg.max("duty_en", scores)
        for q in range(len(scores)):
            for g in range(5):
                rows = sorted(scores[q, code_idx == g], reverse=True)
                want = np.mean(rows[:k]) if rows else channels.NEG
                assert got[q, g] == pytest.approx(want, rel=1e-5), (k, q, g)
                assert best[q, g] == pytest.approx(rows[0] if rows else channels.NEG)
