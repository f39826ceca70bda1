"""The project page and its failed examples: add, edit, retag, delete.

The project page lives here rather than in `projects/` because most of it is evidence (the
examples table, the training readiness, the latest trial); the project's own pages (list, new,
edit, archive) stay in `projects/`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from decisions.accounts.access import Need
from decisions.evidence import services
from decisions.evidence.access import get_example
from decisions.evidence.examples.forms import BulkExamplesForm, ExampleForm
from decisions.evidence.examples.table import (
    DEFAULT_SORT,
    EXAMPLES_PER_PAGE,
    SORTS,
    ExampleFilter,
    sorted_examples,
)
from decisions.evidence.readiness import readiness
from decisions.evidence.signals import later_stages_context
from decisions.evidence.test_set import (
    chosen_message,
    project_split,
    trials_on_current_test_set,
)
from decisions.evidence.trials.chart import trials_chart_for
from decisions.flowchart.registry import get_definition
from decisions.flowchart.vendors import closed_for
from decisions.lib import clock
from decisions.lib.htmx import HtmxHttpRequest
from decisions.lib.stale import STALE_MESSAGE
from decisions.projects.access import get_project
from decisions.projects.vocabulary import failure_type_choices

TABLE_PARAMETERS = {
    "q",
    "failure_type",
    "technique",
    "severity",
    "expected",
    "test_set",
    "sort",
    "page",
}


@login_required
@require_GET
def project_detail(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, membership = get_project(request.user, project_id, Need.READ)
    # Later stages hang off the project through reverse relations (wizard runs, decisions),
    # so this stage lists them without importing from the stages after it.
    context = {
        "draft_run": project.wizard_runs.filter(status="draft").only("pk").first(),
        "latest_trial": project.trials.defer("results", "note").last(),
        "trials_chart": trials_chart_for(project),
        "decisions": (
            decisions := list(
                project.decisions.only(
                    "project_id",
                    "revision",
                    "outcome",
                    "confidence",
                    "flowchart_version",
                    "created_at",
                    "answers",
                )
            )
        ),
        "platform_closed": latest_platform_closed(decisions),
        **later_stages_context(project),
    }
    template = "projects/detail.html"
    if request.htmx and request.htmx.target == "example-table":
        template = "projects/detail.html#example-table"
    return _render_examples(request, project, membership, template=template, extra=context)


def latest_platform_closed(decisions: list) -> list[str]:
    """Why the latest revision no longer holds because its platform stopped taking jobs: the
    same vendor rows and day as the staleness rule (records/staleness.py), asked of the answers
    already loaded."""
    if not decisions:
        return []
    latest = decisions[0]
    return closed_for(get_definition(latest.flowchart_version), latest.answers, clock.today())


# Failed-output examples. Every htmx action answers with the #examples fragment (counts,
# list and add form), so the per-type counts always match the list after a change.


def _render_examples(
    request, project, membership, *, add_form=None, template=None, status=200, extra=None
):
    context = {
        "project": project,
        "membership": membership,
        **examples_table(request, project),
        "add_form": add_form or ExampleForm(prefix_id="new_"),
        **(extra or {}),
    }
    if template is None:
        template = "projects/detail.html#examples" if request.htmx else "projects/detail.html"
    return render(request, template, context, status=status)


def examples_table(request, project) -> dict:
    """One page of the project's examples as filtered and sorted, with the per-type counts and
    the training readiness: the same few queries for 1 example or 5,000."""
    filters = ExampleFilter(request.GET, queryset=project.examples.all())
    sort = request.GET.get("sort", DEFAULT_SORT)
    matching = sorted_examples(filters.qs, sort).select_related("created_by")
    page = Paginator(matching, EXAMPLES_PER_PAGE).get_page(request.GET.get("page"))
    failure_counts = project.failure_counts()
    split = project_split(project)
    total = sum(count for _, _, count in failure_counts)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filters": filters,
        "sort": sort if sort in SORTS else DEFAULT_SORT,
        "sorts": [(key, label) for key, (_, label) in SORTS.items()],
        "page": page,
        "filtered": any(request.GET.get(name) for name in filters.filters),
        "query_without_page": query.urlencode(),
        "failure_counts": failure_counts,
        "example_total": total,
        # Training readiness counts what a training file could hold: never the test set.
        "readiness": readiness(split.training, get_definition().vendor_facts),
        "split": split,
        "retag_choices": failure_type_choices(),
    }


def _examples_url(project, query: str = "", *, page: str = "", anchor: str = "examples") -> str:
    url = reverse("projects:detail", kwargs={"project_id": project.pk})
    # Only our own filter parameters go back into the address.
    kept = QueryDict(query, mutable=True)
    for name in list(kept):
        if name not in TABLE_PARAMETERS:
            del kept[name]
    if page.isdigit() and page != "1":
        kept["page"] = page
    return f"{url}?{kept.urlencode()}#{anchor}" if kept else f"{url}#{anchor}"


# Bulk messages show at the top of the table they acted on (templates: messages.html skips
# them), where a PM on page 3 of a filtered table is looking.
TABLE_MESSAGE = "examples-table"


@login_required
@require_http_methods(["GET", "POST"])
def example_add(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, membership = get_project(request.user, project_id, Need.EDIT)
    form = ExampleForm(request.POST or None, prefix_id="new_")
    if request.method == "GET":
        return render(request, "evidence/example_form.html", {"form": form, "project": project})
    if not form.is_valid():
        if request.htmx:
            return _render_examples(request, project, membership, add_form=form, status=422)
        context = {"form": form, "project": project}
        return render(request, "evidence/example_form.html", context, status=422)
    example = services.example_create(project=project, form=form, user=request.user)
    messages.success(request, f"Example “{example.title}” added.")
    if request.htmx:
        return _render_examples(request, project, membership)
    return redirect(_examples_url(project))


@login_required
@require_http_methods(["GET", "POST"])
def example_edit(request: HtmxHttpRequest, project_id: int, example_id: int) -> HttpResponse:
    example, membership = get_example(request.user, project_id, example_id, Need.EDIT)
    project = example.project
    form = ExampleForm(request.POST or None, instance=example, prefix_id=f"e{example.pk}_")
    status = 200
    current = None
    if request.method == "POST":
        if not form.is_valid():
            status = 422
        elif services.example_update(
            example=example, form=form, version=form.cleaned_data["version"] or 0
        ):
            messages.success(request, f"Example “{example.title}” saved.")
            if request.htmx:
                return _render_examples(request, project, membership)
            return redirect(_examples_url(project))
        else:
            form.add_error(None, STALE_MESSAGE)
            current = project.examples.get(pk=example.pk)
            status = 409
    context = {"form": form, "project": project, "example": example, "current": current}
    if not request.htmx:
        return render(request, "evidence/example_form.html", context, status=status)
    response = render(request, "evidence/example_form.html#example-edit", context, status=status)
    # The form targets #examples for a successful save; a refusal replaces only this card.
    return reswap(retarget(response, f"#example-{example.pk}"), "outerHTML")


@login_required
@require_GET
def example_row(request: HtmxHttpRequest, project_id: int, example_id: int) -> HttpResponse:
    """One example in full; for htmx, its card alone (what "Cancel" on an inline edit swaps
    back in)."""
    example, membership = get_example(request.user, project_id, example_id, Need.READ)
    context = {"example": example, "project": example.project, "membership": membership}
    template = "evidence/example_detail.html"
    return render(request, f"{template}#example-card" if request.htmx else template, context)


@login_required
@require_POST
def examples_bulk(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    """Retag, hold out, train on or delete the examples ticked in the table, or every example
    matching its filters; a delete asks to confirm first. Back to the same page and filters,
    with the message at the top of the table."""
    project, _ = get_project(request.user, project_id, Need.EDIT)
    query = request.POST.get("query", "")
    form = BulkExamplesForm(request.POST, project=project, query=query)
    back = _examples_url(project, query, page=request.POST.get("page", ""), anchor="example-table")
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error), extra_tags=TABLE_MESSAGE)
        return redirect(back)
    chosen = form.cleaned_data["examples"]
    count = len(chosen)
    if form.cleaned_data["action"] == "retag":
        failure_type = form.cleaned_data["failure_type"]
        services.examples_retag(
            project=project, example_ids=[e.pk for e in chosen], failure_type=failure_type
        )
        label = dict(failure_type_choices())[failure_type]
        messages.success(
            request,
            f"Retagged {count} example{pluralize(count)} as “{label}”.",
            extra_tags=TABLE_MESSAGE,
        )
        return redirect(back)
    if form.cleaned_data["action"] in ("hold_out", "train"):
        return _bulk_test_set(request, project, form, back)
    if not form.cleaned_data["confirmed"]:
        return render(
            request, "evidence/bulk_delete.html", _confirm_context(request, project, form)
        )
    services.examples_delete(project=project, example_ids=[e.pk for e in chosen])
    messages.success(
        request, f"Deleted {count} example{pluralize(count)}.", extra_tags=TABLE_MESSAGE
    )
    return redirect(back)


def _confirm_context(request, project, form) -> dict:
    """What a confirmation page sends back: the same ticked ids, or the same filters and count
    for "all matching" (checked again when confirmed)."""
    return {
        "project": project,
        "examples": form.cleaned_data["examples"],
        "select_all": form.cleaned_data["select_all"],
        "matching_count": form.cleaned_data["matching_count"],
        "action": form.cleaned_data["action"],
        "query": request.POST.get("query", ""),
        "page_number": request.POST.get("page", ""),
    }


def _bulk_test_set(request, project, form, back: str) -> HttpResponse:
    """Puts the ticked examples in the test set, or takes them out; when trials were measured
    on the current test set, asks first, naming them."""
    ticked = {example.pk for example in form.cleaned_data["examples"]}
    held = set(project.examples.filter(in_test_set=True).values_list("pk", flat=True))
    hold_out = form.cleaned_data["action"] == "hold_out"
    stranded = [] if form.cleaned_data["confirmed"] else trials_on_current_test_set(project)
    if stranded:
        context = {**_confirm_context(request, project, form), "stranded": stranded}
        return render(request, "evidence/bulk_test_set.html", context)
    try:
        services.test_set_choose(
            project=project,
            user=request.user,
            example_ids=held | ticked if hold_out else held - ticked,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages), extra_tags=TABLE_MESSAGE)
    else:
        messages.success(request, chosen_message(project), extra_tags=TABLE_MESSAGE)
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def example_delete(request: HtmxHttpRequest, project_id: int, example_id: int) -> HttpResponse:
    example, membership = get_example(request.user, project_id, example_id, Need.EDIT)
    project = example.project
    if request.method == "GET":
        return render(request, "evidence/example_delete.html", {"example": example})
    services.example_delete(example=example)
    messages.success(request, f"Example “{example.title}” deleted.")
    if request.htmx:
        return _render_examples(request, project, membership)
    return redirect(_examples_url(project))
