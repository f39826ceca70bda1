"""Demo data: three projects that read like real cases. Loaded by `manage.py load_demo`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from decisions.accounts.models import Membership, Role, Team
from decisions.accounts.services import user_signup
from decisions.evidence.models import FailedExample
from decisions.projects.models import Project

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "fresh-paint-2026"
DEMO_TEAM = "Demo product team"

ALL = ["instructions", "role", "examples", "structure", "context"]

PROJECTS = [
    {
        "name": "Sales email drafting assistant",
        "use_case": "task",
        "model_in_use": "GPT-4o mini",
        "description": (
            "Drafts follow-up emails for account executives from their call notes. Reps say "
            "the drafts sound robotic and often need rewriting before they can be sent."
        ),
        "examples": [
            (
                "Follow-up reads like a press release",
                "tone",
                ["instructions"],
                2,
                "high",
                "Call notes: Dana at Brightline liked the analytics demo, worried about rollout time.",
                "Dear Valued Customer, We are thrilled to announce our industry-leading solution...",
                "Hi Dana, thanks for the time today. You mentioned rollout time: here is how...",
            ),
            (
                "Too formal for a warm lead",
                "tone",
                ["instructions"],
                3,
                "medium",
                "Notes: second call with Sam, friendly, already on first-name terms.",
                "Dear Mr. Ortiz, Pursuant to our recent conversation, please find enclosed...",
                "Hi Sam, great chatting again. As promised, the pricing sheet is attached.",
            ),
            (
                "Exclamation marks everywhere",
                "tone",
                [],
                1,
                "low",
                "Notes: prospect asked for a security questionnaire.",
                "Great news!!! We would LOVE to help with your questionnaire!!!",
                "Happy to help with the security questionnaire: I've attached our answers.",
            ),
            (
                "Apologises for things that did not happen",
                "tone",
                ["instructions", "role"],
                4,
                "medium",
                "Notes: customer renewed, asked about new seats.",
                "We sincerely apologise for any inconvenience our product may have caused...",
                "Thanks for renewing! Adding seats takes two minutes: here's how.",
            ),
            (
                "Email is 600 words long",
                "format",
                ["instructions"],
                2,
                "high",
                "Notes: quick check-in, confirm Thursday meeting.",
                "(a 600-word email covering company history, features and three case studies)",
                "Hi Lee, confirming Thursday at 2pm. Talk then!",
            ),
            (
                "No subject line",
                "format",
                [],
                0,
                "medium",
                "Notes: send recap of the pricing discussion.",
                "Hi Priya, here is the recap of what we discussed...",
                "Subject: Pricing recap from today\n\nHi Priya, here is the recap...",
            ),
            (
                "Bullet list pasted as one paragraph",
                "format",
                ["instructions"],
                1,
                "low",
                "Notes: list the three next steps agreed on the call.",
                "Next steps are first we send the contract then legal reviews then we schedule...",
                "Next steps:\n- We send the contract\n- Your legal team reviews\n- We book kickoff",
            ),
            (
                "Opens with 'I hope this email finds you well'",
                "tone",
                ["instructions"],
                2,
                "low",
                "Notes: quick check-in with Lee after the pilot's first week.",
                "I hope this email finds you well. I am writing to follow up regarding...",
                "Hi Lee, one week into the pilot: how are the first reports looking?",
            ),
            (
                "Sounds like a contract, not a rep",
                "tone",
                ["instructions", "role"],
                3,
                "medium",
                "Notes: Maya wants to add two seats; asked what it costs.",
                "Per the terms of the aforementioned agreement, additional seats shall be...",
                "Hi Maya, two more seats are $40 a month each; I can add them today.",
            ),
            (
                "Thanks the prospect three times",
                "tone",
                ["examples"],
                2,
                "low",
                "Notes: Omar sent the signed order form.",
                "Thank you so much! Thank you for your trust! We thank you for choosing us!",
                "Thanks, Omar: the order form is in. Kickoff invite coming this afternoon.",
            ),
            (
                "Pushes a discount nobody asked for",
                "tone",
                ["instructions"],
                3,
                "medium",
                "Notes: renewal call with Ana went well; no pricing concerns raised.",
                "ACT NOW: renew today and save 20%! This offer will not last!",
                "Hi Ana, great call. I'll send the renewal paperwork for your signature.",
            ),
        ],
    },
    {
        "name": "Customer support bot: returns and refunds",
        "use_case": "knowledge",
        "model_in_use": "Llama 3.1 8B Instruct",
        "description": (
            "Answers shoppers' questions in the help-centre chat. It confidently states return "
            "windows and refund rules that are not our policy."
        ),
        "examples": [
            (
                "Invents a 60-day return window",
                "facts",
                ["instructions", "role"],
                3,
                "high",
                "Customer: Can I still return shoes I bought 5 weeks ago?",
                "Yes! You have 60 days to return any item, no questions asked.",
                "Our window is 30 days for shoes, so this order is outside it; store credit may apply.",
            ),
            (
                "Promises free return shipping",
                "facts",
                ["instructions"],
                2,
                "high",
                "Customer: Do I pay for return shipping?",
                "Return shipping is always free for every customer.",
                "Return shipping is free for members; others pay a $5.95 label fee.",
            ),
            (
                "Wrong refund timeline",
                "facts",
                ["role"],
                1,
                "medium",
                "Customer: When will I get my refund?",
                "Refunds are instant once you request them.",
                "Refunds reach your card 5-7 business days after the warehouse receives the item.",
            ),
            (
                "Makes up a restocking fee",
                "facts",
                [],
                0,
                "medium",
                "Customer: Is there a fee for returning electronics?",
                "Yes, electronics carry a 25% restocking fee.",
                "No restocking fee, provided the item is unopened.",
            ),
            (
                "Says sale items cannot be returned",
                "facts",
                ["instructions"],
                2,
                "high",
                "Customer: I bought this jacket on sale, can I return it?",
                "Sorry, sale items are final sale and cannot be returned.",
                "Sale items can be returned within 14 days for store credit.",
            ),
            (
                "Offers a discount it is not allowed to give",
                "behavior",
                ["instructions"],
                1,
                "high",
                "Customer: This is the third late delivery, I'm furious.",
                "I'm so sorry! Here is a 50% discount code: SORRY50.",
                "Apologise, explain the escalation path, and hand over to a human agent.",
            ),
        ],
    },
    {
        "name": "Contract review: clause risk flags",
        "use_case": "legal",
        "model_in_use": "GPT-4o",
        "description": (
            "Flags risky clauses in supplier contracts for the legal team. The same clause gets "
            "different risk ratings from one run to the next, and our house definitions of "
            "'material breach' and 'indemnity cap' are ignored."
        ),
        "examples": [
            (
                "Indemnity cap rated low, then high",
                "domain",
                ALL,
                18,
                "high",
                "Clause 9.2: Supplier's aggregate liability shall not exceed fees paid in 12 months.",
                "Risk: low. Standard clause. (Next run: Risk: high, unlimited liability.)",
                "Risk: medium. Cap at 12 months' fees is below our 24-month house standard.",
            ),
            (
                "Misreads 'material breach' under our playbook",
                "domain",
                ALL,
                20,
                "high",
                "Clause 14.1: Either party may terminate for material breach uncured in 30 days.",
                "No issue found.",
                "Flag: playbook requires a 15-day cure period for data-protection breaches.",
            ),
            (
                "Confuses governing law with jurisdiction",
                "domain",
                ALL,
                16,
                "medium",
                "Clause 21: This agreement is governed by the laws of Delaware; courts of New York.",
                "Governing law: New York.",
                "Governing law Delaware; exclusive jurisdiction New York: flag the split.",
            ),
            (
                "Misses auto-renewal notice period",
                "domain",
                ["instructions", "examples", "context"],
                12,
                "high",
                "Clause 3.4: Renews for successive 1-year terms unless notice 90 days prior.",
                "Term: one year.",
                "Flag: auto-renewal with 90-day notice; playbook maximum is 60 days.",
            ),
            (
                "Inconsistent severity labels",
                "domain",
                ALL,
                15,
                "medium",
                "Clause 11: Supplier may subcontract without consent.",
                "Severity: Amber-ish / moderate-high",
                "Severity: High (one of Low, Medium, High).",
            ),
            (
                "Treats a mutual NDA clause as one-sided",
                "domain",
                ALL,
                17,
                "medium",
                "Clause 8: Each party shall keep the other's Confidential Information secret.",
                "Risk: one-sided confidentiality in favour of supplier.",
                "Mutual confidentiality: no flag.",
            ),
            (
                "Summary table columns in random order",
                "format",
                ["structure", "instructions"],
                4,
                "low",
                "Review the whole contract and return the summary table.",
                "| Risk | Clause | Page | ... (column order changes every run)",
                "| Clause | Topic | Risk | Playbook reference | Suggested redline |",
            ),
            (
                "Cites a statute that does not exist",
                "facts",
                ["context"],
                3,
                "high",
                "Clause 17: Data processing terms.",
                "Non-compliant with the Digital Contracts Act 2019, section 4(b).",
                "Check against GDPR Art. 28 processor terms; no such statute exists.",
            ),
        ],
    },
]


@transaction.atomic
def load_demo() -> tuple[object, int]:
    """Create the demo user, team and projects; a second call creates nothing."""
    User = get_user_model()
    user = User.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        user = user_signup(username=DEMO_USERNAME, email="demo@example.com", password=DEMO_PASSWORD)
    team = Team.objects.filter(name=DEMO_TEAM, memberships__user=user).first()
    if team is None:
        team = Team.objects.create(name=DEMO_TEAM)
        Membership.objects.create(team=team, user=user, role=Role.OWNER)
    created = 0
    for spec in PROJECTS:
        if Project.objects.filter(team=team, name=spec["name"]).exists():
            continue
        project = Project.objects.create(
            team=team,
            owner=user,
            name=spec["name"],
            use_case=spec["use_case"],
            model_in_use=spec["model_in_use"],
            description=spec["description"],
        )
        FailedExample.objects.bulk_create(
            FailedExample(
                project=project,
                created_by=user,
                title=title,
                failure_type=failure_type,
                techniques_tried=techniques,
                iterations=iterations,
                severity=severity,
                input_text=input_text,
                bad_output=bad_output,
                expected_output=expected_output,
            )
            for (
                title,
                failure_type,
                techniques,
                iterations,
                severity,
                input_text,
                bad_output,
                expected_output,
            ) in spec["examples"]
        )
        created += 1
    return user, created
