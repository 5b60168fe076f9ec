"""The one place services read the clock.

Every service that stamps or compares a time takes ``now: datetime | None = None`` and
passes it here: tests, the demo's season and replayed imports give their own moment, the
app gives none and gets the real time. Nothing else in ``qa_app.services`` calls
``datetime.now``, so a suite run with the clock moved (``QA_STUDIO_CLOCK_SHIFT_DAYS``)
finds any date a test forgot to pin.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now(now: datetime | None = None) -> datetime:
    """``now`` when the caller gives one (it must be aware), else the current UTC time."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("a naive datetime cannot be placed in time; give a time zone")
    return now
