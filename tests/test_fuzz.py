"""Property-based fuzzing of the entry points that take untrusted text: code parsing, ranking, rules."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.errors import UserError

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
CODE_LIKE = st.from_regex(r"\s*(noc|cnp|NOC)?\s*(20\d\d)?\s*[:#-]?\s*\d{1,7}(\.\d\d)?\s*", fullmatch=True)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(text=st.one_of(ANY_TEXT, CODE_LIKE))
def test_lookup_code_answers_or_raises_a_user_error(noc, text):
    try:
        found = noc.lookup_code(text)
    except UserError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    if found is not None:
        assert found.codes and all(code in noc.unit_groups for code in found.codes)


@FUZZ
@given(text=ANY_TEXT)
def test_search_never_fails(noc, text):
    assert all(code in noc.unit_groups for code in noc.search(text))
