"""`manage.py bench`: how fast the main pages are, as ratios against a baseline page.

Everything runs in a throwaway test database created for the run, so it measures our code
and not the data someone happens to have. Absolute times depend on the machine; the ratios
against the baseline measured in the same run are what to compare between commits.
"""

from __future__ import annotations

import statistics
import time
import warnings
from collections.abc import Callable

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import setup_test_environment, teardown_test_environment

from decisions.accounts.services import team_create, user_signup
from decisions.projects.models import FailedExample, Project
from decisions.records.services import decision_create
from decisions.reports.context import report_context
from decisions.reports.pdf import render_pdf
from decisions.wizard.models import WizardRun

PROMPT_ANSWERS = {"symptom": "tone", "spelled_out": "no"}


class Command(BaseCommand):
    help = "Time the main pages against a baseline page, in a throwaway database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repeat", type=int, default=15, help="runs per page (median)")

    def handle(self, *args, **options) -> None:
        # WhiteNoise warns that collectstatic has not run; pages here need no static files.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ):
                self._run(options["repeat"])
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()

    def _run(self, repeat: int) -> None:
        user = user_signup(username="bench", email="bench@example.com", password="bench-pass-1")
        team = team_create(user=user, name="Bench team")
        small = self._project(team, user, "One example", 1)
        large = self._project(team, user, "Two hundred examples", 200)
        small_decision = self._decision(small, user)
        self._decision(large, user)
        run = WizardRun.objects.create(project=large, created_by=user)

        anonymous, client = Client(), Client()
        client.force_login(user)

        def get(who: Client, url: str) -> Callable[[], None]:
            def request() -> None:
                response = who.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return request

        def pdf_uncached() -> None:
            cache.clear()
            render_pdf(report_context(small_decision))

        cases = [
            ("baseline: login page", get(anonymous, "/accounts/login/"), repeat),
            ("project list", get(client, "/projects/"), repeat),
            ("project page, 1 example", get(client, f"/projects/{small.pk}/"), repeat),
            ("project page, 200 examples", get(client, f"/projects/{large.pk}/"), repeat),
            ("wizard step, 200 examples", get(client, f"/wizard/runs/{run.pk}/q/symptom/"), repeat),
            ("report, 1 example", get(client, f"/projects/{small.pk}/decisions/1/"), repeat),
            ("report, 200 examples", get(client, f"/projects/{large.pk}/decisions/1/"), repeat),
            ("PDF render, 1 example", pdf_uncached, max(3, repeat // 5)),
        ]
        baseline = None
        self.stdout.write(f"{'case':32} {'median ms':>10} {'x baseline':>11}")
        for name, action, runs in cases:
            median = self._median_seconds(action, runs)
            baseline = baseline or median
            self.stdout.write(f"{name:32} {median * 1000:10.1f} {median / baseline:10.1f}x")

    @staticmethod
    def _median_seconds(action: Callable[[], None], runs: int) -> float:
        action()  # warm up: template loading, caches
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            action()
            timings.append(time.perf_counter() - started)
        return statistics.median(timings)

    @staticmethod
    def _project(team, user, name: str, examples: int) -> Project:
        project = Project.objects.create(team=team, name=name, owner=user)
        FailedExample.objects.bulk_create(
            FailedExample(
                project=project,
                title=f"Example {index}",
                input_text="Write a follow-up email. " * 20,
                bad_output="Dear Valued Customer, " * 40,
                expected_output="Hi Dana, " * 20,
                failure_type=("tone", "format", "facts")[index % 3],
                techniques_tried=["instructions"],
                iterations=index % 12,
            )
            for index in range(examples)
        )
        return project

    @staticmethod
    def _decision(project: Project, user):
        run = WizardRun.objects.create(
            project=project,
            created_by=user,
            answers={node: {"option": option} for node, option in PROMPT_ANSWERS.items()},
        )
        return decision_create(run=run, user=user)
