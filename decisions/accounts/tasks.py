"""Background work of the accounts stage: invitation and password-reset e-mails."""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string

from decisions.accounts.models import INVITATION_DAYS, Invitation
from decisions.lib.queues import NOTIFICATIONS_QUEUE


# An e-mail: on the notifications queue, where no PDF render can hold it up.
@task(queue_name=NOTIFICATIONS_QUEUE)
def send_invitation(invitation_id: int, accept_url: str) -> None:
    """Email the invitation link. The link carries the token, which is stored nowhere else."""
    invitation = Invitation.objects.select_related("team", "invited_by").get(pk=invitation_id)
    context = {"invitation": invitation, "accept_url": accept_url, "days": INVITATION_DAYS}
    send_mail(
        subject=f"Join “{invitation.team.name}” on Prompt or Model?",
        message=render_to_string("accounts/invitation_email.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@task()
def send_email(subject: str, body: str, recipients: list[str]) -> None:
    """A plain-text e-mail written in the request (a password reset link), sent here so the
    request never waits on the mail server and takes as long whether one is sent or not."""
    send_mail(subject=subject, message=body, from_email=None, recipient_list=recipients)
