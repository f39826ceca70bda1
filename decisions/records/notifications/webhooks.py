"""Posting events to a team's webhook targets: the bodies, their signature, one attempt and
what comes after it (retry with backoff, or give up).

Each body is signed so the receiver knows it came from us and has not been replayed:

    X-Decisions-Timestamp: <Unix seconds when this attempt was made>
    X-Decisions-Signature: sha256=<hex of HMAC-SHA256(secret, timestamp + "." + raw body)>

A receiver recomputes the HMAC over the timestamp, a dot and the raw body bytes, compares in
constant time, and refuses a timestamp more than 5 minutes from its clock (README, Webhooks).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from decisions.lib import outbound
from decisions.records.notifications.models import (
    RESPONSE_EXCERPT,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookFormat,
    WebhookTarget,
)

# After the first attempt fails: again in 1 minute, then 5, then 30; then give up.
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
# A receiver that is down or overloaded may answer later; one that refuses the request
# (a 4xx, a redirect) will answer the same next time.
RETRY_STATUSES = {408, 429}
KEEP_DELIVERIES = 100
USER_AGENT = "PromptOrModel-Webhooks/1"


def targets_for(team_id: int) -> list[WebhookTarget]:
    return list(WebhookTarget.objects.filter(team_id=team_id))


def payload(format: str, event: dict) -> str:
    """The raw body for a target of this format: what is signed and sent, byte for byte."""
    if format == WebhookFormat.SLACK:
        return json.dumps({"text": f"{_slack_escape(event['summary'])} <{event['url']}|Open it>"})
    return json.dumps(event, ensure_ascii=False)


def _slack_escape(text: str) -> str:
    """Slack reads <...> as links and mentions: a project named "<!channel>" must stay text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def signed_headers(delivery: WebhookDelivery, body: bytes, timestamp: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Decisions-Event": delivery.kind,
        "X-Decisions-Delivery": str(delivery.pk),
        "X-Decisions-Timestamp": timestamp,
        "X-Decisions-Signature": signature(delivery.target.secret, timestamp, body),
    }


def attempt(delivery: WebhookDelivery, number: int) -> WebhookAttempt:
    """Post the delivery once (to the target's URL and secret as they are now) and record the
    answer; the delivery is then delivered, waiting for its next attempt, or given up."""
    body = delivery.payload.encode()
    timestamp = str(int(time.time()))
    status_code, excerpt, error, retryable = None, "", "", True
    try:
        answer = outbound.post(
            delivery.target.url,
            body,
            signed_headers(delivery, body, timestamp),
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            max_bytes=settings.WEBHOOK_MAX_RESPONSE_BYTES,
            allow_private=settings.WEBHOOKS_ALLOW_PRIVATE,
        )
    except outbound.RefusedAddress as refused:
        # A deliberate rule, not a hiccup: trying again would only knock again.
        error, retryable = str(refused), False
    except outbound.OutboundError as failed:
        error = str(failed)
    else:
        status_code = answer.status
        excerpt = _excerpt(answer.body)
        retryable = status_code >= 500 or status_code in RETRY_STATUSES
    delivered = status_code is not None and 200 <= status_code < 300
    retry_at = (
        timezone.now() + RETRY_AFTER[number - 1]
        if not delivered and retryable and number < MAX_ATTEMPTS
        else None
    )
    delivery.status = (
        DeliveryStatus.DELIVERED
        if delivered
        else DeliveryStatus.PENDING
        if retry_at
        else DeliveryStatus.FAILED
    )
    delivery.next_attempt_at = retry_at
    delivery.save(update_fields=["status", "next_attempt_at"])
    return WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        status_code=status_code,
        response_excerpt=excerpt,
        error=error[:500],
        will_retry_at=retry_at,
    )


def _excerpt(body: bytes) -> str:
    # PostgreSQL text holds no NUL character; a receiver may well answer with one.
    return body.decode("utf-8", errors="replace").replace("\x00", "\ufffd")[:RESPONSE_EXCERPT]


def prune(target_id: int) -> int:
    """Keep a target's latest deliveries (and their attempts) only: the log shows the last ones
    and a busy team's table should not grow for ever."""
    keep = WebhookDelivery.objects.filter(target_id=target_id).values("pk")[:KEEP_DELIVERIES]
    deleted, _ = (
        WebhookDelivery.objects.filter(target_id=target_id)
        .exclude(pk__in=list(keep.values_list("pk", flat=True)))
        .delete()
    )
    return deleted
