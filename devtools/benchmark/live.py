"""`manage.py bench --live N`: N concurrent clients walk whole wizard runs against gunicorn.

Each client is a PM with a project of their own: open the project, start (or resume) a run,
answer each question the server asks until the review, finish, and start again, until the time
is up. With `--kill-after S` the whole server (master and workers) is killed with SIGKILL
after S seconds and started again; clients that lose a request resume their run, as a PM
reloading the page would. Afterwards every answer the server acknowledged (200) must be in the
database, every acknowledged finish must have saved its decision, and no request may have
failed outside the restart window. Two races end the run: two clients answering the same
question at once (one wins, the other gets 409) and a double "finish" (one decision).
"""

from __future__ import annotations

import http.client
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, override_settings

from decisions.projects.models import Project
from decisions.records.models import Decision
from decisions.wizard.models import WizardRun
from devtools.benchmark import data as bench_data
from devtools.benchmark.measure import percentile

# Requests that end within this long after the restarted server answers /healthz still count
# as part of the restart (a client's retry that was already on its way).
RESTART_GRACE_SECONDS = 2.0
REQUEST_TIMEOUT_SECONDS = 30
STEP_URL = re.compile(r'action="(/wizard/runs/(\d+)/q/([\w-]+)/)"')
FINISH_URL = re.compile(r'action="(/wizard/runs/(\d+)/finish/)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
OPTION = re.compile(r'type="radio" name="option" id="[^"]*" value="([^"]+)"')
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


class RequestFailed(Exception):
    pass


@dataclass
class Answer:
    run_id: int
    node_id: str
    option_id: str


@dataclass
class Log:
    """What every client saw; appended to from many threads (list.append is atomic)."""

    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)
    finishes: list[int] = field(default_factory=list)
    errors: list[tuple[float, str]] = field(default_factory=list)


class Browser:
    """One user's cookies and CSRF token over plain HTTP: a new connection per request, so a
    killed server costs the request in flight and nothing more."""

    def __init__(self, port: int, session_key: str, log: Log, think: float = 0) -> None:
        self.port, self.log, self.think = port, log, think
        self.timed = True  # False while warming up: the request counts, its time does not
        self.cookies = {settings.SESSION_COOKIE_NAME: session_key}
        self.csrf_token = ""

    def request(self, method: str, path: str, body: dict | None = None, *, htmx=False):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.csrf_token
        if htmx:
            headers["HX-Request"] = "true"
        time.sleep(self.think)  # a person reads the page before the next click
        started = time.monotonic()
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_SECONDS
        )
        try:
            connection.request(method, path, urlencode(body or {}) or None, headers)
            response = connection.getresponse()
            text = response.read().decode()
        except (OSError, http.client.HTTPException) as error:
            raise RequestFailed(f"{method} {path}: {type(error).__name__}: {error}") from error
        finally:
            connection.close()
        elapsed = time.monotonic() - started
        if self.timed:
            self.log.latencies.append(elapsed)
            self.log.by_kind.setdefault(request_kind(method, path), []).append(elapsed)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if found := CSRF.search(text):
            self.csrf_token = found.group(1)
        return response.status, text, response


def request_kind(method: str, path: str) -> str:
    if path.endswith("/finish/"):
        return "finish (saves the decision)"
    if "/q/" in path:
        return "answer (htmx POST)" if method == "POST" else "question page"
    if path.endswith("/wizard/start/"):
        return "start or resume"
    if path.endswith("/review/"):
        return "review page (a resumed run at its end)"
    return "project page" if path.startswith("/projects/") else "other"


