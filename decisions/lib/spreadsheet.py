"""The one rule for CSV cells a spreadsheet would run as formulas (OWASP's CSV injection).

Export puts an apostrophe before any cell that starts like a formula, or with an apostrophe
itself; import takes exactly one such apostrophe off again. So any text written to CSV by our
export reads back byte-identical ("'-ing words" stays "'-ing words"), and an unescaped formula
in someone else's file is refused rather than stored.
"""

from __future__ import annotations

import re

# What a spreadsheet may evaluate when a cell starts with it. The apostrophe is escaped too:
# otherwise a text that starts with one would lose it on the way back in.
ESCAPED_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")

# A cell refused on import: "=…", or "+", "-", "@" followed by a function call, a sheet
# reference or a DDE pipe ("-2+3+cmd|' /C calc'!A0", "@SUM(A1)"). "- item" and "-5" are text.
FORMULA = re.compile(r"^(=|[+\-@]\S*[(!|])")


def escape_cell(text: str) -> str:
    """The cell as our CSV export writes it."""
    return f"'{text}" if text.startswith(ESCAPED_STARTS) else text


def unescape_cell(cell: str) -> str:
    """The text behind a cell our export escaped; any other cell as it is."""
    if cell.startswith("'") and cell[1:].startswith(ESCAPED_STARTS):
        return cell[1:]
    return cell


def looks_like_formula(cell: str) -> bool:
    """An unescaped cell a spreadsheet would run: the import refuses it."""
    return FORMULA.match(cell) is not None
