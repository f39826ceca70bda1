"""The CSV formula rule: what the export escapes, what the import refuses or restores."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decisions.lib.spreadsheet import escape_cell, looks_like_formula, unescape_cell


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-5", "'-5"),
        ("@here", "'@here"),
        ("\tindented", "'\tindented"),
        ("'-ing words", "''-ing words"),
        ("'quoted'", "''quoted'"),
        ("plain text", "plain text"),
        ("", ""),
    ],
)
def test_export_escapes_formula_starts_and_apostrophes(text, cell):
    assert escape_cell(text) == cell
    assert unescape_cell(cell) == text


@given(st.text())
def test_any_text_escaped_for_export_reads_back_identical(text):
    assert unescape_cell(escape_cell(text)) == text


@pytest.mark.parametrize(
    "cell", ["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3+cmd|x", "+Sheet1!A1"]
)
def test_unescaped_formulas_are_refused_on_import(cell):
    assert looks_like_formula(cell) is True


@pytest.mark.parametrize("cell", ["- item", "-5", "+34 612 345 678", "@here", "'=1+1", "a=b"])
def test_text_that_only_starts_like_a_formula_is_kept(cell):
    assert looks_like_formula(cell) is False
