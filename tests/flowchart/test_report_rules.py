"""The report rules of 2027.02 (deciding answer, nearest alternative, experiment, why), with
the sentences written out as the spec gives them."""

from __future__ import annotations

import pytest

from decisions.flowchart.evaluate import evaluate
from decisions.flowchart.registry import get_definition
from decisions.flowchart.report_rules import (
    ReportRules,
    WhyItem,
    experiment_size,
    fill_template,
    report_rules,
)
from decisions.flowchart.trials import Trial

TO_FOUNDATION = {
    "symptom": "domain",
    "examples_test": "no",
    "test_set": "ready",
    "prompt_effort": "exhausted",
    "optimizer": "no_gain",
    "stronger_model": "all_fail",
}
TO_HYBRID = {
    **TO_FOUNDATION,
    "foundation": "yes",
    "platform": "managed",
    "grader": "yes",
    "data": "over_500",
    "team": "in_house",
    "budget": "yes",
    "oversight": "yes",
}
SWITCH_MODELS_60 = (
    "Run your best prompt on the most capable model of another vendor on your 60 cases; if 48 "
    "or more pass (80%) at a cost you accept, the verdict becomes Switch models."
)


def rules_for(answers, *, n=60, pass_mark=0.8, version="2027.02") -> ReportRules | None:
    definition = get_definition(version)
    return report_rules(
        definition, evaluate(definition, answers), test_set_size=n, pass_mark=pass_mark
    )


def test_hybrid_is_decided_by_the_stronger_models_and_compared_with_switching():
    rules = rules_for(TO_HYBRID)
    assert (rules.deciding, rules.deciding_option) == ("stronger_model", "all_fail")
    assert rules.nearest == "switch_model"
    assert rules.nearest_answer == {"node": "stronger_model", "option": "not_tried"}
    assert rules.experiment == (SWITCH_MODELS_60,)


def test_unknown_test_set_size_speaks_of_the_test_set_and_the_pass_mark():
    rules = rules_for(TO_HYBRID, n=None)
    assert rules.experiment == (
        "Run your best prompt on the most capable model of another vendor on your test set; if "
        "it meets the pass mark (80%) at a cost you accept, the verdict becomes Switch models.",
    )


def test_zero_cases_is_unknown_too():
    assert rules_for(TO_HYBRID, n=0).experiment == rules_for(TO_HYBRID, n=None).experiment


def test_tone_spelled_out_no_has_no_nearest_alternative():
    rules = rules_for({"symptom": "tone", "spelled_out": "no"})
    assert (rules.deciding, rules.deciding_option) == ("spelled_out", "no")
    assert rules.nearest is None
    assert rules.nearest_answer is None
    assert rules.experiment == ()


def test_prepare_is_decided_by_the_gate_that_led_there():
    answers = {**TO_HYBRID, "oversight": "no"}
    rules = rules_for(answers)
    assert (rules.deciding, rules.deciding_option) == ("oversight", "no")
    assert rules.nearest == "hybrid"
    assert rules.nearest_answer == {"node": "oversight", "option": "yes"}
    assert rules.experiment == (
        "Name an owner who re-runs the held-out test set on every model or data update; with "
        "one, the verdict becomes Fine-tune + prompts.",
    )


def test_prepare_at_a_gate_without_an_alternative_falls_back_to_the_last_decisive_question():
    answers = {**TO_FOUNDATION, "foundation": "yes", "platform": "managed", "grader": "no"}
    rules = rules_for({**answers, "data": "under_50"})
    assert (rules.deciding, rules.deciding_option) == ("data", "under_50")
    assert rules.nearest == "switch_model"
    assert rules.nearest_answer == {"node": "stronger_model", "option": "not_tried"}
    assert rules.experiment == (SWITCH_MODELS_60,)


def test_distil_from_ready_gate_is_decided_by_the_last_decisive_answer():
    answers = {
        "symptom": "cost",
        "cost_levers": "yes",
        "smaller_model": "fall_short",
        "distill_data": "yes",
        "distill_ready": "yes",
    }
    rules = rules_for(answers)
    assert (rules.deciding, rules.deciding_option) == ("smaller_model", "fall_short")
    assert rules.nearest == "measure"
    assert rules.nearest_answer == {"node": "smaller_model", "option": "no_test_set"}
    assert rules.experiment == (
        "Without a test set to compare models on, the verdict becomes Build the test set.",
        "Run your best prompt on two or three smaller models on your 60 cases; if one passes 48 "
        "or more (80%), the verdict becomes Switch models.",
    )


def test_distil_not_ready_offers_distillation_as_the_nearest():
    answers = {
        "symptom": "cost",
        "cost_levers": "yes",
        "smaller_model": "fall_short",
        "distill_data": "yes",
        "distill_ready": "no",
    }
    rules = rules_for(answers)
    assert (rules.deciding, rules.nearest) == ("distill_ready", "distill")
    assert rules.experiment == (
        "Line up a platform that takes jobs for the smaller model, someone to run it, budget "
        "and an owner who re-tests it; with all four, the verdict becomes Distil for cost.",
    )


