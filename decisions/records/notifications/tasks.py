"""The notifications queue's tasks: sending an e-mail (which then prunes the old ones sent),
and one attempt at a webhook delivery that schedules the next one itself (run_after) until it
succeeds or gives up."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone

from decisions.lib.queues import NOTIFICATIONS_QUEUE
from decisions.records.notifications import webhooks
from decisions.records.notifications.models import DeliveryStatus, Notification, WebhookDelivery


@task(queue_name=NOTIFICATIONS_QUEUE)
def send_notification_email(notification_id: int) -> int:
    """Send one notification's e-mail, once; returns how many were written to.

    It is claimed in one UPDATE before anything is sent: a task run twice (a retry after a
    lost acknowledgement, two workers) finds the claim taken and sends nothing. A send that
    fails gives the claim back, so a retry can send it.
    """
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return 0
    try:
        sent = _send(Notification.objects.get(pk=notification_id))
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    prune_sent(now=timezone.now())
    return sent


def prune_sent(*, now: datetime) -> int:
    """Delete the e-mails sent more than NOTIFICATIONS_KEEP_DAYS days ago (by when the event
    happened; one exactly that old stays). Run after each send, as webhooks.prune() after each
    delivery: no cron and no chain of tasks to start, and a site that sends nothing has nothing
    new to prune. Unsent ones stay: they may yet be retried. Returns how many were deleted."""
    cutoff = now - timedelta(days=settings.NOTIFICATIONS_KEEP_DAYS)
    deleted, _ = Notification.objects.filter(
        emailed_at__isnull=False, created_at__lt=cutoff
    ).delete()
    return deleted


def _send(notification: Notification) -> int:
    addresses = sorted(
        set(
            get_user_model()
            .objects.filter(pk__in=notification.recipients)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if addresses:
        send_mail(
            subject=notification.subject,
            message=notification.body,
            from_email=None,
            recipient_list=addresses,
        )
    return len(addresses)


@task(queue_name=NOTIFICATIONS_QUEUE)
def deliver_webhook(delivery_id: int, attempt: int) -> str:
    """Attempt `attempt` of a delivery; on a failure worth retrying, enqueue the next attempt
    to run after the backoff. Returns the delivery's status after this attempt.

    The attempt is claimed first (attempts = attempt - 1 → attempt): the same attempt run
    twice posts once, and a delivery whose target was deleted is simply gone.
    """
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, attempts=attempt - 1
    ).update(attempts=attempt)
    if not claimed:
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("target").get(pk=delivery_id)
    tried = webhooks.attempt(delivery, attempt)
    if tried.will_retry_at:
        _schedule(delivery_id, attempt + 1, tried.will_retry_at)
    else:
        webhooks.prune(delivery.target_id)
    return delivery.status


def _schedule(delivery_id: int, attempt: int, run_after) -> None:
    """The next attempt, after the backoff. The immediate backend (tests) cannot wait: there
    the delivery stays pending with its retry time in the log, as it would before the worker
    takes it up."""
    if not deliver_webhook.get_backend().supports_defer:
        return
    deliver_webhook.using(run_after=run_after).enqueue(delivery_id, attempt)
