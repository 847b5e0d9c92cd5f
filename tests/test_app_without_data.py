"""What the app does with no NOC data (a short page for visitors, one log line for the operator), and the share
link's answer fields; no data and no model needed (the rest of the AppTest suite is in test_app.py)."""
from __future__ import annotations

import pytest

from lib import share
from tests.helpers.apptest import all_text, forget_noc, new_app, ok, t


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_without_data_visitors_see_a_short_page_and_the_log_says_what_to_fix(monkeypatch, tmp_path, caplog, lang):
    from views import common as ui
    missing = tmp_path / "nowhere"
    monkeypatch.setenv("NOC_DATA_DIR", str(missing))
    monkeypatch.setattr(ui, "_logged", set())
    forget_noc()
    try:
        for page in ("start", "describe", "browse"):
            at = ok(new_app(lang).run())
            if page != "start":
                ok(at.switch_page(f"views/{page}.py").run())
            shown = all_text(at)
            headings = [h.value for h in at.subheader]
            assert headings == [t("unavailable.title", lang), t("unavailable.title", "fr" if lang == "en" else "en")]
            assert str(missing) not in shown and "NOC_DATA_DIR" not in shown and "nowhere" not in shown
            assert not at.text_area and not at.error  # no form to fill in, no operator message on the page
        logged = [r.getMessage() for r in caplog.records if r.name == "qc.setup"]
        assert len(logged) == 1 and str(missing) in logged[0] and "python -m lib setup" in logged[0]
    finally:
        monkeypatch.undo()
        forget_noc()


def test_answer_fields_match_the_rules_engine():
    import dataclasses

    from lib.programs import Answers

    assert {f.name for f in dataclasses.fields(Answers)} == set(share.ANSWER_PARSERS)
