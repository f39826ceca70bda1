from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from decisions.accounts.access import Need
from decisions.lib.htmx import HtmxHttpRequest
from decisions.projects.access import get_project
from decisions.records import review
from decisions.records.access import get_decision
from decisions.records.diff import revision_diff
from decisions.records.forms import TrackedStepForm
from decisions.records.models import EventKind
from decisions.records.services import decision_create
from decisions.records.steps import STALE_CODE, step_rows, step_update
from decisions.wizard.access import get_run
from decisions.wizard.panel import current_step, render_panel


@login_required
@require_POST
def run_finish(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    run = get_run(request.user, run_id, Need.EDIT)
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
        "reports:report", kwargs={"project_id": run.project_id, "revision": decision.revision}
    )
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _report_url(decision, anchor: str = "review") -> str:
    kwargs = {"project_id": decision.project_id, "revision": decision.revision}
    return f"{reverse('reports:report', kwargs=kwargs)}#{anchor}"


def _refused(request, decision, error: ValidationError, anchor: str = "review") -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(_report_url(decision, anchor))


@login_required
@require_POST
def review_step(request: HtmxHttpRequest, project_id: int, revision: int) -> HttpResponse:
    decision, membership = get_decision(request.user, project_id, revision, Need.EDIT)
    values = request.POST.getlist("informed")
    asked = request.POST.getlist("requested")
    if unreadable := next((value for value in values if _id(value) is None), None):
        return _not_a_person(unreadable, "a person to inform")
    if unreadable := next((value for value in asked if _id(value) is None), None):
        return _not_a_person(unreadable, "a reviewer")
    informed = membership.team.members.filter(pk__in=[_id(value) for value in values])
    move = request.POST.get("move", "")
    # Only editors and owners can review; anyone else named is left out.
    requested = review.reviewer_choices(membership.team).filter(pk__in=[_id(v) for v in asked])
    try:
        event = review.review_move(
            decision=decision,
            membership=membership,
            user=request.user,
            move=move,
            note=request.POST.get("note", ""),
            informed=list(informed),
            requested=list(requested) if move == review.PROPOSE else None,
        )
    except ValidationError as error:
        return _refused(request, decision, error)
    messages.success(request, _moved_message(decision, event, membership.team))
    return redirect(_report_url(decision))


