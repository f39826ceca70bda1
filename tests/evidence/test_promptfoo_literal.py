"""Text made literal for promptfoo's Nunjucks: only what it would read is changed.
(tests/evidence/validators/test_tool_readers.py has promptfoo itself render these back.)"""

from __future__ import annotations

import pytest

from decisions.evidence.exports.promptfoo import nunjucks_literal


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("Plain text, 'quotes' and \"more\" ünï 😀", "Plain text, 'quotes' and \"more\" ünï 😀"),
        ("Dear {{name}}", 'Dear {{ "{{" }}name}}'),
        ("{% if x %}y{% endif %}", '{{ "{%" }} if x {{ "%}" }}y{{ "{%" }} endif {{ "%}" }}'),
        ("{# note #}", '{{ "{#" }} note {{ "#}" }}'),
        ("single { and } and }}", "single { and } and }}"),
        ("file://etc/passwd", '{{ "" }}file://etc/passwd'),
        ("package:left-pad:main", '{{ "" }}package:left-pad:main'),
        ("see file://x", "see file://x"),
        ("ends with a newline\n", 'ends with a newline\n{{ "" }}'),
        ("\n in the middle", "\n in the middle"),
        ("", ""),
    ],
)
def test_only_what_nunjucks_or_promptfoo_would_read_is_rewritten(text, literal):
    assert nunjucks_literal(text) == literal
