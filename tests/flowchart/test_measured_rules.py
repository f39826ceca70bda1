"""2027.02's changed and new evidence rules, each with its code, message and both sides of
its boundary."""

from __future__ import annotations

import pytest

from decisions.flowchart.evaluate import evaluate
from decisions.flowchart.evidence import Evidence, confidence, evidence_warnings, prefills
from decisions.flowchart.explain import explain
from decisions.flowchart.registry import get_definition
from decisions.flowchart.statistics import cases_needed, paired_mid_p

DEFINITION = get_definition("2027.02")
ALL_TECHNIQUES = ["instructions", "role", "examples", "structure", "context", "schema"]
TO_EFFORT = {"symptom": "domain", "examples_test": "no", "test_set": "ready"}
TO_FOUNDATION = {
    **TO_EFFORT,
    "prompt_effort": "exhausted",
    "optimizer": "no_gain",
    "stronger_model": "all_fail",
}
TO_DATA = {**TO_FOUNDATION, "foundation": "yes", "platform": "managed", "grader": "yes"}
TO_HYBRID = {
    **TO_DATA,
    "data": "50_to_500",
    "team": "in_house",
    "budget": "yes",
    "oversight": "yes",
}
TO_DISTILL = {
    "symptom": "cost",
    "cost_levers": "yes",
    "smaller_model": "fall_short",
    "distill_data": "yes",
    "distill_ready": "yes",
}


def evidence(**data) -> Evidence:
    data.setdefault("failure_counts", {"domain": 20})
    return Evidence.from_dict(data, DEFINITION.vocabulary)


def trial(label, cases, passed, *, techniques=ALL_TECHNIQUES, per_case=None, current=True):
    found = {
        "label": label,
        "model": "m",
        "run_on": "2026-11-01",
        "techniques": techniques,
        "cases": cases,
        "passed": passed,
        "on_current_model": current,
    }
    if per_case is not None:
        found["per_case"] = per_case
    return found


def cases(passes: list[bool], group: str | None = None, start: int = 0) -> list[dict]:
    return [
        {"case": f"c{start + i}", "passed": passed, **({"group": group} if group else {})}
        for i, passed in enumerate(passes)
    ]


def warnings_for(answers, evidence_):
    return evidence_warnings(evaluate(DEFINITION, answers), evidence_, DEFINITION)


def codes(answers, evidence_):
    return [warning.code for warning in warnings_for(answers, evidence_)]


def message(answers, evidence_, code):
    return next(w.message for w in warnings_for(answers, evidence_) if w.code == code)


# 3 evidence_disagrees


def test_evidence_disagrees_is_not_raised_for_a_cost_problem():
    tagged = evidence(failure_counts={"format": 20})
    assert "evidence_disagrees" not in codes({"symptom": "cost", "cost_levers": "no"}, tagged)


def test_evidence_disagrees_still_applies_to_failure_types():
    tagged = evidence(failure_counts={"format": 20})
    answers = {"symptom": "tone", "spelled_out": "no"}
    assert "evidence_disagrees" in codes(answers, tagged)


# 4 untried_techniques


def test_techniques_of_trials_on_the_current_model_count_as_tried():
    recorded = evidence(
        techniques_tried=["instructions"],
        trials=[trial(f"v{i}", 60, 30) for i in range(3)],
        most_iterations=3,
    )
    assert "untried_techniques" not in codes(TO_FOUNDATION, recorded)


def test_techniques_of_trials_on_other_models_do_not_count():
    recorded = evidence(
        techniques_tried=["instructions", "role", "examples", "structure"],
        trials=[trial("other", 60, 30, current=False)],
    )
    assert message(TO_FOUNDATION, recorded, "untried_techniques") == (
        "You say every technique was tried, but neither an example nor a trial on the current "
        "model records these: the facts or documents it needs, in the prompt, strict structured "
        "output or tool schemas."
    )


# 5 test_set_prefill


@pytest.mark.parametrize(("size", "option"), [(49, "small"), (50, "ready"), (1, "small")])
def test_test_set_prefill_from_the_test_set_size(size, option):
    found = prefills(DEFINITION, evidence(test_set_size=size, with_expected_output=3))
    assert found["test_set"].option_id == option


def test_test_set_size_beats_the_largest_trial():
    found = prefills(DEFINITION, evidence(test_set_size=30, trials=[trial("v1", 80, 60)]))
    assert (found["test_set"].option_id, found["test_set"].reason) == (
        "small",
        "The project's test set holds out 30 examples.",
    )


