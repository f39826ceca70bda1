"""An owner sets the team's review: emily asked by default, two acceptances needed. The next
proposal offers emily already chosen."""

from __future__ import annotations

from playwright.sync_api import expect

from decisions.accounts.models import Team
from tests.e2e.test_requested_review_flow import DESKTOP, shoot
from tests.e2e.test_review_flow import logged_in_page
from tests.reports.conftest import save_decision


def test_an_owner_sets_default_reviewers_and_acceptances(
    chromium_browser, live_server, alice, emily, bob, team, project
):
    owner = logged_in_page(chromium_browser, live_server.url, "alice")
    owner.set_viewport_size(DESKTOP)
    owner.goto(f"/accounts/teams/{team.pk}/")
    card = owner.locator("#review-settings")
    # Editors and owners only: bob, a viewer, is not offered.
    expect(card.locator("#id_default_reviewers option")).to_have_text(["alice", "emily"])
    card.locator("#id_default_reviewers").select_option(label="emily")
    card.locator("#id_required_acceptances").fill("2")
    card.get_by_role("button", name="Save review settings").click()
    expect(owner.locator(".alert-success")).to_contain_text("Review settings saved.")
    expect(owner.locator("#id_required_acceptances")).to_have_value("2")
    shoot(owner, "review-settings", owner.locator("#review-settings"))
    assert Team.objects.get(pk=team.pk).required_acceptances == 2

    decision = save_decision(project, alice, "prompt")
    owner.goto(f"/projects/{project.pk}/decisions/{decision.revision}/")
    expect(owner.locator("#review-requested option:checked")).to_have_text(["emily"])
    expect(owner.locator("#review .review-count")).to_have_text("0 of 2 acceptances")
    owner.context.close()
