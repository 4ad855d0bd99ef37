"""A check's time budget: one deadline for a whole request, handed down to every part that may take long.

The editor checks a draft on every change, and a browser that drops a stale request (hx-sync) does not stop the
server computing it: no check may run longer than its budget. A part that finds the deadline passed stops
(`CutShort`), and the report says which part was not checked — an unchecked rule is never a "no finding".
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["CHECK_SECONDS", "CutShort", "Deadline"]

CHECK_SECONDS = 2.0  # a keystroke's check answers within this, whatever the schedule


class CutShort(Exception):
    """The deadline passed while `part` was being checked."""

    def __init__(self, part: str):
        super().__init__(part)
        self.part = part


class Deadline:
    """`seconds` from now on `clock` (time.monotonic); None never expires. Tests inject a tiny budget or a
    clock of their own, so no test waits or times anything."""

    def __init__(self, seconds: float | None = CHECK_SECONDS, *, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._until = None if seconds is None else clock() + seconds

    @classmethod
    def unlimited(cls) -> Deadline:
        return cls(None)

    @property
    def expired(self) -> bool:
        return self._until is not None and self._clock() >= self._until

    def check(self, part: str) -> None:
        """Raise CutShort(part) when the deadline has passed."""
        if self.expired:
            raise CutShort(part)

    def words(self) -> str:
        """The budget as the report says it ("2 s")."""
        if self.seconds is None:
            return "no limit"
        return f"{self.seconds:g} s"
