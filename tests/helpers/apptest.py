"""Driving the app with Streamlit's AppTest: start it, read its titles and text, walk the flow to the results.

The model, index and rules are built once per test process (st.cache_resource is process-wide), so only the
first flow pays for loading them.
"""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from lib import i18n
from lib.settings import ROOT

APP = str(ROOT / "app.py")
TIMEOUT = 900  # the first search may build the matching index on a cold 2-core CI machine


def t(key: str, lang: str, **kw) -> str:
    return i18n.t(key, lang, **kw)


def new_app(lang: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    return at


def titles(at: AppTest) -> list[str]:
    return [el.value for el in at.title]


def all_text(at: AppTest) -> str:
    parts = [el.value for el in at.markdown] + [el.value for el in at.subheader] + [el.value for el in at.caption]
    parts += [el.value for el in at.warning] + [el.value for el in at.info] + [el.value for el in at.error]
    return "\n".join(str(p) for p in parts)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label_start: str):
    for b in at.button:
        if b.label.startswith(label_start):
            return b
    raise AssertionError(f"no button starting with {label_start!r}: {[b.label for b in at.button]}")


def walk(lang: str, text: str) -> AppTest:
    """Start -> Describe -> Choose -> Situation -> Programs, picking the first suggestion."""
    at = ok(new_app(lang).run())
    assert titles(at) == [t("start.title", lang)]
    ok(button(at, t("start.begin", lang)).click().run())
    assert titles(at) == [t("describe.title", lang)]
    at.text_area(key="w_description").input(text)
    ok(button(at, t("describe.submit", lang)).click().run())
    assert titles(at) == [t("choose.title", lang)]
    return at


def answer_and_see_programs(at: AppTest, lang: str) -> AppTest:
    ok(button(at, t("choose.pick", lang, code="")[:-3]).click().run())
    assert titles(at) == [t("situation.title", lang)]
    at.number_input(key="w_experience_years").set_value(3.0)
    at.selectbox(key="w_french_oral").set_value(7)
    at.selectbox(key="w_diploma").set_value("college")
    ok(button(at, t("situation.submit", lang)).click().run())
    assert titles(at) == [t("programs.title", lang)]
    return at


def forget_noc() -> None:
    """Drop the app's loaded NOC data (views/common.py caches it per process), so the next run loads it again."""
    from views import common as ui

    ui.forget_noc()
