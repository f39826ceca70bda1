"""Review moves and comments at their limits: the row a move locks, which older revisions an
acceptance supersedes, the note and comment limits, and an empty comment."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models.sql.compiler import SQLCompiler

from decisions.accounts.models import Membership
from decisions.projects.models import Project
from decisions.records.models import Comment, Review, ReviewEvent
from decisions.records.review import comment_add, review_move
from tests.reports.conftest import save_decision


def move(decision, user, name, note=""):
    membership = Membership.objects.select_related("team").get(
        user=user, team_id=decision.project.team_id
    )
    return review_move(decision=decision, membership=membership, user=user, move=name, note=note)


def status(decision) -> str:
    return Review.objects.get(decision=decision).status


def test_a_move_locks_the_projects_row_then_the_revisions_review_row(project, alice, monkeypatch):
    # SQLite leaves FOR UPDATE out of its SQL, so the lock is shown where Django decides on
    # it: every query compiled with select_for_update set is recorded, with what it selects.
    decision = save_decision(project, alice, "prompt")
    save_decision(project, alice, "context")  # another review row, not to be locked
    locking = []
    original = SQLCompiler.as_sql

    def spy(self, *args, **kwargs):
        sql, params = original(self, *args, **kwargs)
        if self.query.select_for_update:
            locking.append((self.query.model, self.query.where.children[0].rhs))
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", spy)
    move(decision, alice, "propose")
    monkeypatch.undo()
    assert locking == [(Project, project.pk), (Review, decision.pk)]


def test_accepting_a_revision_leaves_older_rejected_and_draft_revisions_as_they_are(
    project, alice, emily
):
    rejected = save_decision(project, alice, "prompt")
    move(rejected, alice, "propose")
    move(rejected, emily, "reject")
    draft = save_decision(project, alice, "context")
    newest = save_decision(project, alice, "prompt")
    move(newest, alice, "propose")
    move(newest, emily, "accept")
    assert [status(d) for d in (rejected, draft, newest)] == ["rejected", "draft", "accepted"]
    assert Review.objects.filter(superseded_by__isnull=False).count() == 0
    assert ReviewEvent.objects.filter(to_status="superseded").count() == 0


def test_a_note_of_2000_characters_is_kept(project, alice):
    decision = save_decision(project, alice, "prompt")
    event = move(decision, alice, "propose", note="n" * 2_000)
    assert len(event.note) == 2_000
    assert status(decision) == "proposed"


def test_a_note_of_2001_characters_is_refused_and_the_move_not_made(project, alice):
    decision = save_decision(project, alice, "prompt")
    with pytest.raises(ValidationError, match="The note is 2,001 characters long; the limit is"):
        move(decision, alice, "propose", note="n" * 2_001)
    assert status(decision) == "draft"
    assert not ReviewEvent.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "\n\t"])
def test_an_empty_comment_is_refused(project, alice, bob, body):
    decision = save_decision(project, alice, "prompt")
    with pytest.raises(ValidationError, match="Write something to comment."):
        comment_add(decision=decision, user=bob, body=body)
    assert not Comment.objects.exists()


def test_a_comment_of_5000_characters_is_kept_and_one_more_is_refused(project, alice, bob):
    decision = save_decision(project, alice, "prompt")
    comment_add(decision=decision, user=bob, body="c" * 5_000)
    with pytest.raises(ValidationError, match="The comment is 5,001 characters long"):
        comment_add(decision=decision, user=bob, body="c" * 5_001)
    assert [len(body) for body in Comment.objects.values_list("body", flat=True)] == [5_000]
