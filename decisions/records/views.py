from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from decisions.accounts.access import Need
from decisions.lib.htmx import HtmxHttpRequest
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
        "reports:report", kwargs={"project_id": run.project_id, "revision": decision.revision}
    )
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
