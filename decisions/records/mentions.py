"""@name in a comment: who it reaches (members of the project's team, nobody else) and how the
page shows it (escaped text, the known names marked)."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Django's user names: letters, digits and @ . + - _. Not after a word character or a dot,
# so an e-mail address ("ann@example.com") mentions no one.
MENTION = re.compile(r"(?<![\w.@+-])@([\w][\w.@+-]*)")


def _names(body: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each @name; a trailing full stop ends a sentence, not a name."""
    found = []
    for match in MENTION.finditer(body):
        name = match.group(1).rstrip(".")
        found.append((match.start(), match.start(1) + len(name), name))
    return found


def mentioned_members(body: str, team_id: int) -> list:
    """The team's members named in `body` (case does not matter); unknown names are ignored."""
    wanted = {name.lower() for _, _, name in _names(body)}
    if not wanted:
        return []
    return list(
        get_user_model()
        .objects.alias(lowered=Lower("username"))
        .filter(lowered__in=wanted, memberships__team_id=team_id)
        .order_by("pk")
    )


def team_usernames(team) -> dict[str, str]:
    """Lower-cased user name → user name of every member: what render_mentions marks."""
    names = team.members.values_list("username", flat=True)
    return {name.lower(): name for name in names}


def render_mentions(body: str, usernames: dict[str, str]) -> SafeString:
    """The comment as escaped text, each @name of a member in a mention span."""
    parts, last = [], 0
    for start, end, name in _names(body):
        if name.lower() not in usernames:
            continue
        parts.append(escape(body[last:start]))
        parts.append(format_html('<span class="mention">@{}</span>', name))
        last = end
    parts.append(escape(body[last:]))
    return mark_safe("".join(parts))  # every piece above is escaped
