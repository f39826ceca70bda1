"""A platform answer that meets a vendor deadline which has passed makes a decision stale."""

from __future__ import annotations

from datetime import date

from decisions.flowchart.registry import get_definition
from decisions.flowchart.vendor_facts import passed_deadlines

FACTS = get_definition("2027.02").vendor_facts


def test_openai_answer_is_stale_the_day_after_its_last_day():
    answers = {"symptom": "domain", "platform": "openai_existing"}
    assert passed_deadlines(FACTS, answers, date(2027, 1, 6)) == []
    assert passed_deadlines(FACTS, answers, date(2027, 1, 7)) == [
        "OpenAI took no new fine-tuning jobs after 6 January 2027"
    ]


def test_other_answers_meet_no_deadline():
    for option in ("managed", "open_weight", "none"):
        assert passed_deadlines(FACTS, {"platform": option}, date(2030, 1, 1)) == []
    assert passed_deadlines(FACTS, {"symptom": "tone"}, date(2030, 1, 1)) == []
