"""`make run` serves as production does: the Procfile's web command (gunicorn) with DEBUG off and
WhiteNoise's hashed static files, so a mistyped address shows the site's own 404 page, never
Django's technical page that lists every URL pattern; and it still works over plain http."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

BIN = Path(sys.executable).parent
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def procfile_command(name: str) -> str:
    for line in (settings.BASE_DIR / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            # The interpreter running the tests, wherever its virtual environment is.
            return line.split(":", 1)[1].strip().replace(".venv/bin/", f"{BIN}/")
    raise AssertionError(f"no {name} line in the Procfile")


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """The web process as `make run` starts it (its variables from the Makefile's RUN_ENV),
    on a database and static folder of its own."""
    folder = tmp_path_factory.mktemp("make-run")
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "STATIC_MANIFEST": "true",
        "STATIC_COMPRESS": "false",
        "SECRET_KEY": "a-key-of-this-test-only-" + "x" * 40,
        "STATIC_ROOT": str(folder / "static"),
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "HOST_PORT": f"127.0.0.1:{port}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert "RUN_ENV = DEBUG=false STATIC_MANIFEST=true STATIC_COMPRESS=false" in makefile
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        ["/bin/sh", "-c", procfile_command("web")],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "server.log", "wb"),  # noqa: SIM115 (closed with the process)
        start_new_session=True,
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, (folder / "server.log").read_text()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield port
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def get(port: int, path: str) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    headers = {name.lower(): value for name, value in response.getheaders()}
    cookies = response.headers.get_all("Set-Cookie") or []
    return response.status, {**headers, "set-cookie": cookies}, response.read().decode()


def test_procfile_serves_with_gunicorn():
    assert procfile_command("web").split("${WEB_COMMAND:-", 1)[1].startswith(f"{BIN}/gunicorn ")


def test_a_mistyped_address_gets_our_404_page(production_server):
    status, _, html = get(production_server, "/projetcs/")
    assert status == 404
    assert "This page is not here" in html
    assert 'href="/projects/">Go to your projects</a>' in html
    assert "URLconf" not in html and "DEBUG = True" not in html


def test_static_files_are_hashed_and_cached_for_good(production_server):
    _, _, html = get(production_server, "/accounts/login/")
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', html).group(1)
    status, headers, css = get(production_server, stylesheet)
    assert status == 200
    assert "immutable" in headers["cache-control"]
    assert ".htmx-indicator" in css


def test_cookies_work_over_plain_http(production_server):
    """A Secure cookie is never sent back over http://127.0.0.1: log-in would fail."""
    _, headers, _ = get(production_server, "/accounts/login/")
    csrf = [cookie for cookie in headers["set-cookie"] if cookie.startswith("csrftoken=")]
    assert len(csrf) == 1
    assert "; secure" not in csrf[0].lower()
