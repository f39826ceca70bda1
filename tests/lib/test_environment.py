"""Settings read from the environment: a mistyped value stops start-up and names itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from decisions.lib.environment import env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("yes", True), ("on", True),
     ("false", False), ("0", False), ("no", False), ("Off", False), (" false ", False)],
)  # fmt: skip
def test_boolean_words_are_read(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not expected) is expected


@pytest.mark.parametrize("default", [True, False])
def test_an_unset_or_empty_boolean_takes_its_default(monkeypatch, default):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert env_bool("SOME_FLAG", default) is default
    monkeypatch.setenv("SOME_FLAG", "")
    assert env_bool("SOME_FLAG", default) is default


@pytest.mark.parametrize("raw", ["ture", "flase", "2", "enabled"])
def test_a_word_that_is_not_a_boolean_is_refused_by_name(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match=f"SOME_FLAG is '{raw}', which is neither"):
        env_bool("SOME_FLAG", False)


def test_a_number_below_its_minimum_or_not_a_number_is_refused(monkeypatch):
    monkeypatch.setenv("SOME_COUNT", "-1")
    with pytest.raises(ImproperlyConfigured, match="SOME_COUNT is '-1': it must be a whole"):
        env_int("SOME_COUNT", 0)
    monkeypatch.setenv("SOME_COUNT", "two")
    with pytest.raises(ImproperlyConfigured, match="SOME_COUNT is 'two'"):
        env_int("SOME_COUNT", 0)
    monkeypatch.setenv("SOME_COUNT", "0")
    assert env_int("SOME_COUNT", 5) == 0


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", *env}}
    environment.update(env, DJANGO_SETTINGS_MODULE="decisions.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_start_up_stops_on_a_mistyped_debug_and_names_it():
    started = run_python("import django; django.setup()", DEBUG="ture")
    assert started.returncode != 0
    assert "The environment variable DEBUG is 'ture', which is neither true nor false" in (
        started.stderr
    )


PROXY_HEADER = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"


def test_forwarded_proto_is_trusted_only_behind_a_trusted_proxy():
    alone = run_python(PROXY_HEADER, TRUSTED_PROXY_COUNT="0")
    behind = run_python(PROXY_HEADER, TRUSTED_PROXY_COUNT="1")
    assert alone.stdout.strip() == "None"
    assert behind.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
