"""The mutation runner refuses a mutation that would test nothing, and puts back a file a
killed run left mutated."""

from __future__ import annotations

import pytest

from devtools import mutate
from devtools.mutations import Mutation


@pytest.fixture
def root(tmp_path, monkeypatch):
    (tmp_path / "decisions").mkdir()
    (tmp_path / "decisions" / "rules.py").write_text("LIMIT = 10\nif n > LIMIT:\n    pass\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_rules.py").write_text("")
    monkeypatch.setattr(mutate, "ROOT", tmp_path)
    return tmp_path


def mutation(find: str, file: str = "decisions/rules.py", id: str = "m1") -> Mutation:
    return Mutation(id, "area", file, find, "X", "a mistake", ("tests/test_rules.py",))


def test_a_find_text_found_once_applies(root):
    mutate.check([mutation("LIMIT = 10")])


@pytest.mark.parametrize(
    ("find", "problem"),
    [
        ("LIMIT = 11", "m1: its find text is not in decisions/rules.py"),
        ("LIMIT", "m1: its find text occurs 2 times in decisions/rules.py"),
    ],
)
def test_a_missing_or_ambiguous_find_text_stops_the_run_naming_the_mutation(root, find, problem):
    with pytest.raises(mutate.MutationError) as refused:
        mutate.check([mutation(find)])
    assert str(refused.value) == problem


def test_an_id_used_twice_and_a_missing_file_are_refused(root):
    with pytest.raises(mutate.MutationError) as refused:
        mutate.check([mutation("LIMIT = 10"), mutation("n > LIMIT", file="decisions/gone.py")])
    assert str(refused.value) == ("m1: the id is used twice\nm1: decisions/gone.py does not exist")


def test_a_file_left_mutated_by_a_killed_run_is_restored(root, capsys):
    rules = root / "decisions" / "rules.py"
    backup = root / "decisions" / "rules.py.mutate-backup"
    backup.write_text(rules.read_text())
    rules.write_text("LIMIT = 99\n")
    mutate.restore_leftovers()
    assert rules.read_text() == "LIMIT = 10\nif n > LIMIT:\n    pass\n"
    assert not backup.exists()
    assert "restoring decisions/rules.py" in capsys.readouterr().out