def test_pretraining_is_compared_with_continued_pretraining_first():
    rules = rules_for({**TO_FOUNDATION, "foundation": "no", "pretrain_scale": "full"})
    assert (rules.deciding, rules.deciding_option) == ("pretrain_scale", "full")
    assert rules.nearest == "adapt"
    assert rules.nearest_answer == {"node": "pretrain_scale", "option": "domain_corpus"}
    assert rules.experiment == (
        "With a large body of your own domain text and ML engineers, the verdict becomes "
        "Continue pretraining.",
        "With neither, the verdict becomes Rethink the task.",
    )


def test_retrieval_is_compared_with_the_prompt():
    answers = {
        "symptom": "facts",
        "context_test": "yes",
        "retrieval_in_place": "yes",
        "retrieval_hit": "missed",
    }
    rules = rules_for(answers)
    assert (rules.deciding, rules.nearest) == ("retrieval_hit", "prompt")
    assert rules.experiment == (
        "Measure recall@k on your 60 cases; if the passage was retrieved in most failures, the "
        "verdict becomes Engineer the prompt.",
    )


def test_switching_after_an_optimizer_is_compared_with_the_optimizer():
    answers = {**TO_FOUNDATION, "stronger_model": "passes"}
    rules = rules_for(answers)
    assert (rules.deciding, rules.deciding_option) == ("stronger_model", "passes")
    assert rules.nearest == "optimize"
    assert rules.nearest_answer == {"node": "optimizer", "option": "not_tried"}
    assert rules.experiment == (
        "If no optimizer has been run on a training split yet, the verdict becomes Run a prompt "
        "optimizer.",
    )


def test_cheap_levers_not_tried_has_no_alternative():
    rules = rules_for({"symptom": "cost", "cost_levers": "no"})
    assert (rules.deciding, rules.deciding_option) == ("cost_levers", "no")
    assert (rules.nearest, rules.experiment) == (None, ())


def test_cheap_levers_template_counts_passes_or_speaks_of_the_pass_mark():
    template = get_definition("2027.02").experiments["cost_levers"]["tune_serving"]
    known = fill_template(template, label="Tune serving", test_set_size=50, pass_mark=0.9)
    unknown = fill_template(template, label="Tune serving", test_set_size=None, pass_mark=0.9)
    assert known == (
        "Try lower reasoning effort, shorter outputs, caching and batching on your 50 cases; if "
        "cost or latency drops enough while 45 or more still pass (90%), the verdict becomes "
        "Tune serving."
    )
    assert unknown == (
        "Try lower reasoning effort, shorter outputs, caching and batching on your test set; if "
        "cost or latency drops enough while it still meets the pass mark (90%), the verdict "
        "becomes Tune serving."
    )


def test_why_gives_each_answered_question_on_the_path_in_order():
    rules = rules_for({"symptom": "tone", "spelled_out": "no", "budget": "yes"})
    assert rules.why == (
        WhyItem(
            "symptom",
            "tone",
            "Each kind of failure has its own first fix; output that is fine but slow or costly "
            "is its own path.",
        ),
        WhyItem(
            "spelled_out",
            "no",
            "Models follow what they are shown: a described format and one good example fix "
            "most format and tone failures.",
        ),
    )


def test_to_dict_keys_and_shapes():
    document = rules_for({"symptom": "tone", "spelled_out": "no"}).to_dict()
    assert list(document) == [
        "deciding",
        "deciding_option",
        "nearest",
        "nearest_answer",
        "experiment",
        "why",
    ]
    assert document["experiment"] == []
    assert document["why"][1] == {
        "node": "spelled_out",
        "option": "no",
        "rationale": "Models follow what they are shown: a described format and one good "
        "example fix most format and tone failures.",
    }
    assert rules_for(TO_HYBRID).to_dict()["nearest_answer"] == {
        "node": "stronger_model",
        "option": "not_tried",
    }


@pytest.mark.parametrize("version", ["2026.11", "2027.01"])
def test_versions_without_kinds_have_no_report_rules(version):
    assert rules_for({"symptom": "tone", "spelled_out": "no"}, version=version) is None


def test_incomplete_runs_have_no_report_rules():
    assert rules_for({"symptom": "tone"}) is None


@pytest.mark.parametrize(
    ("cases", "pass_mark", "needed"),
    [(60, 0.8, "48"), (61, 0.8, "49"), (20, 0.85, "17"), (21, 0.85, "18"), (10, 0.9, "9")],
)
def test_passes_needed_round_up_in_integers(cases, pass_mark, needed):
    sentence = fill_template("{k}", label="", test_set_size=cases, pass_mark=pass_mark)
    assert sentence == needed


def test_every_unknown_size_wording_leaves_no_count():
    definition = get_definition("2027.02")
    for templates in definition.experiments.values():
        for template in templates.values():
            text = fill_template(template, label="X", test_set_size=None, pass_mark=0.8)
            assert "{" not in text, text


def test_experiment_size_prefers_the_test_set_then_the_largest_own_trial():
    trials = (
        Trial("v1", "m", "2026-11-01", frozenset(), 40, 30),
        Trial("v2", "m", "2026-11-02", frozenset(), 55, 40),
        Trial("other", "big", "2026-11-03", frozenset(), 90, 80, on_current_model=False),
    )
    assert experiment_size(60, trials) == 60
    assert experiment_size(None, trials) == 55
    assert experiment_size(0, trials) == 55
    assert experiment_size(None, trials[2:]) is None
