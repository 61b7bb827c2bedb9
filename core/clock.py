"""Time comes from a clock object passed in, so tests and "state at 07:00" need no monkeypatching."""

from __future__ import annotations

from datetime import datetime, timezone


def utc(dt: datetime) -> datetime:
    """The same instant in UTC (D8: durations are elapsed minutes between UTC instants)."""
    if dt.tzinfo is None:
        raise ValueError(f"{dt.isoformat()} has no UTC offset")
    return dt.astimezone(timezone.utc)


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Now, as an aware UTC datetime."""
        return datetime.now(timezone.utc)


class FixedClock:
    """A clock that says what it is told; tests advance it by hand."""

    def __init__(self, now: datetime):
        self._now = utc(now)

    def now(self) -> datetime:
        """The set time."""
        return self._now

    def set(self, now: datetime) -> None:
        """Move the clock to another instant."""
        self._now = utc(now)
