"""A team's outgoing webhooks: list and add, edit, delete, send a test, and each target's
delivery log. Owners only: a webhook sends the team's decisions out of the app."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from decisions.accounts.access import Need, get_team
from decisions.lib.htmx import HtmxHttpRequest
from decisions.lib.links import absolute_url
from decisions.records.notifications import tasks, webhooks
from decisions.records.notifications.forms import WebhookTargetForm, shown_secret, shown_url
from decisions.records.notifications.kinds import KINDS, WEBHOOK_TEST
from decisions.records.notifications.models import WebhookAttempt, WebhookDelivery

LOG_LENGTH = 20


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    """The team's targets, and the form that adds one (POST here)."""
    team, membership = get_team(request.user, team_id, Need.MANAGE)
    form = WebhookTargetForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            form.instance.team, form.instance.created_by = team, request.user
            target = form.save()
            messages.success(request, f"Webhook “{target.name}” added: send it a test.")
            return redirect("records:webhook", team_id=team.pk, target_id=target.pk)
        status = 422
    else:
        status = 200
    targets = [
        {"target": target, "url": shown_url(target.url), "last": _last_attempt(target)}
        for target in team.webhook_targets.all()
    ]
    context = {"team": team, "membership": membership, "targets": targets, "form": form}
    return render(request, "records/webhooks.html", context, status=status)


def _last_attempt(target) -> WebhookAttempt | None:
    return WebhookAttempt.objects.filter(delivery__target=target).select_related("delivery").first()


def _target(request, team_id: int, target_id: int):
    team, membership = get_team(request.user, team_id, Need.MANAGE)
    return get_object_or_404(team.webhook_targets, pk=target_id), team, membership


@login_required
@require_http_methods(["GET", "POST"])
def webhook_detail(request: HtmxHttpRequest, team_id: int, target_id: int) -> HttpResponse:
    """One target: its form (POST here saves it), a test button and the delivery log."""
    target, team, membership = _target(request, team_id, target_id)
    form = WebhookTargetForm(request.POST or None, instance=target, submit_label="Save")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Webhook saved.")
            return redirect("records:webhook", team_id=team.pk, target_id=target.pk)
        status = 422
        target.refresh_from_db()  # the page describes what is saved, not what was refused
    attempts = list(
        WebhookAttempt.objects.filter(delivery__target=target).select_related("delivery")[
            :LOG_LENGTH
        ]
    )
    context = {
        "team": team,
        "membership": membership,
        "target": target,
        "url": shown_url(target.url),
        "secret": shown_secret(target.secret),
        "events": [KINDS.get(kind, kind) for kind in target.events],
        "form": form,
        "attempts": attempts,
        "max_attempts": webhooks.MAX_ATTEMPTS,
    }
    return render(request, "records/webhook.html", context, status=status)


@login_required
@require_POST
def webhook_test(request: HtmxHttpRequest, team_id: int, target_id: int) -> HttpResponse:
    """Queue a test delivery; the log shows its answer once the worker has sent it."""
    target, team, _ = _target(request, team_id, target_id)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            target=target, kind=WEBHOOK_TEST, payload=_test_payload(target, request.user)
        )
        transaction.on_commit(lambda: tasks.deliver_webhook.enqueue(delivery.pk, 1))
    messages.success(request, "Test sent to the queue: its answer appears in the log below.")
    return redirect(
        f"{reverse('records:webhook', kwargs={'team_id': team.pk, 'target_id': target.pk})}#log"
    )


def _test_payload(target, user) -> str:
    url = absolute_url(
        reverse("records:webhook", kwargs={"team_id": target.team_id, "target_id": target.pk})
    )
    event = {
        "event": WEBHOOK_TEST,
        "project": None,
        "revision": None,
        "actor": user.get_username(),
        "url": url,
        "timestamp": timezone.now().isoformat(),
        "summary": f"A test from Prompt or Model?: the webhook “{target.name}” works",
    }
    return webhooks.payload(target.format, event)


@login_required
@require_POST
def webhook_delete(request: HtmxHttpRequest, team_id: int, target_id: int) -> HttpResponse:
    target, team, _ = _target(request, team_id, target_id)
    target.delete()
    messages.success(request, f"Webhook “{target.name}” deleted; nothing more is sent to it.")
    return redirect("records:webhooks", team_id=team.pk)
