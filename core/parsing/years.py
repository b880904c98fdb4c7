"""Years for dates written without one (`February 28`, `5 марта`): in order, ending by the upload date.

The whole column is observed first (direction of travel and how often it wraps past New Year);
rows are then given years as they stream, replaying the same walk.
"""

from __future__ import annotations

from datetime import date

from core.parsing.months import day_key, latest_year

HALF_YEAR = 183
# An ordered column may hold a few rows out of place; beyond this share it is unordered.
DISORDER = 0.1


def _step(prev: int | None, key: int) -> tuple[int, bool]:
    """Direction of travel from prev to key (+1, -1 or 0), and whether it crossed New Year."""
    if prev is None or key == prev:
        return 0, False
    delta = key - prev
    if 0 < delta <= HALF_YEAR or delta < -HALF_YEAR:
        return 1, delta < -HALF_YEAR
    return -1, delta > HALF_YEAR


class YearGuess:
    """Observes the month/day sequence of a column, then assigns years row by row."""

    def __init__(self, *, today: date):
        self.today = today
        self.seen, self.forward, self.backward = 0, 0, 0
        self.wraps = {1: 0, -1: 0}
        self.first: tuple[int, int] | None = None
        self.last: tuple[int, int] | None = None
        self._prev: int | None = None
        self.mode = "independent"
        self.start_year = today.year
        self.reset()

    def observe(self, month: int, day: int) -> None:
        key = day_key(month, day)
        direction, wrapped = _step(self._prev, key)
        self._prev = key
        self.seen += 1
        self.first = self.first or (month, day)
        self.last = (month, day)
        if direction:
            self.forward += direction > 0
            self.backward += direction < 0
            self.wraps[direction] += wrapped

    def decide(self) -> None:
        """Ascending, descending or unordered; the year of the first row follows from the last."""
        moves = self.forward + self.backward
        if self.seen < 2 or moves == 0:
            self.mode = "independent"
        elif self.backward <= moves * DISORDER:
            self.mode = "ascending"
            last_year = latest_year(*self.last, not_after=self.today)
            self.start_year = last_year - self.wraps[1]
        elif self.forward <= moves * DISORDER:
            self.mode = "descending"
            self.start_year = latest_year(*self.first, not_after=self.today)
        else:
            self.mode = "independent"
        self.reset()

    def describe(self) -> str:
        if self.mode == "independent":
            return f"each the latest year up to {self.today.isoformat()}"
        return f"{self.mode}, ending by {self.today.isoformat()}"

    def reset(self) -> None:
        """Start the walk again (before streaming rows)."""
        self._walk_prev: int | None = None
        self._walk_wraps = 0

    def year(self, month: int, day: int) -> int:
        """The year of the next cell in file order."""
        if self.mode == "independent":
            return latest_year(month, day, not_after=self.today)
        key = day_key(month, day)
        direction, wrapped = _step(self._walk_prev, key)
        self._walk_prev = key
        if wrapped and direction == (1 if self.mode == "ascending" else -1):
            self._walk_wraps += 1
        sign = 1 if self.mode == "ascending" else -1
        return self.start_year + sign * self._walk_wraps