def test_without_a_test_set_size_the_examples_count():
    found = prefills(DEFINITION, evidence(test_set_size=0, with_expected_output=23))
    assert (found["test_set"].option_id, found["test_set"].reason) == (
        "small",
        "23 examples have an expected output.",
    )


# 7 underpowered


def test_cases_needed_worked_numbers_of_the_spec():
    assert cases_needed(30 / 40, 0.8) == 246
    assert cases_needed(44 / 50, 0.8) == 97
    assert cases_needed(0.8, 0.8) is None


def test_underpowered_names_the_best_trial_and_the_cases_needed():
    measured = evidence(trials=[trial("v1", 40, 20), trial("v2", 40, 30)])
    answers = {**TO_EFFORT, "prompt_effort": "some_techniques"}
    assert message(answers, measured, "underpowered") == (
        "The best trial on the current model, “v2”, passed 30 of 40 (75%, 95% interval "
        "60–86%), which includes the pass mark of 80%: at 75% it takes about 246 cases to "
        "tell. Confidence is at most medium."
    )


def test_underpowered_above_the_mark():
    measured = evidence(trials=[trial("v1", 50, 44)])
    answers = {**TO_EFFORT, "prompt_effort": "passes"}
    assert "about 97 cases" in message(answers, measured, "underpowered")


def test_underpowered_at_exactly_the_mark():
    measured = evidence(trials=[trial("v1", 50, 40)])
    answers = {**TO_EFFORT, "prompt_effort": "passes"}
    assert "at exactly the pass mark no number of cases tells" in message(
        answers, measured, "underpowered"
    )


def test_best_trial_ties_go_to_the_later():
    measured = evidence(trials=[trial("v1", 40, 30), trial("v2", 40, 30)])
    answers = {**TO_EFFORT, "prompt_effort": "some_techniques"}
    assert "“v2”" in message(answers, measured, "underpowered")


def test_an_interval_clear_of_the_mark_is_not_underpowered():
    # 50 of 50: 95% interval about 93–100%, wholly above 80%.
    measured = evidence(trials=[trial("v1", 50, 50)])
    answers = {**TO_EFFORT, "prompt_effort": "passes"}
    assert "underpowered" not in codes(answers, measured)


def test_underpowered_does_not_stack_with_a_small_test_set():
    measured = evidence(trials=[trial("v1", 40, 30)])
    answers = {**TO_EFFORT, "test_set": "small", "prompt_effort": "some_techniques"}
    assert "underpowered" not in codes(answers, measured)
    assert "small_test_set" in codes(answers, measured)


def test_underpowered_caps_confidence_at_medium():
    measured = evidence(trials=[trial("v1", 40, 30)], techniques_tried=ALL_TECHNIQUES)
    answers = {**TO_EFFORT, "prompt_effort": "some_techniques"}
    found = warnings_for(answers, measured)
    assert [w.code for w in found] == ["underpowered"]
    assert confidence(measured, found) == "medium"


# 8 effort_unrecorded


def test_three_trials_on_the_current_model_record_the_effort():
    measured = evidence(trials=[trial(f"v{i}", 60, 30) for i in range(3)], most_iterations=1)
    assert "effort_unrecorded" not in codes(TO_FOUNDATION, measured)


def test_two_trials_and_one_iteration_are_effort_unrecorded():
    measured = evidence(trials=[trial(f"v{i}", 60, 30) for i in range(2)], most_iterations=1)
    assert message(TO_FOUNDATION, measured, "effort_unrecorded") == (
        "You say prompting is exhausted, but the most iterations recorded on an example is 1 "
        "and 2 trials on the current model are recorded. Record the prompt revisions you "
        "measured."
    )


# 10 test_split, split_short


@pytest.mark.parametrize(
    ("with_expected", "held_out", "option"),
    [(59, 10, "under_50"), (60, 10, "50_to_500"), (510, 10, "50_to_500"), (511, 10, "over_500")],
)
def test_data_prefill_from_the_examples_outside_the_test_set(with_expected, held_out, option):
    found = prefills(DEFINITION, evidence(with_expected_output=with_expected, held_out=held_out))
    assert found["data"].option_id == option


def test_data_prefill_reason_gives_both_counts():
    found = prefills(DEFINITION, evidence(with_expected_output=70, held_out=60))
    assert found["data"].reason == (
        "70 examples have an expected output; 60 are in the test set, leaving 10 to train on."
    )


