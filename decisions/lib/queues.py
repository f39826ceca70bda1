"""The task queues, named once: settings declare them, tasks pick one, /healthz watches each."""

from __future__ import annotations

DEFAULT_QUEUE = "default"
# E-mails and webhooks: a worker of their own (Procfile), so no PDF render waits in front.
NOTIFICATIONS_QUEUE = "notifications"
TASK_QUEUES = (DEFAULT_QUEUE, NOTIFICATIONS_QUEUE)
