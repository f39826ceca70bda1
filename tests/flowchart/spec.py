"""The spec of the current flowchart version, for tests of the app (wizard, records,
reports) that run on whatever version new runs use. Tests of one version's own rules import
spec_2026_11, spec_2027_01 or spec_2027_02 and pin that version."""

from tests.flowchart.spec_2027_02 import (  # noqa: F401
    SPEC_EDGES,
    SPEC_OUTCOMES,
    TRAINING_OUTCOMES,
)

_TO_FOUNDATION = {
    "symptom": "domain",
    "examples_test": "no",
    "test_set": "ready",
    "prompt_effort": "exhausted",
    "optimizer": "no_gain",
    "stronger_model": "all_fail",
}

# One full set of answers per outcome of 2027.02.
ANSWERS_FOR_OUTCOME = {
    "prompt": {"symptom": "tone", "spelled_out": "no"},
    "context": {"symptom": "facts", "context_test": "yes", "retrieval_in_place": "none"},
    "measure": {"symptom": "facts", "context_test": "no", "test_set": "none"},
    "switch_model": {**_TO_FOUNDATION, "stronger_model": "passes"},
    "optimize": {
        "symptom": "domain",
        "examples_test": "no",
        "test_set": "ready",
        "prompt_effort": "exhausted",
        "optimizer": "not_tried",
    },
    "retrieval": {
        "symptom": "facts",
        "context_test": "yes",
        "retrieval_in_place": "yes",
        "retrieval_hit": "missed",
    },
    "orchestration": {"symptom": "tools", "tools_given": "yes", "tool_sequence": "sequence"},
    "classifier": {"symptom": "labels", "label_errors": "few_classes"},
    "guardrails": {"symptom": "refuses", "safety_settings": "no"},
    "tune_serving": {"symptom": "cost", "cost_levers": "no"},
    "hybrid": {
        **_TO_FOUNDATION,
        "foundation": "yes",
        "platform": "open_weight",
        "grader": "yes",
        "data": "over_500",
        "team": "in_house",
        "budget": "yes",
        "oversight": "yes",
    },
    "distill": {
        "symptom": "cost",
        "cost_levers": "yes",
        "smaller_model": "fall_short",
        "distill_data": "yes",
        "distill_ready": "yes",
    },
    "prepare": {
        "symptom": "behavior",
        "rules_given": "yes",
        "test_set": "small",
        "prompt_effort": "exhausted",
        "optimizer": "not_possible",
        "stronger_model": "all_fail",
        "foundation": "yes",
        "platform": "none",
    },
    "adapt": {**_TO_FOUNDATION, "foundation": "no", "pretrain_scale": "domain_corpus"},
    "pretrain": {**_TO_FOUNDATION, "foundation": "no", "pretrain_scale": "full"},
    "rescope": {**_TO_FOUNDATION, "foundation": "no", "pretrain_scale": "neither"},
}