def test_split_short_message_of_the_spec():
    split = evidence(with_expected_output=70, held_out=60)
    answers = {**TO_DATA, "data": "50_to_500"}
    assert message(answers, split, "split_short") == (
        "70 examples have an expected output, but 60 are in the test set: 10 remain to train on."
    )
    assert next(
        w for w in warnings_for(answers, split) if w.code == "split_short"
    ).lowers_confidence


def test_split_short_leaves_fewer_than_50_in_all_to_beyond_evidence():
    split = evidence(with_expected_output=49, held_out=40)
    found = codes({**TO_DATA, "data": "50_to_500"}, split)
    assert "split_short" not in found
    assert "beyond_evidence" in found


def test_fifty_outside_the_test_set_is_not_short():
    split = evidence(with_expected_output=110, held_out=60)
    assert "split_short" not in codes({**TO_DATA, "data": "over_500"}, split)


# 11-13 training_data, distill_data, training_method


def test_training_data_counts_outside_the_test_set():
    split = evidence(with_expected_output=70, held_out=60)
    assert message(TO_HYBRID, split, "training_data") == (
        "Only 10 examples outside the test set have an expected output. Training needs 10 at "
        "the minimum, 50–100 to see gains and 100–500 to change behavior markedly."
    )


def test_training_data_boundary_at_fifty():
    assert "training_data" not in codes(TO_HYBRID, evidence(with_expected_output=50))
    assert "training_data" in codes(TO_HYBRID, evidence(with_expected_output=49))


def test_distillation_gets_distill_data_not_training_data():
    found = warnings_for(TO_DISTILL, evidence(with_expected_output=0))
    assert [w.code for w in found] == ["distill_data"]
    assert found[0].message == (
        "Distillation trains on the strong model's outputs that meet the pass mark, not on your "
        "examples: collect 100 or more (Amazon Bedrock recommends at least 100 prompt-response "
        "pairs) and keep the test set out of them."
    )
    assert found[0].lowers_confidence is False


def method_step(answers, evidence_):
    steps = explain(DEFINITION, answers, evidence_).next_steps
    return next(step for step in steps if step.startswith("Method:"))


def test_method_step_with_preference_pairs_and_a_grader():
    found = method_step(
        TO_HYBRID, evidence(with_expected_output=72, held_out=60, preference_pairs=5)
    )
    assert found == (
        "Method: supervised fine-tuning on the 12 examples with an expected output (the test "
        "set excluded); preference tuning (DPO) as well on the 5 that also record the bad "
        "output; reinforcement fine-tuning is an option, since outputs can be graded (Amazon "
        "Bedrock, Gemini Enterprise Agent Platform, Fireworks, Microsoft Foundry)."
    )


def test_method_step_without_pairs_or_grader():
    answers = {**TO_HYBRID, "grader": "no"}
    found = method_step(answers, evidence(with_expected_output=1, preference_pairs=0))
    assert found == (
        "Method: supervised fine-tuning on the 1 example with an expected output (the test set "
        "excluded)."
    )


def test_method_step_pairs_default_to_every_training_example():
    answers = {**TO_HYBRID, "grader": "no"}
    assert method_step(answers, evidence(with_expected_output=80, held_out=20)).endswith(
        "; preference tuning (DPO) as well on the 60 that also record the bad output."
    )


def test_method_step_with_nothing_to_train_on_keeps_2027_01():
    steps = explain(DEFINITION, TO_HYBRID, evidence(with_expected_output=0)).next_steps
    assert steps[-5] == (
        "No example records an expected output yet: write the right output for each failed "
        "one first. With it, each example serves supervised fine-tuning, and with its bad "
        "output beside it, a preference pair (DPO) as well."
    )


def test_method_step_of_distillation():
    assert method_step(TO_DISTILL, evidence()) == (
        "Method: supervised fine-tuning of the smaller model on the strong model's outputs "
        "that meet the pass mark, not on your examples; the smaller model's failing output "
        "beside it on the same input makes a DPO pair."
    )


# 14-15 trial_prefills with no_significant_gain


def test_mcnemar_mid_p_of_the_spec():
    assert round(paired_mid_p(7, 1), 3) == 0.039
    assert paired_mid_p(3, 3) == 1 - 20 / 64 / 2
    assert paired_mid_p(0, 0) == 1.0


def revisions(older: list[bool], newer: list[bool]) -> list[dict]:
    return [
        trial("v1", len(older), 5),
        trial("v2", len(older), sum(older), per_case=cases(older)),
        trial("v3", len(newer), sum(newer), per_case=cases(newer)),
    ]


