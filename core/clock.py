"""Time comes from a clock object passed in, so tests and "state at 07:00" need no monkeypatching."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where "now" comes from: :class:`SystemClock` in the app, :class:`FixedClock` in tests and "state at 07:00"."""

    def now(self) -> datetime: ...


def utc(dt: datetime) -> datetime:
    """The same instant in UTC (D8: durations are elapsed minutes between UTC instants)."""
    if dt.tzinfo is None:
        raise ValueError(f"{dt.isoformat()} has no UTC offset")
    return dt.astimezone(UTC)


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Now, as an aware UTC datetime."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps (for "how long since": idle time, auto-lock); it ignores changes of
        the laptop's clock."""
        return time.monotonic()


class FixedClock:
    """A clock that says what it is told; tests advance it by hand."""

    def __init__(self, now: datetime):
        self._now = utc(now)
        self._monotonic = 0.0

    def now(self) -> datetime:
        """The set time."""
        return self._now

    def monotonic(self) -> float:
        """Seconds elapsed by this clock: moved forward by :meth:`set` to a later time and by :meth:`advance`; a set
        to an earlier time (the laptop clock put back) leaves it where it is, as the real monotonic clock does."""
        return self._monotonic

    def set(self, now: datetime) -> None:
        """Move the clock to another instant (the wall clock; a later instant also means that much time passed)."""
        now = utc(now)
        self._monotonic += max(0.0, (now - self._now).total_seconds())
        self._now = now

    def advance(self, delta: timedelta) -> None:
        """Time passes: the wall clock and the monotonic clock both move on by ``delta``."""
        self._now += delta
        self._monotonic += delta.total_seconds()
