"""The question table of the 2026.11 spec (docs/flowchart/2026.11.md), transcribed: the
contract the tests of that version check against."""

SPEC_EDGES = {
    ("symptom", "format"): "spelled_out",
    ("symptom", "tone"): "spelled_out",
    ("symptom", "facts"): "context_test",
    ("symptom", "domain"): "examples_test",
    ("symptom", "behavior"): "rules_given",
    ("spelled_out", "no"): "prompt",
    ("spelled_out", "yes"): "prompt_effort",
    ("context_test", "not_tried"): "prompt",
    ("context_test", "yes"): "context",
    ("context_test", "no"): "prompt_effort",
    ("examples_test", "not_tried"): "prompt",
    ("examples_test", "yes"): "prompt",
    ("examples_test", "no"): "prompt_effort",
    ("rules_given", "no"): "prompt",
    ("rules_given", "yes"): "prompt_effort",
    ("prompt_effort", "untested"): "prompt",
    ("prompt_effort", "passes"): "prompt",
    ("prompt_effort", "some_techniques"): "prompt",
    ("prompt_effort", "exhausted"): "foundation",
    ("foundation", "yes"): "data",
    ("foundation", "no"): "pretrain_scale",
    ("pretrain_scale", "yes"): "pretrain",
    ("pretrain_scale", "no"): "rescope",
    ("data", "under_50"): "prepare",
    ("data", "50_to_500"): "team",
    ("data", "over_500"): "team",
    ("team", "nobody"): "prepare",
    ("team", "partner"): "budget",
    ("team", "in_house"): "budget",
    ("budget", "no"): "prepare",
    ("budget", "yes"): "oversight",
    ("oversight", "no"): "prepare",
    ("oversight", "yes"): "hybrid",
}

SPEC_OUTCOMES = ["prompt", "context", "hybrid", "prepare", "pretrain", "rescope"]

# One full set of answers per outcome.
ANSWERS_FOR_OUTCOME = {
    "prompt": {"symptom": "tone", "spelled_out": "no"},
    "context": {"symptom": "facts", "context_test": "yes"},
    "hybrid": {
        "symptom": "domain",
        "examples_test": "no",
        "prompt_effort": "exhausted",
        "foundation": "yes",
        "data": "over_500",
        "team": "in_house",
        "budget": "yes",
        "oversight": "yes",
    },
    "prepare": {
        "symptom": "behavior",
        "rules_given": "yes",
        "prompt_effort": "exhausted",
        "foundation": "yes",
        "data": "under_50",
    },
    "pretrain": {
        "symptom": "domain",
        "examples_test": "no",
        "prompt_effort": "exhausted",
        "foundation": "no",
        "pretrain_scale": "yes",
    },
    "rescope": {
        "symptom": "facts",
        "context_test": "no",
        "prompt_effort": "exhausted",
        "foundation": "no",
        "pretrain_scale": "no",
    },
}
