"""Any string at all gives a search answer, never an error, on either backend."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.search.service import search


@pytest.fixture
def indexed(make_article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Strategic security consultations", body="<p>Talks go on.</p>")
        make_article("中俄战略安全磋商", body="<p>磋商</p>")


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(raw=st.text(max_size=300))
def test_random_strings_never_break_search(indexed, raw):
    found = search(raw)
    assert not found.failed
    assert 0 <= len(found.results) <= found.total


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    raw=st.lists(
        st.sampled_from(['"', "-", "*", "(", ")", ":", "NEAR", "OR", "AND", "NOT",
                         "security", "中", "^", "'", "\\", " ", "talks", "\x00"]),
        max_size=30,
    ).map("".join)
)  # fmt: skip
def test_syntax_soup_never_breaks_search(indexed, raw):
    found = search(raw)
    assert not found.failed
