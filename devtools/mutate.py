"""A small mutation run: make one known mistake at a time in the code, run the tests that
should catch it, and count how many they did (`make mutate`, `--only review` for one area).

No mutation library: each mutation is written out in devtools/mutations.py, with the exact
text it changes, so it reads as the mistake a reviewer fears and runs only the tests named for
it. A `find` text that is missing or found twice stops the run before anything is changed: a
refactor must not make a mutation quietly test nothing.

The working tree is changed one file at a time and always put back: in memory, in a backup
file beside it (`<file>.mutate-backup`, restored by the next run should this one be killed
outright) and with its modification time, so no bytecode of a mutant outlives it.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from devtools.mutations import MUTATIONS, Mutation

ROOT = Path(__file__).resolve().parent.parent
BACKUP_SUFFIX = ".mutate-backup"
PASSING_SHARE = 0.90
PYTEST = (sys.executable, "-m", "pytest", "-x", "-q", "-m", "not e2e", "-p", "no:cacheprovider")


class MutationError(Exception):
    """A mutation that cannot be applied as written."""


def check(mutations: list[Mutation]) -> None:
    """Every mutation's text occurs exactly once in its file, and the ids are unique."""
    problems = []
    seen: set[str] = set()
    for mutation in mutations:
        if mutation.id in seen:
            problems.append(f"{mutation.id}: the id is used twice")
        seen.add(mutation.id)
        path = ROOT / mutation.file
        if not path.exists():
            problems.append(f"{mutation.id}: {mutation.file} does not exist")
            continue
        count = path.read_text().count(mutation.find)
        if count != 1:
            where = "is not in" if count == 0 else f"occurs {count} times in"
            problems.append(f"{mutation.id}: its find text {where} {mutation.file}")
        if mutation.find == mutation.replace:
            problems.append(f"{mutation.id}: the replacement changes nothing")
        for test in mutation.tests:
            if not (ROOT / test.split("::")[0]).exists():
                problems.append(f"{mutation.id}: no test file {test}")
    if problems:
        raise MutationError("\n".join(problems))


def restore_leftovers() -> None:
    """Puts back files a killed run left mutated."""
    for backup in ROOT.glob(f"decisions/**/*{BACKUP_SUFFIX}"):
        original = backup.with_name(backup.name.removesuffix(BACKUP_SUFFIX))
        print(f"mutate: restoring {original.relative_to(ROOT)} from a run that was killed")
        stat = backup.stat()
        original.write_bytes(backup.read_bytes())
        os.utime(original, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        backup.unlink()


def run_one(mutation: Mutation) -> tuple[bool, float]:
    """(killed, seconds): applies the mutation, runs its tests, puts the file back."""
    path = ROOT / mutation.file
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    original = path.read_bytes()
    stat = path.stat()
    text = original.decode()
    if text.count(mutation.find) != 1:
        raise MutationError(f"{mutation.id}: its find text is no longer unique in {mutation.file}")
    backup.write_bytes(original)
    os.utime(backup, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    started = time.monotonic()
    try:
        path.write_text(text.replace(mutation.find, mutation.replace))
        command = [*PYTEST, *mutation.tests]
        if mutation.k:
            command += ["-k", mutation.k]
        # No bytecode for a mutant: a .pyc of it could outlive the restore.
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        backup.unlink()
    if result.returncode == 5:  # pytest collected nothing: the test names are wrong
        raise MutationError(f"{mutation.id}: no test selected by {mutation.tests} -k {mutation.k}")
    if result.returncode not in (0, 1):
        # An import or syntax error also fails the tests, but says nothing about them.
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise MutationError(f"{mutation.id}: pytest stopped with code {result.returncode}\n{tail}")
    return result.returncode == 1, time.monotonic() - started


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def selected(only: list[str]) -> list[Mutation]:
    if not only:
        return list(MUTATIONS)
    chosen = [m for m in MUTATIONS if m.area in only or m.id in only]
    if not chosen:
        areas = sorted({m.area for m in MUTATIONS})
        raise MutationError(f"no mutation matches {only}; the areas are {', '.join(areas)}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.mutate", description=__doc__)
    parser.add_argument(
        "--only", action="append", default=[], help="an area or a mutation id (repeatable)"
    )
    parser.add_argument(
        "--check", action="store_true", help="only check that every mutation applies"
    )
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    args = parser.parse_args(argv)
    # A terminated run unwinds like Ctrl-C, so the mutated file is put back.
    signal.signal(signal.SIGTERM, _interrupt)
    restore_leftovers()
    try:
        check(MUTATIONS)
        mutations = selected(args.only)
    except MutationError as error:
        print(f"mutate: cannot run:\n{error}", file=sys.stderr)
        return 2
    if args.list or args.check:
        for mutation in mutations:
            print(f"{mutation.id:<38} {mutation.area:<9} {mutation.description}")
        print(f"mutate: {len(mutations)} mutations apply")
        return 0
    killed, survived, started = 0, [], time.monotonic()
    for mutation in mutations:
        try:
            was_killed, seconds = run_one(mutation)
        except MutationError as error:
            print(f"mutate: cannot run:\n{error}", file=sys.stderr)
            return 2
        killed += was_killed
        if not was_killed:
            survived.append(mutation)
        verdict = "killed  " if was_killed else "SURVIVED"
        print(f"{verdict} {mutation.id:<38} {seconds:5.1f}s  {mutation.description}", flush=True)
    share = killed / len(mutations)
    minutes = (time.monotonic() - started) / 60
    total = len(mutations)
    print(f"mutate: {killed} killed of {total} ({share * 100:.1f} %) in {minutes:.1f} min")
    for mutation in survived:
        print(f"  survived: {mutation.id} ({mutation.file}); tests: {' '.join(mutation.tests)}")
    return 0 if share >= PASSING_SHARE else 1


if __name__ == "__main__":
    sys.exit(main())
