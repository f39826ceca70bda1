"""The trials page beyond pass rates: groups, each revision against the one before on the
same cases, whether the best trial clears the mark, and models on rate, cost and latency."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from decisions.evidence.models import PromptTrial
from decisions.projects.models import Project


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def import_trial(client, project, name, content, group_by="", **fields):
    data = {
        "import-label": "",
        "import-model_name": "",
        "import-on_current_model": "on",
        "import-run_on": "2026-11-20",
        "file": SimpleUploadedFile(name, content),
        "group_by": group_by,
        **{f"import-{k}": v for k, v in fields.items()},
    }
    return client.post(f"/projects/{project.pk}/trials/import/", data)


def csv_trial(rows: list[tuple[str, bool, str]]) -> bytes:
    lines = ["case_id,pass,group"] + [f"{c},{'pass' if p else 'fail'},{g}" for c, p, g in rows]
    return "\n".join(lines).encode()


def promptfoo(results: list[dict]) -> bytes:
    return json.dumps({"results": {"version": 3, "results": results}}).encode()


def promptfoo_row(index: int, passed: bool, language: str, cost: float, latency: int) -> dict:
    return {
        "testIdx": index,
        "testCase": {"description": f"case {index}", "vars": {"q": f"Q{index}"}},
        "vars": {"q": f"Q{index}", "language": language},
        "provider": {"id": "openai:gpt-4o-mini"},
        "prompt": {"raw": "Answer: {{q}}", "label": "v4"},
        "success": passed,
        "cost": cost,
        "latencyMs": latency,
    }


def test_a_csv_group_column_gives_each_case_its_group_and_the_page_flags_a_group(
    logged_in, project
):
    rows = [(f"en-{n}", n < 18, "English") for n in range(20)]
    rows += [(f"de-{n}", n < 6, "German") for n in range(12)]
    response = import_trial(logged_in, project, "cases.csv", csv_trial(rows), label="v5")
    assert response.status_code == 302
    trial = PromptTrial.objects.get()
    assert trial.case_groups["de-0"] == "German"
    assert trial.case_groups["en-19"] == "English"
    html = logged_in.get(f"/projects/{project.pk}/trials/").content.decode()
    assert '<tr data-group="German" class="table-warning">' in html
    assert '6 of 12</td><td class="text-end">50% (25–75%)' in html
    assert '<tr data-group="English">' in html


def test_promptfoo_cases_are_grouped_by_the_var_named_and_cost_and_latency_are_read(
    logged_in, project
):
    rows = [promptfoo_row(n, n % 4 != 0, "fr" if n < 10 else "en", 0.002, 100 * (n + 1))
            for n in range(20)]  # fmt: skip
    response = import_trial(logged_in, project, "out.json", promptfoo(rows), group_by="language")
    assert response.status_code == 302
    trial = PromptTrial.objects.get()
    assert trial.case_groups["case 0"] == "fr"
    assert trial.case_groups["case 19"] == "en"
    # 20 results at $0.002 each: $2 per 1,000 requests. Latencies 100…2,000 ms: the 19th.
    assert trial.cost_per_1k_requests == Decimal("2.0000")
    assert trial.p95_latency_ms == 1900


def test_a_group_name_no_case_has_is_refused(logged_in, project):
    rows = [promptfoo_row(n, True, "fr", 0.001, 100) for n in range(3)]
    response = import_trial(logged_in, project, "out.json", promptfoo(rows), group_by="lang")
    assert response.status_code == 422
    assert "No case has a var or metadata field “lang” to group by" in response.content.decode()
    assert not PromptTrial.objects.exists()


def make_trial(project, label, results, **fields) -> PromptTrial:
    values = {"model_name": "gpt-4o", "cases": len(results), "passed": sum(results.values())}
    values.update(fields)
    return PromptTrial.objects.create(project=project, label=label, results=results, **values)


def test_a_revision_is_compared_with_the_one_before_without_a_click(logged_in, project):
    make_trial(project, "v1", {f"c{n}": n < 20 for n in range(60)})
    make_trial(project, "v2", {f"c{n}": n < 40 for n in range(60)})  # 20 fixed, none broken
    html = logged_in.get(f"/projects/{project.pk}/trials/").content.decode()
    assert 'data-verdict="better"' in html
    assert "“v2” is better than “v1” on the 60 cases both ran: 20 fixed, 0 broken" in html
    # The chart marks it over the later revision.
    assert 'fill="#198754" data-verdict="better">▲ better</text>' in html


def test_a_small_mixed_change_is_not_distinguishable_and_says_how_many_cases_would_tell(
    logged_in, project
):
    make_trial(project, "v1", {f"c{n}": n < 30 for n in range(50)})
    # 3 broken (c0-c2), 6 fixed (c30-c35): 9 discordant of 50.
    make_trial(project, "v2", {f"c{n}": 3 <= n < 36 for n in range(50)})
    html = logged_in.get(f"/projects/{project.pk}/trials/").content.decode()
    assert 'data-verdict="not distinguishable"' in html
    assert "6 fixed, 3 broken" in html
    # Connor: ψ = 9/50 = 0.18, δ = 3/50 = 0.06:
    # (1.959964·√0.18 + 0.841621·√(0.18 − 0.0036))² / 0.0036
    #   = (0.831543 + 0.353481)² / 0.0036 = 1.404282 / 0.0036 = 390.08 → 391.
    assert "<span data-cases-to-detect>391</span>" in html


def test_the_best_trial_says_whether_it_clears_the_mark_and_how_many_cases_would(
    logged_in, project
):
    make_trial(project, "v1", {f"c{n}": n < 18 for n in range(20)})  # 90 %, 69.9–97.2 %
    html = logged_in.get(f"/projects/{project.pk}/trials/").content.decode()
    assert "Its interval reaches below the pass mark of 80%" in html
    assert "<strong data-cases-needed>61</strong> cases" in html


def test_models_side_by_side_with_the_monthly_difference(logged_in, project):
    Project.objects.filter(pk=project.pk).update(monthly_requests=200_000)
    make_trial(project, "v3", {"a": True, "b": True}, cost_per_1k_requests=Decimal("4.50"),
               p95_latency_ms=2300)  # fmt: skip
    make_trial(project, "v3 small", {"a": True, "b": False}, model_name="gpt-4o-mini",
               cost_per_1k_requests=Decimal("0.30"), p95_latency_ms=800)  # fmt: skip
    html = logged_in.get(f"/projects/{project.pk}/trials/").content.decode()
    assert '<tr data-model="gpt-4o">' in html
    assert "$4.50" in html and "2300 ms" in html and "800 ms" in html
    # (4.50 − 0.30) dollars per 1,000 × 200,000 = $840.
    assert "At 200,000 requests a month" in html
    assert "gpt-4o costs <strong>$840.00</strong> a month more than gpt-4o-mini" in html


def test_trials_page_queries_do_not_grow_with_cases(
    logged_in, project, django_assert_max_num_queries
):
    for n in range(10):
        make_trial(project, f"v{n}", {f"c{k}": (k + n) % 3 != 0 for k in range(1000)})
    with django_assert_max_num_queries(12):
        response = logged_in.get(f"/projects/{project.pk}/trials/")
    assert response.status_code == 200


def test_cases_can_take_their_group_from_the_test_set_examples_they_name(logged_in, alice, project):
    from decisions.evidence import services
    from tests.conftest import make_example

    tone = make_example(project, title="Too stiff", failure_type="tone")
    facts = make_example(project, title="Wrong policy", failure_type="facts", severity="high")
    services.test_set_choose(project=project, user=alice, example_ids=[tone.pk, facts.pk])
    content = f"case_id,pass\nexample-{tone.pk},pass\nWrong policy,fail\nunknown,pass\n".encode()
    response = import_trial(
        logged_in, project, "cases.csv", content, group_by="example.failure_type", label="v1"
    )
    assert response.status_code == 302
    assert PromptTrial.objects.get().case_groups == {
        f"example-{tone.pk}": "Tone or style",
        "Wrong policy": "Facts",
    }
    import_trial(logged_in, project, "cases.csv", content, group_by="example.severity", label="v2")
    assert PromptTrial.objects.get(label="v2").case_groups == {
        f"example-{tone.pk}": "Medium",
        "Wrong policy": "High",
    }


def test_grouping_by_examples_when_no_case_names_one_is_refused(logged_in, project):
    content = b"case_id,pass\nc1,pass\n"
    response = import_trial(
        logged_in, project, "cases.csv", content, group_by="example.failure_type", label="v1"
    )
    assert response.status_code == 422
    assert "No case id names an example of the test set" in response.content.decode()
    assert not PromptTrial.objects.exists()


def test_trials_that_share_no_case_are_not_compared(logged_in, project):
    make_trial(project, "v1", {f"c{n}": n < 20 for n in range(40)})
    make_trial(project, "other cases", {f"x{n}": n < 30 for n in range(40)})
    html = logged_in.get(f"/projects/{project.pk}/trials/").content.decode()
    assert "on the 0 cases both ran" not in html
    assert "data-verdict=" not in html


def test_one_model_spelt_two_ways_is_one_row_with_its_monthly_cost(logged_in, project):
    Project.objects.filter(pk=project.pk).update(monthly_requests=10_000)
    make_trial(project, "v1", {"a": True, "b": False}, model_name="GPT-4o",
               cost_per_1k_requests=Decimal("5.00"))  # fmt: skip
    make_trial(project, "v2", {"a": True, "b": True}, model_name="openai:gpt-4o",
               cost_per_1k_requests=Decimal("5.00"))  # fmt: skip
    make_trial(project, "v2 mini", {"a": True, "b": False}, model_name="openai:gpt-4o-mini",
               cost_per_1k_requests=Decimal("0.30"))  # fmt: skip
    make_trial(project, "v2 claude", {"a": False, "b": True}, model_name="anthropic:claude",
               cost_per_1k_requests=Decimal("3.00"))  # fmt: skip
    html = logged_in.get(f"/projects/{project.pk}/trials/").content.decode()
    assert html.count("<tr data-model=") == 3
    assert '<tr data-model="openai:gpt-4o">' in html  # its best trial names it
    # 10,000 requests a month at $5, $0.30 and $3 per 1,000.
    assert "A month at 10,000 requests" in html
    assert "$50.00" in html and "$3.00</td></tr>" in html and "$30.00" in html
