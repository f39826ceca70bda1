"""Exports written a batch at a time: a StreamingHttpResponse sends the file as it is written,
never built whole.

The formats (formats.py) write whole files; each is a header (empty for JSONL) followed by
one line per example, so a batch's file, less the header, is that batch's lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import batched

from decisions.evidence.exports.formats import Target
from decisions.evidence.models import FailedExample

# Examples written at once.
EXPORT_BATCH = 2_000


def export_lines(target: Target, examples: Iterable[FailedExample], system: str) -> Iterator[str]:
    """The target's file, a batch of examples at a time."""
    header = target.write([], system)
    yield header
    for batch in batched(examples, EXPORT_BATCH):
        text = target.write(list(batch), system)
        if not text.startswith(header):
            # A format that wraps its examples (a JSON array, a footer) cannot be cut into
            # batches: it must say so here, not send a broken file.
            raise ValueError(f"{target.slug} does not write a header then one line per example")
        yield text[len(header) :]