def _not_a_person(value: str, what: str) -> HttpResponse:
    return HttpResponse(
        f"“{value[:40]}” is not {what}: choose members of the team.",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _moved_message(decision, event, team) -> str:
    if event.kind == EventKind.ACCEPTANCE:
        accepted = decision.acceptances.live().count()
        return (
            f"Your acceptance is recorded: {accepted} of {team.required_acceptances}. "
            f"Revision {decision.revision} stays proposed until "
            f"{team.required_acceptances} reviewers accept it."
        )
    return f"Revision {decision.revision} is {event.get_to_status_display().lower()}."


@login_required
@require_POST
def comment_add(request: HtmxHttpRequest, project_id: int, revision: int) -> HttpResponse:
    decision, _ = get_decision(request.user, project_id, revision, Need.READ)
    node_id = request.POST.get("node", "")
    anchor = f"thread-{node_id}" if node_id else "comments"
    try:
        review.comment_add(
            decision=decision, user=request.user, body=request.POST.get("body", ""), node_id=node_id
        )
    except ValidationError as error:
        return _refused(request, decision, error, anchor)
    return redirect(_report_url(decision, anchor))


def _comment(request, project_id, revision, comment_id, need):
    decision, membership = get_decision(request.user, project_id, revision, need)
    return get_object_or_404(decision.comments, pk=comment_id), decision, membership


@login_required
@require_POST
def comment_edit(request, project_id: int, revision: int, comment_id: int) -> HttpResponse:
    comment, decision, _ = _comment(request, project_id, revision, comment_id, Need.READ)
    try:
        review.comment_edit(comment=comment, user=request.user, body=request.POST.get("body", ""))
    except ValidationError as error:
        return _refused(request, decision, error, f"comment-{comment.pk}")
    return redirect(_report_url(decision, f"comment-{comment.pk}"))


@login_required
@require_POST
def comment_delete(request, project_id: int, revision: int, comment_id: int) -> HttpResponse:
    comment, decision, _ = _comment(request, project_id, revision, comment_id, Need.READ)
    try:
        review.comment_delete(comment=comment, user=request.user)
    except ValidationError as error:
        return _refused(request, decision, error, f"comment-{comment.pk}")
    messages.success(request, "Comment deleted.")
    return redirect(_report_url(decision, "comments"))


@login_required
@require_POST
def comment_resolve(request, project_id: int, revision: int, comment_id: int) -> HttpResponse:
    comment, decision, membership = _comment(request, project_id, revision, comment_id, Need.READ)
    if not (membership.can_edit or comment.author_id == request.user.pk):
        raise PermissionDenied("Editors, owners and the comment's author resolve comments.")
    review.comment_resolve(comment=comment, user=request.user)
    # A comment carried over to a later revision is resolved from that revision's page.
    later = _number(request.POST.get("back"))
    if later and later > decision.revision:
        back = decision.project.decisions.filter(revision=later).first()
        if back is not None:
            return redirect(_report_url(back, "timeline"))
    return redirect(_report_url(decision, f"comment-{comment.pk}"))


@login_required
@require_POST
def step_save(request: HtmxHttpRequest, project_id: int, revision: int, index: int):
    """Owner, due date and done mark of one next step; htmx gets the step back, in place."""
    decision, membership = get_decision(request.user, project_id, revision, Need.EDIT)
    step = get_object_or_404(decision.tracked_steps, index=index)
    members = membership.team.members.order_by("username")
    form = TrackedStepForm(request.POST, step=step, members=members)
    error, status = "", 200
    if form.is_valid():
        try:
            step_update(decision=decision, index=index, user=request.user, **form.cleaned_data)
        except ValidationError as refused:
            error = " ".join(refused.messages)
            # A teammate's newer change is a conflict, as on every other stale save.
            status = 409 if refused.code == STALE_CODE else 422
    else:
        error = "Not saved: " + " ".join(
            f"{form.fields[name].label if name in form.fields else ''} {' '.join(errors)}".strip()
            for name, errors in form.errors.items()
        )
        status = 422
    report_url = _report_url(decision, f"step-{index}")
    if not request.htmx and status != 409:
        if error:
            messages.error(request, error)
        return redirect(report_url)
    # A refused form is drawn again from what is saved now, with the reason beside it.
    rows = step_rows(decision, membership, is_latest=decision.superseded_by() is None)
    row = next(r for r in rows if r["step"].index == index)
    context = {
        "row": row,
        "decision": decision,
        "project": decision.project,
        "error": error,
        "report_url": report_url,
    }
    template = "records/_steps.html#step" if request.htmx else "records/step_refused.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def history(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    """Every revision of the project, and what changed between any two of them."""
    project, _ = get_project(request.user, project_id, Need.READ)
    revisions = list(
        project.decisions.select_related("created_by", "review")
        .defer("examples", "diagram_svg")
        .order_by("-revision")
    )
    by_number = {decision.revision: decision for decision in revisions}
    older = by_number.get(_number(request.GET.get("from")))
    newer = by_number.get(_number(request.GET.get("to")))
    if older and newer and older.revision > newer.revision:
        older, newer = newer, older
    context = {
        "project": project,
        "revisions": revisions,
        "older": older,
        "newer": newer,
        "diff": revision_diff(older, newer) if older and newer and older != newer else None,
    }
    return render(request, "records/history.html", context)


def _id(value: str) -> int | None:
    """A row id from a form value; None for text or a number no id column holds."""
    if not (value.isascii() and value.isdigit() and len(value) < 20):
        return None
    return int(value) if 0 < int(value) < 2**63 else None


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None
