"""A worker killed mid-import: its lease runs out, the import is marked failed ("the worker
stopped") instead of polling forever, it can be run again, every row is saved exactly once,
and /healthz reports it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from decisions.evidence import services
from decisions.evidence.imports import run
from decisions.evidence.models import ExampleImport, ImportStatus
from tests.evidence.test_import import run_import, upload

ROWS = 40


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def queued(logged_in, project) -> ExampleImport:
    """An import of ROWS rows, queued for the worker as `import_start` leaves it."""
    rows = "".join(f"Question {n},Wrong {n},Right {n}\n" for n in range(ROWS))
    upload(logged_in, project, "large.csv", ("input,output,expected\n" + rows).encode())
    example_import = ExampleImport.objects.get()
    ExampleImport.objects.filter(pk=example_import.pk).update(status=ImportStatus.QUEUED)
    return example_import


def lease_runs_out(example_import: ExampleImport) -> None:
    """Time passes with nobody renewing the lease."""
    ExampleImport.objects.filter(pk=example_import.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )


def status_page(client, example_import) -> str:
    url = f"/projects/{example_import.project_id}/imports/{example_import.pk}/"
    return client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_a_killed_worker_leaves_an_import_that_fails_and_runs_again_saving_each_row_once(
    logged_in, project, queued
):
    attempt = run.import_claim(example_import_id=queued.pk)
    run.import_heartbeat(example_import=queued, attempt=attempt, rows_checked=20)
    # The worker is killed here: nothing renews the lease any more.
    html = status_page(logged_in, queued)
    assert "Checking rows: 20 of 40" in html  # the lease still runs
    lease_runs_out(queued)

    html = status_page(logged_in, queued)
    assert "Nothing was imported: the worker stopped." in html
    assert "Nothing was saved: the worker stopped before the import finished" in html
    assert 'hx-trigger="every 1s"' not in html  # the page stops polling
    queued.refresh_from_db()
    assert (queued.status, queued.worker_stopped) == (ImportStatus.FAILED, True)

    logged_in.post(f"/projects/{project.pk}/imports/{queued.pk}/", {"reopen": "1"})
    queued.refresh_from_db()
    assert (queued.status, queued.worker_stopped) == (ImportStatus.PREVIEW, False)
    response = run_import(logged_in, project, queued)
    assert response.status_code == 302
    queued.refresh_from_db()
    assert (queued.status, queued.imported_count, queued.attempt) == (ImportStatus.DONE, 40, 2)
    assert project.examples.count() == 40
    assert sorted(project.examples.values_list("input_text", flat=True))[:2] == [
        "Question 0",
        "Question 1",
    ]


def test_a_stalled_run_that_lost_its_lease_saves_nothing_when_it_wakes(logged_in, project, queued):
    stalled = run.import_claim(example_import_id=queued.pk)
    lease_runs_out(queued)
    assert run.imports_expire_leases() == 1
    logged_in.post(f"/projects/{project.pk}/imports/{queued.pk}/", {"reopen": "1"})
    run_import(logged_in, project, queued)
    assert project.examples.count() == 40

    # The first run was only paused (swapped out, a long GC): it wakes and carries on.
    with pytest.raises(run.LeaseLost):
        run.import_heartbeat(example_import=queued, attempt=stalled, rows_checked=40)
    with pytest.raises(run.LeaseLost):
        run._save_rows(queued, stalled, [{"input_text": "Late", "bad_output": "Late"}])
    assert project.examples.count() == 40


def test_a_worker_killed_while_saving_leaves_no_row(project, queued, monkeypatch):
    class Killed(BaseException):
        """What SIGKILL does to the transaction: it never commits."""

    def save_then_die(**kwargs):
        services.FailedExample.objects.bulk_create(
            [services.FailedExample(project=kwargs["project"], **v) for v in kwargs["rows"]]
        )
        raise Killed

    monkeypatch.setattr(run.services, "examples_import", save_then_die)
    with pytest.raises(Killed):
        run.import_run(example_import_id=queued.pk)
    assert project.examples.count() == 0
    queued.refresh_from_db()
    assert queued.status == ImportStatus.RUNNING  # until its lease runs out
    lease_runs_out(queued)
    assert run.imports_expire_leases() == 1
    queued.refresh_from_db()
    assert queued.status == ImportStatus.FAILED


def test_progress_renews_the_lease(queued, settings):
    settings.IMPORT_LEASE_SECONDS = 60
    attempt = run.import_claim(example_import_id=queued.pk)
    queued.refresh_from_db()
    assert queued.lease_expires_at < timezone.now() + timedelta(seconds=61)
    settings.IMPORT_LEASE_SECONDS = 600
    run.import_heartbeat(example_import=queued, attempt=attempt, rows_checked=30)
    queued.refresh_from_db()
    assert queued.rows_checked == 30
    assert queued.lease_expires_at > timezone.now() + timedelta(seconds=590)


def test_a_finished_run_lets_go_of_its_lease(queued):
    assert run.import_run(example_import_id=queued.pk) == ImportStatus.DONE
    queued.refresh_from_db()
    assert (queued.lease_expires_at, queued.attempt, queued.imported_count) == (None, 1, 40)


def test_a_live_lease_is_left_running(queued):
    run.import_claim(example_import_id=queued.pk)
    assert run.imports_expire_leases() == 0
    queued.refresh_from_db()
    assert queued.status == ImportStatus.RUNNING


def test_an_import_stuck_running_from_before_leases_is_recovered(queued):
    ExampleImport.objects.filter(pk=queued.pk).update(
        status=ImportStatus.RUNNING, lease_expires_at=None
    )
    assert run.imports_expire_leases() == 1
    queued.refresh_from_db()
    assert (queued.status, queued.worker_stopped) == (ImportStatus.FAILED, True)


def test_the_next_run_recovers_imports_a_stopped_worker_left(logged_in, project, queued):
    run.import_claim(example_import_id=queued.pk)
    lease_runs_out(queued)
    upload(logged_in, project, "other.csv", b"input,output\nq,a\n")
    other = ExampleImport.objects.get(filename="other.csv")
    ExampleImport.objects.filter(pk=other.pk).update(status=ImportStatus.QUEUED)
    assert run.import_run(example_import_id=other.pk) == ImportStatus.DONE
    queued.refresh_from_db()
    assert queued.status == ImportStatus.FAILED


# /healthz


@pytest.mark.django_db
def test_healthz_reports_an_import_whose_worker_stopped(client, queued):
    run.import_claim(example_import_id=queued.pk)
    lease_runs_out(queued)

    response = client.get("/healthz")

    assert response.status_code == 200  # the web process itself is fine
    body = response.json()
    assert body["status"] == "degraded"
    assert body["imports"] == {
        "ok": False,
        "running": 0,
        "worker_stopped_last_day": 1,
        "error": "1 import failed in the last day because the worker stopped (its lease ran "
        "out); nothing of them was saved and each can be run again. Is the worker "
        "(manage.py db_worker) being killed?",
    }
    queued.refresh_from_db()
    assert queued.status == ImportStatus.FAILED  # found by the probe, with nobody watching


@pytest.mark.django_db
def test_healthz_counts_a_running_import_with_a_live_lease_as_healthy(client, queued):
    run.import_claim(example_import_id=queued.pk)
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["imports"] == {"ok": True, "running": 1, "worker_stopped_last_day": 0}


@pytest.mark.parametrize(("hours_ago", "reported"), [(23, 1), (25, 0)])
def test_healthz_reports_stopped_imports_for_a_day(client, queued, hours_ago, reported):
    ExampleImport.objects.filter(pk=queued.pk).update(
        status=ImportStatus.FAILED,
        worker_stopped=True,
        finished_at=timezone.now() - timedelta(hours=hours_ago),
    )
    assert client.get("/healthz").json()["imports"]["worker_stopped_last_day"] == reported