def test_a_significant_gain_between_the_last_two_is_not_exhausted():
    # 20 shared cases: 7 fixed, 1 broken, 12 unchanged failures.
    older = [False] * 7 + [True] + [False] * 12
    newer = [True] * 7 + [False] + [False] * 12
    found = prefills(DEFINITION, evidence(trials=revisions(older, newer)))["prompt_effort"]
    assert (found.option_id, found.reason) == (
        "some_techniques",
        "Below the pass mark of 80%, but the last two revisions show a significant gain, “v3” "
        "against “v2”: 7 cases fixed and 1 broken (McNemar mid-p 0.039): keep revising and "
        "measuring.",
    )


def test_no_significant_gain_between_the_last_two_is_exhausted():
    older = [False] * 3 + [True] * 2 + [False] * 15
    newer = [True] * 3 + [False] * 2 + [False] * 15
    found = prefills(DEFINITION, evidence(trials=revisions(older, newer)))["prompt_effort"]
    assert (found.option_id, found.reason) == (
        "exhausted",
        "3 revisions used every technique, the latest is below the pass mark of 80%, and the "
        "last two show no significant gain: “v3” against “v2”: 3 cases fixed and 2 broken "
        "(McNemar mid-p 0.688).",
    )


def test_without_per_case_results_2027_01_test_stands():
    measured = evidence(trials=[trial("v1", 60, 30), trial("v2", 60, 31), trial("v3", 60, 32)])
    assert prefills(DEFINITION, measured)["prompt_effort"].option_id == "exhausted"


def test_exhausted_while_the_last_two_gain_contradicts_the_trials():
    older = [False] * 7 + [True] + [False] * 12
    newer = [True] * 7 + [False] + [False] * 12
    measured = evidence(trials=revisions(older, newer), most_iterations=3)
    assert message(TO_FOUNDATION, measured, "trials_contradict") == (
        "You say prompting is exhausted, but the last two revisions show a significant gain: "
        "“v3” against “v2”: 7 cases fixed and 1 broken (McNemar mid-p 0.039)."
    )


# 16 slice_below


def sliced(german_passes: int, german_cases: int = 20) -> dict:
    english = 200 - german_cases
    results = cases([True] * (184 - german_passes) + [False] * (english - 184 + german_passes))
    results += cases(
        [True] * german_passes + [False] * (german_cases - german_passes), "German", start=english
    )
    return trial("v6", 200, 184, per_case=results)


def test_slice_below_prefill_names_the_lowest_group():
    found = prefills(DEFINITION, evidence(trials=[sliced(12)]))["prompt_effort"]
    assert (found.option_id, found.reason) == (
        "slice_below",
        "“v6” passes 184 of 200 (92%), but German passes 12 of 20 (60%), below the pass mark "
        "of 80%.",
    )


def test_a_group_at_the_mark_is_not_below():
    found = prefills(DEFINITION, evidence(trials=[sliced(16)]))["prompt_effort"]
    assert found.option_id == "passes"


def test_a_group_of_nine_cases_says_too_little():
    found = prefills(DEFINITION, evidence(trials=[sliced(2, german_cases=9)]))["prompt_effort"]
    assert found.option_id == "passes"


def test_a_group_of_ten_cases_is_enough():
    found = prefills(DEFINITION, evidence(trials=[sliced(2, german_cases=10)]))["prompt_effort"]
    assert found.option_id == "slice_below"


def test_lowest_group_ties_go_to_more_cases():
    results = cases([True] * 160)
    results += cases([True] * 6 + [False] * 4, "French", start=160)
    results += cases([True] * 12 + [False] * 8, "German", start=170)
    results += cases([True] * 6 + [False] * 4, "Dutch", start=190)
    found = prefills(DEFINITION, evidence(trials=[trial("v6", 200, 184, per_case=results)]))
    assert "German passes 12 of 20 (60%)" in found["prompt_effort"].reason


def test_answering_passes_with_a_group_below_lowers_confidence():
    measured = evidence(trials=[sliced(12)])
    answers = {**TO_EFFORT, "prompt_effort": "passes"}
    warning = next(w for w in warnings_for(answers, measured) if w.code == "slice_below")
    assert warning.message == (
        "You say the prompt meets the pass mark, but one group of cases stays below it: “v6” "
        "passes 184 of 200 (92%), but German passes 12 of 20 (60%), below the pass mark of 80%."
    )
    assert warning.lowers_confidence is True


def test_the_apps_saved_groups_of_the_latest_trial_count_too():
    measured = evidence(
        trials=[trial("v6", 200, 184)],
        groups=[{"trial": "v6", "group": "German", "passed": 12, "cases": 20}],
    )
    assert prefills(DEFINITION, measured)["prompt_effort"].option_id == "slice_below"


