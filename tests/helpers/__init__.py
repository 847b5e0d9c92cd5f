"""Helpers shared by the tests (and by scripts/screenshots.py): import them, never another test module.

- `tiny`: a real `NocData` of six hand-written unit groups and the hashing encoders (no NOC data, no model).
- `apptest`: driving the Streamlit app with AppTest (new_app, walk, answer_and_see_programs, ...).
- `browser`: the app served by `streamlit run` on 127.0.0.1 and driven in Debian chromium through Playwright.

The fixtures built on them (`tiny_noc`, `tiny_matcher`, `noc`, `rules`, ...) are in tests/conftest.py.
"""