class WizardClient(threading.Thread):
    def __init__(self, browser: Browser, project_id: int, deadline: float, log: Log) -> None:
        super().__init__(daemon=True)
        self.browser, self.project_id, self.deadline, self.log = browser, project_id, deadline, log
        self.random = random.Random(project_id)

    def run(self) -> None:
        # The first run of each client is not timed: it meets workers that have not yet loaded
        # templates or laid out the flowchart, which a server does once, not per request.
        self.browser.timed = False
        while time.monotonic() < self.deadline:
            try:
                self.walk_one_run()
                self.browser.timed = True
            except RequestFailed as error:
                self.log.errors.append((time.monotonic(), str(error)))
                time.sleep(0.2)

    def walk_one_run(self) -> None:
        status, _, _ = self.browser.request("GET", f"/projects/{self.project_id}/")
        expect_status(200, status, "project page")
        # Starts a run, or resumes the one in progress after a lost request.
        status, _, response = self.browser.request(
            "POST", f"/projects/{self.project_id}/wizard/start/", {}
        )
        expect_status(302, status, "start")
        status, panel, _ = self.browser.request("GET", response.getheader("Location"))
        expect_status(200, status, "first question")
        while time.monotonic() < self.deadline:
            if finish := FINISH_URL.search(panel):
                status, _, response = self.browser.request("POST", finish.group(1), {}, htmx=True)
                expect_status(200, status, "finish")
                if not response.getheader("HX-Redirect"):
                    raise RequestFailed("finish did not redirect to the decision")
                self.log.finishes.append(int(finish.group(2)))
                return
            panel = self.answer(panel)

    def answer(self, panel: str) -> str:
        step = STEP_URL.search(panel)
        version = VERSION.search(panel)
        options = OPTION.findall(panel)
        if not (step and version and options):
            raise RequestFailed("a wizard panel without its question form")
        url, run_id, node_id = step.group(1), int(step.group(2)), step.group(3)
        option_id = self.random.choice(options)
        body = {"option": option_id, "note": "", "version": version.group(1)}
        status, next_panel, _ = self.browser.request("POST", url, body, htmx=True)
        expect_status(200, status, f"answer to {node_id}")
        self.log.answers.append(Answer(run_id, node_id, option_id))
        return next_panel


def expect_status(expected: int, status: int, what: str) -> None:
    if status != expected:
        raise RequestFailed(f"{what}: HTTP {status}, expected {expected}")


class Server:
    """gunicorn in a process group of its own, so SIGKILL takes master and workers at once."""

    def __init__(self, database_url: str, port: int, log_path: Path, secret_key: str) -> None:
        self.port, self.log_path = port, log_path
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        """Starts gunicorn; returns when /healthz answers 200 (the monotonic time then)."""
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "decisions.wsgi",
            f"--bind=127.0.0.1:{self.port}",
            "--workers=2",
            "--threads=8",
            "--worker-class=gthread",
            f"--timeout={REQUEST_TIMEOUT_SECONDS}",
        ]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self.wait_until_healthy()

    def wait_until_healthy(self, within: float = 60) -> float:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; its log is {self.log_path}")
            try:
                probe = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    return time.monotonic()
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer /healthz within {within} s")

    def kill(self) -> float:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return time.monotonic()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@dataclass
class RaceResult:
    what: str
    outcome: str
    passed: bool


