"""A realistic project to export, and the platforms' own readers to check the files with.

The readers from npm and AWS's Nova checker come from `make validators`; without them their
tests are skipped, except under CI=true, where a missing reader is a failure (as a missing
browser or database is)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from decisions.evidence import services
from tests.conftest import body_of, make_example

ROOT = Path(__file__).resolve().parents[3]
VALIDATORS = ROOT / "devtools" / "validators"
NODE_MODULES = VALIDATORS / "node_modules"
NOVA_PYTHON = VALIDATORS / ".venv" / "bin" / "python"
# `make validators` touches these once an install has finished.
NODE_INSTALLED = NODE_MODULES / ".installed"
NOVA_INSTALLED = VALIDATORS / ".venv" / ".installed"
SYSTEM = "You draft replies for Acme's support desk. Be brief."

LONG = "Clause 14.2 (b): " + "the supplier shall indemnify the customer, in full, " * 120
PLAIN = [
    ("Umlauts and CJK", "Übersetze: „Grüß Gott“ → 日本語で", "「こんにちは」と言います。"),
    ("Emoji", "Reply to 😀🎉 with one emoji", "👍"),
    ("Newlines", "Line one\nLine two\r\nLine three\n", "Two lines:\nfirst\nsecond"),
    ("Quotes", 'She said "don\'t" and left; \\path\\to\\file', "'single' and \"double\""),
    ("Spreadsheet-like", "=SUM(A1:A3)", "'+34 612 345 678"),
    ("Template-like", "Dear {{name}}, {% if vip %}thanks{% endif %} {# note #}", "{{ answer }}"),
    ("Long text", LONG, "Flag clause 14.2 (b): unlimited indemnity."),
    ("Loader- and assertion-like", "file://README.md", "javascript: output.length > 0"),
]
CONVERSATIONS = [
    [
        {"role": "system", "content": "You answer for Acme's support desk."},
        {"role": "user", "content": "Where is my order 1042?"},
    ],
    [
        {"role": "system", "content": "Réponds en français."},
        {"role": "user", "content": "Où est ma commande ?"},
        {"role": "assistant", "content": "Elle est partie lundi."},
        {"role": "user", "content": "Et quand arrive-t-elle ?"},
    ],
    [
        {"role": "user", "content": "Two questions:"},
        {"role": "user", "content": "1. Price?\n2. Delivery?"},
    ],
    [
        {"role": "system", "content": "Kurz antworten."},
        {"role": "user", "content": "Kann ich Schuhe nach 5 Wochen zurückgeben?"},
    ],
    [
        {"role": "system", "content": "Answer with a JSON object."},
        {"role": "user", "content": 'Extract {"city": ...} from: I live in Zürich.'},
    ],
    [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello! How can I help?"},
        {"role": "user", "content": "Cancel my plan, please."},
    ],
]


def readable(turns: list[dict]) -> str:
    return "\n\n".join(f"{turn['role']}: {turn['content']}" for turn in turns)


@pytest.fixture
def realistic(project, alice):
    """14 examples, 8 plain and 6 conversations, every one with both outputs; the first and
    the last are held out as the test set, so training files hold 12."""
    made = [
        make_example(
            project,
            title=title,
            input_text=text,
            expected_output=expected,
            bad_output=f"Bad: {expected[:40]}",
        )
        for title, text, expected in PLAIN
    ]
    made += [
        make_example(
            project,
            title=f"Conversation {n}",
            input_text=readable(turns),
            input_messages=turns,
            expected_output=f"Answer {n}: «ok» — “quoted” and\nnew line",
            bad_output=f"Wrong answer {n}",
        )
        for n, turns in enumerate(CONVERSATIONS)
    ]
    services.test_set_choose(project=project, user=alice, example_ids=[made[0].pk, made[-1].pk])
    return made


def export(client, project, target: str, part: str = "train", system: str = "") -> str:
    response = client.get(f"/projects/{project.pk}/export/{target}/{part}/", {"system": system})
    body = body_of(response)
    assert response.status_code == 200, body.decode()[:500]
    return body.decode()


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def require(path: Path, what: str, *, node: bool = True) -> None:
    """Skip a test whose reader is not installed; under CI=true, fail instead."""
    if path.exists() and (shutil.which("node") or not node):
        return
    message = f"{what} is not installed: run `make validators`."
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