# 18-19 platform_closing, facts_dated


def test_openai_platform_is_closing():
    answers = {**TO_DATA, "platform": "openai_existing"}
    warning = next(w for w in warnings_for(answers, evidence()) if w.code == "platform_closing")
    assert warning.message == (
        "OpenAI takes no new fine-tuning jobs after 6 January 2027; fine-tunes of GPT-4o and "
        "GPT-4.1 snapshots stop serving on 14 January 2027."
    )
    assert warning.lowers_confidence is True


def test_facts_are_dated_more_than_180_days_after_their_check():
    answers = {**TO_DATA, "data": "under_50"}
    assert "facts_dated" not in codes(answers, evidence(decided_on="2027-05-30"))
    assert message(answers, evidence(decided_on="2027-05-31"), "facts_dated") == (
        "Vendor facts were last checked on 1 December 2026: check the platform before acting "
        "on this verdict."
    )


def test_facts_dated_only_where_vendor_facts_are_shown():
    answers = {"symptom": "tone", "spelled_out": "no"}
    assert "facts_dated" not in codes(answers, evidence(decided_on="2029-01-01"))
    assert "facts_dated" in codes(TO_DISTILL, evidence(decided_on="2029-01-01"))


# Input


def test_per_case_must_hold_one_result_per_case():
    with pytest.raises(ValueError, match="trial 'v1': per_case holds 2 results for 3 cases"):
        evidence(trials=[trial("v1", 3, 1, per_case=cases([True, False]))])


def test_per_case_passes_must_match_passed():
    with pytest.raises(ValueError, match="per_case holds 2 passes, but passed is 1"):
        evidence(trials=[trial("v1", 2, 1, per_case=cases([True, True]))])


def test_per_case_ids_are_unique():
    rows = [{"case": "a", "passed": True}, {"case": "a", "passed": False}]
    with pytest.raises(ValueError, match="per_case names a case twice"):
        evidence(trials=[trial("v1", 2, 1, per_case=rows)])


def test_cost_per_request_is_kept_per_thousand_and_latency_as_given():
    found = evidence(trials=[{**trial("v1", 2, 1), "cost_per_request": 0.0042, "latency_ms": 850}])
    saved = found.to_dict()["trials"][0]
    assert (saved["cost_per_1k"], saved["latency_ms"]) == (4.2, 850)


def test_held_out_beyond_the_examples_is_refused():
    with pytest.raises(ValueError, match=r"held_out \(61\) is more than with_expected_output"):
        evidence(with_expected_output=60, held_out=61)


def test_bad_decided_on_is_refused():
    with pytest.raises(ValueError, match="decided_on '31/05/2027' is not an ISO date"):
        evidence(decided_on="31/05/2027")


def test_prefills_of_2027_02_name_their_rule():
    older = [False] * 7 + [True] + [False] * 12
    newer = [True] * 7 + [False] + [False] * 12
    found = prefills(DEFINITION, evidence(trials=revisions(older, newer), with_expected_output=5))
    assert {node_id: prefill.code for node_id, prefill in found.items()} == {
        "symptom": "",
        "test_set": "trial_prefills",
        "prompt_effort": "no_significant_gain",
        "data": "test_split",
    }
    fixed = prefills(DEFINITION, evidence(test_set_size=60, trials=[sliced(12)]))
    assert (fixed["test_set"].code, fixed["prompt_effort"].code) == (
        "test_set_prefill",
        "slice_below",
    )


def test_untried_step_counts_trials_on_the_current_model():
    recorded = evidence(
        techniques_tried=["instructions", "role"],
        trials=[
            trial("v1", 40, 20, techniques=["examples", "structure"]),
            trial("other", 40, 20, techniques=["context"], current=False),
        ],
    )
    steps = explain(DEFINITION, {"symptom": "tone", "spelled_out": "no"}, recorded).next_steps
    assert steps[0] == (
        "Try the techniques neither your failed examples nor your trials on the current model "
        "record as tried yet: the facts or documents it needs, in the prompt, strict structured "
        "output or tool schemas."
    )


def test_no_untried_step_once_every_technique_is_recorded():
    used_in_trial = trial("v1", 40, 20, techniques=["structure", "context", "schema"])
    recorded = evidence(
        techniques_tried=["instructions", "role", "examples"], trials=[used_in_trial]
    )
    steps = explain(DEFINITION, {"symptom": "tone", "spelled_out": "no"}, recorded).next_steps
    assert not any(step.startswith("Try the techniques") for step in steps)
