from django.core.management.base import BaseCommand
from django.urls import reverse

from decisions.lib.links import absolute_url
from devtools.demo.decisions import TEAMMATE_USERNAME, VIEWER_USERNAME, load_demo_decisions
from devtools.demo.projects import DEMO_PASSWORD, DEMO_USERNAME, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo user, a teammate and a viewer, three demo projects and their decisions, "
        "reviews and share link; running it again duplicates nothing and prints the link again."
    )

    def handle(self, *args, **options) -> None:
        user, created = load_demo()
        decisions = load_demo_decisions(user)
        self.stdout.write(f"Demo data: {created} project(s) created.")
        self.stdout.write(
            self.style.SUCCESS(f"Demo login: username {DEMO_USERNAME}, password {DEMO_PASSWORD}")
        )
        self.stdout.write(
            f"A teammate who reviewed a decision: username {TEAMMATE_USERNAME}, same password."
        )
        self.stdout.write(
            f"A viewer who reads but changes nothing: username {VIEWER_USERNAME}, same password."
        )
        if decisions.share_token:
            # From SITE_URL, like the review e-mails' links: one setting says where the demo is.
            url = absolute_url(reverse("reports:shared", kwargs={"token": decisions.share_token}))
            self.stdout.write(f"A read-only link for stakeholders: {url}")
        else:
            self.stdout.write("The demo's read-only link was revoked; make another on its report.")
