"""Password reset by e-mail: Django's own views and tokens, with our templates, rate limits
and the e-mail sent by the task worker.

The answer never tells whether an address has an account: a known and an unknown address get
the same redirect to the same page, the limits count addresses whether or not they exist, and
the e-mail goes out from the worker, so the request takes no longer when one is sent.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse_lazy

from decisions.accounts.ratelimit import hit, over_limit
from decisions.accounts.tasks import send_email
from decisions.lib.tokens import hash_token

# Reset requests per client address and hour: an office behind one address still fits.
RESETS_PER_ADDRESS_HOUR = 10
# Reset e-mails per e-mail address and hour: enough to retry, too few to flood an inbox.
RESETS_PER_EMAIL_HOUR = 3
HOUR = 3600


def link_days() -> int:
    """How long a reset link works, in days, as the pages and the e-mail say it."""
    return settings.PASSWORD_RESET_TIMEOUT // 86400


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, sending through the task queue instead of inside the request."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_email.enqueue(subject, body, [to_email])


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), **_limits_context()}

    def form_valid(self, form) -> HttpResponse:
        self.extra_email_context = {"days": link_days()}

        if _over_limits(self.request, form.cleaned_data["email"]):
            return render(
                self.request,
                "accounts/password_reset_limited.html",
                _limits_context(),
                status=429,
            )
        return super().form_valid(form)


def _limits_context() -> dict:
    return {
        "per_address": RESETS_PER_ADDRESS_HOUR,
        "per_email": RESETS_PER_EMAIL_HOUR,
        "days": link_days(),
    }


def _over_limits(request, email: str) -> bool:
    """Counts the request against both limits (both always count, so neither hides the other).

    The e-mail bucket holds a hash: the table of counts keeps no address in clear.
    """
    by_client = over_limit(
        request, scope="password_reset", limit=RESETS_PER_ADDRESS_HOUR, window_seconds=HOUR
    )
    by_email = hit(f"password_reset_email:{hash_token(email.strip().lower())}", HOUR)
    return by_client or by_email > RESETS_PER_EMAIL_HOUR


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html", extra_context={"days": link_days}
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
    extra_context={"days": link_days},
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
