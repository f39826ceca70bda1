"""URL converters."""

from __future__ import annotations

# The largest id a database's 64-bit integer column holds; a larger one can name nothing, and
# SQLite refuses to even compare with it (an OverflowError, a 500), so it is a 404 here.
LARGEST_ID = 2**63 - 1


class IdConverter:
    """A positive whole number no larger than a database id can be."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > LARGEST_ID:
            raise ValueError("larger than any id")  # the URL does not match: 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)
