from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from decisions.records.mentions import render_mentions

register = template.Library()


@register.filter
def mentions(body: str, usernames: dict[str, str] | None) -> SafeString:
    """{{ comment.body|mentions:mention_names }}: escaped, with members' @names marked."""
    return render_mentions(body, usernames or {})
