"""Today's date, in one place: dated rules (vendor deadlines) read it through here, so a test
can move the day for every page at once."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()