@dataclass
class LiveReport:
    options: LiveOptions
    log: Log
    lost_answers: list[Answer]
    lost_finishes: list[int]
    failures_outside_restart: list[tuple[float, str]]
    restart: tuple[float, float] | None
    races: list[RaceResult]

    @property
    def passed(self) -> bool:
        return (
            not self.lost_answers
            and not self.lost_finishes
            and not self.failures_outside_restart
            and bool(self.log.answers)
            and all(race.passed for race in self.races)
        )

    def failure(self) -> str:
        problems = [f"{len(self.lost_answers)} acknowledged answers lost"] * bool(self.lost_answers)
        problems += [f"{len(self.lost_finishes)} acknowledged finishes lost"] * bool(
            self.lost_finishes
        )
        problems += [
            f"request failed outside the restart window: {what}"
            for _, what in self.failures_outside_restart[:5]
        ]
        problems += [f"{race.what}: {race.outcome}" for race in self.races if not race.passed]
        if not self.log.answers:
            problems.append("no answer was acknowledged at all")
        return "; ".join(problems)

    def markdown(self) -> str:
        latencies = self.log.latencies or [0.0]
        restart = (
            f"killed with SIGKILL, answering again {self.restart[1] - self.restart[0]:.1f} s later"
            if self.restart
            else "not killed"
        )
        rows = [
            ("concurrent clients", str(self.options.clients)),
            ("pause before each request", f"{self.options.think:g} s"),
            ("duration", f"{self.options.seconds:.0f} s"),
            ("requests timed (after each client's first run)", f"{len(self.log.latencies):,}"),
            ("throughput", f"{len(self.log.latencies) / self.options.seconds:.1f} requests/s"),
            ("request p95, all", f"{percentile(latencies, 95) * 1000:.1f} ms"),
            ("answers acknowledged", f"{len(self.log.answers):,}"),
            ("runs finished", f"{len(self.log.finishes):,}"),
            ("server", restart),
            ("failed requests, all", str(len(self.log.errors))),
            ("failed requests outside the restart", str(len(self.failures_outside_restart))),
            ("acknowledged answers lost", str(len(self.lost_answers))),
            ("acknowledged finishes lost", str(len(self.lost_finishes))),
        ]
        rows[6:6] = [
            (f"p95, {kind}", f"{percentile(times, 95) * 1000:.1f} ms ({len(times):,} requests)")
            for kind, times in sorted(self.log.by_kind.items())
        ]
        rows += [(race.what, race.outcome) for race in self.races]
        lines = ["| live run | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows]
        verdict = "PASSED" if self.passed else f"FAILED: {self.failure()}"
        return "\n".join(lines) + f"\n\n{verdict}\n"


@dataclass(frozen=True)
class LiveOptions:
    clients: int
    seconds: float
    kill_after: float | None = None
    think: float = 0.0  # seconds each client waits before each request
    port: int | None = None  # gunicorn's port; any free one when None


def run_live(*, size, options: LiveOptions, out) -> LiveReport:
    data = bench_data.build(size, clients=options.clients)
    projects = data_client_projects(options.clients)
    port = options.port or free_port()
    folder = Path(tempfile.mkdtemp(prefix="bench-live-"))
    secret_key = secrets.token_urlsafe(50)
    server = Server(database_url(), port, folder / "gunicorn.log", secret_key)
    # Sessions made here are signed as the server will check them.
    with override_settings(SECRET_KEY=secret_key):
        return drive(server, data, projects, options, out)


def drive(server, data, projects, options: LiveOptions, out) -> LiveReport:
    port, log, restart = server.port, Log(), None
    clients, seconds, kill_after = options.clients, options.seconds, options.kill_after
    try:
        server.start()
        out.write(f"gunicorn on 127.0.0.1:{port}; {clients} clients for {seconds:.0f} s\n")
        started = time.monotonic()
        walkers = [
            WizardClient(
                Browser(port, session_for(user), log, options.think),
                project_id,
                started + seconds,
                log,
            )
            for user, project_id in projects
        ]
        for walker in walkers:
            walker.start()
        if kill_after is not None:
            time.sleep(kill_after)
            killed = server.kill()
            out.write(f"killed gunicorn (SIGKILL) after {kill_after:.0f} s\n")
            restart = (killed, server.start())
        for walker in walkers:
            walker.join(timeout=seconds + REQUEST_TIMEOUT_SECONDS + 30)
        races = [same_answer_race(port, data.lead), double_finish_race(port, data.lead)]
    finally:
        server.stop()
    connection.close()  # see what the server wrote, not a transaction's snapshot
    return LiveReport(
        options=options,
        log=log,
        lost_answers=lost_answers(log.answers),
        lost_finishes=[run_id for run_id in log.finishes if not finished(run_id)],
        failures_outside_restart=[
            (at, what) for at, what in log.errors if not within_restart(at, restart)
        ],
        restart=restart,
        races=races,
    )


def within_restart(at: float, restart: tuple[float, float] | None) -> bool:
    if restart is None:
        return False
    killed, answering = restart
    return killed - RESTART_GRACE_SECONDS <= at <= answering + RESTART_GRACE_SECONDS


def lost_answers(answers: list[Answer]) -> list[Answer]:
    runs = WizardRun.objects.in_bulk({answer.run_id for answer in answers})
    return [
        answer
        for answer in answers
        if answer.run_id not in runs
        or runs[answer.run_id].answers.get(answer.node_id, {}).get("option") != answer.option_id
    ]


def finished(run_id: int) -> bool:
    return Decision.objects.filter(run_id=run_id).exists()


def data_client_projects(clients: int) -> list[tuple[User, int]]:
    users = User.objects.filter(username__startswith="client").order_by("pk")[:clients]
    return [
        (user, Project.objects.filter(owner=user).order_by("pk").values_list("pk", flat=True)[0])
        for user in users
    ]


def session_for(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The throwaway database as DATABASE_URL, for gunicorn's processes."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    credentials = quote(database["USER"] or "")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"])
    host = f"{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{database['NAME']}"


# Races ---------------------------------------------------------------------------------------
def same_answer_race(port: int, lead: User) -> RaceResult:
    """Two tabs answer the same question of the same run at the same moment."""
    project = Project.objects.filter(owner=lead).order_by("pk")[5]  # no draft run of its own yet
    run = WizardRun.objects.create(project=project, created_by=lead)
    url = f"/wizard/runs/{run.pk}/q/symptom/"
    session, log = session_for(lead), Log()
    tabs = [Browser(port, session, log) for _ in range(2)]
    for tab in tabs:
        tab.request("GET", url)
    statuses = race(
        [
            lambda tab=tab, option=option: tab.request(
                "POST", url, {"option": option, "note": "", "version": run.version}, htmx=True
            )[0]
            for tab, option in zip(tabs, ("tone", "format"), strict=True)
        ]
    )
    saved = WizardRun.objects.get(pk=run.pk).answers.get("symptom", {}).get("option")
    winner = ("tone", "format")[statuses.index(200)] if 200 in statuses else None
    passed = sorted(statuses) == [200, 409] and saved == winner
    outcome = f"statuses {sorted(statuses)}, saved answer “{saved}” is the winner's"
    return RaceResult("two clients answer one run at once", outcome, passed)


def double_finish_race(port: int, lead: User) -> RaceResult:
    """A double click on Finish, or two teammates finishing the same run at once."""
    project = Project.objects.filter(owner=lead).order_by("pk")[6]
    run = bench_data.answered_run(project, lead)
    before = project.decisions.count()
    session, log = session_for(lead), Log()
    tabs = [Browser(port, session, log) for _ in range(2)]
    url = f"/wizard/runs/{run.pk}/finish/"
    for tab in tabs:
        tab.request("GET", f"/wizard/runs/{run.pk}/review/")
    statuses = race([lambda tab=tab: tab.request("POST", url, {}, htmx=True)[0] for tab in tabs])
    made = project.decisions.count() - before
    passed = made == 1 and Decision.objects.filter(run=run).count() == 1
    outcome = f"statuses {sorted(statuses)}, decisions made: {made}"
    return RaceResult("double finish", outcome, passed)


def race(actions) -> list[int]:
    """Runs the actions in threads released at the same instant; their results in order."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def go(index: int) -> None:
        barrier.wait()
        results[index] = actions[index]()

    threads = [threading.Thread(target=go, args=(index,)) for index in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


THROUGHPUT = re.compile(r"\| throughput \| ([\d.]+) requests/s \|")
MACHINE_DATABASE = re.compile(r"Machine: .*?, (sqlite|postgresql)\b")
# PostgreSQL, a server reached over a socket, may cost a little against SQLite in the same
# process; more than this is the price of a connection per request, which the pool removes.
POSTGRES_SHARE_TARGET = 0.9


def compare_throughput(tables: dict[str, str], other_output: str) -> str:
    """The two runs' throughputs, and whether PostgreSQL reached 90 % of SQLite's."""
    found = {vendor: THROUGHPUT.search(table) for vendor, table in tables.items()}
    vendor = MACHINE_DATABASE.search(other_output)
    if vendor:
        found[vendor.group(1)] = THROUGHPUT.search(other_output)
    rates = {name: float(match.group(1)) for name, match in found.items() if match}
    if set(rates) != {"sqlite", "postgresql"}:
        return f"Throughput to compare not found on both databases: {rates}"
    share = rates["postgresql"] / rates["sqlite"]
    met = "yes" if share >= POSTGRES_SHARE_TARGET else "**no**"
    return (
        "\n| target | measured | met |\n|---|---|---|\n"
        f"| PostgreSQL throughput ≥ {POSTGRES_SHARE_TARGET:.0%} of SQLite's "
        f"| {rates['postgresql']:.1f} vs {rates['sqlite']:.1f} requests/s = {share:.0%} "
        f"| {met} |"
    )
