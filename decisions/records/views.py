from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from decisions.accounts.access import Need
from decisions.lib.htmx import HtmxHttpRequest
from decisions.projects.vocabulary import FAILURE_TYPE_LABELS
from decisions.records.access import get_decision
from decisions.records.services import decision_create
from decisions.wizard.access import get_run
from decisions.wizard.views import current_step, render_panel


@login_required
@require_POST
def run_finish(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    run, _ = get_run(request.user, run_id, Need.EDIT)
    try:
        decision = decision_create(run=run, user=request.user)
    except ValidationError as error:
        run.refresh_from_db()
        if not run.is_draft:
            messages.error(request, " ".join(error.messages))
            return redirect("projects:detail", project_id=run.project_id)
        message = " ".join(error.messages)
        return render_panel(request, run, current_step(run), error=message, status=422)
    messages.success(request, f"Decision saved as revision {decision.revision}.")
    url = reverse(
        "records:decision", kwargs={"project_id": run.project_id, "revision": decision.revision}
    )
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_GET
def decision_detail(request: HtmxHttpRequest, project_id: int, revision: int) -> HttpResponse:
    decision, membership = get_decision(request.user, project_id, revision, Need.READ)
    definition = decision.definition()
    explanation = decision.explanation
    steps = [{**step, "note": decision.notes.get(step["node"], "")} for step in explanation["path"]]
    context = {
        "changes": counterfactual_groups(definition, explanation["counterfactuals"]),
        "failure_rows": [
            (FAILURE_TYPE_LABELS[type_id], count)
            for type_id, count in explanation["evidence"]["failure_counts"].items()
        ],
        "decision": decision,
        "project": decision.project,
        "membership": membership,
        "outcome": definition.outcomes[decision.outcome],
        "alternatives": [o for o in definition.outcomes.values() if o.id != decision.outcome],
        "steps": steps,
        "explanation": explanation,
    }
    return render(request, "records/decision.html", context)


def counterfactual_groups(definition, counterfactuals: list[dict]) -> list[dict]:
    """The saved counterfactuals grouped by question, in short words for the page."""
    groups: dict[str, dict] = {}
    for item in counterfactuals:
        node = definition.nodes[item["node"]]
        group = groups.setdefault(node.id, {"question": node.question, "items": []})
        if item["outcome"]:
            result = definition.outcomes[item["outcome"]].verdict
        else:
            result = "one more question: " + definition.nodes[item["next_node"]].question
        group["items"].append(
            {
                "answer": node.option(item["option"]).label,
                "result": result,
                "is_verdict": bool(item["outcome"]),
            }
        )
    return list(groups.values())
