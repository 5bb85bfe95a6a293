"""Working days and working hours for time limits.

China's public holidays and make-up working days (调休) come from ``chinese_calendar``;
the admin's overrides win over it. A year the library has no data for yet falls back to
Monday–Friday (plus overrides) so the service never stops; :meth:`WorkCalendar.unknown_years` lists such
years so ``/healthz`` and the admin pages can warn until the whole year's schedule is entered.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import chinese_calendar

DEFAULT_HOURS: tuple[tuple[time, time], ...] = (
    (time(9), time(12)),
    (time(13, 30), time(17, 30)),
)

_ONE_DAY = timedelta(days=1)
_ONE_MINUTE = timedelta(minutes=1)


@functools.lru_cache(maxsize=None)
def library_knows_year(year: int) -> bool:
    """Return whether chinese_calendar has holiday data for ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _require_aware(value: datetime, name: str) -> None:
    """Raise ValueError unless ``value`` is a timezone-aware datetime."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {value!r}")
    if value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


def _validate_hours(hours: Sequence[tuple[time, time]]) -> tuple[tuple[time, time], ...]:
    """Return ``hours`` as a tuple after checking the periods are ordered and disjoint."""
    periods = tuple((opens, closes) for opens, closes in hours)
    if not periods:
        raise ValueError("working hours need at least one period")
    previous_close: time | None = None
    for opens, closes in periods:
        if opens.tzinfo is not None or closes.tzinfo is not None:
            raise ValueError("working hours are wall-clock times; leave tzinfo off")
        if not opens < closes:
            raise ValueError(f"working period {opens}–{closes} must open before it closes")
        if previous_close is not None and opens < previous_close:
            raise ValueError(f"working period {opens}–{closes} overlaps or is out of order")
        previous_close = closes
    return periods


def _validate_overrides(overrides: Mapping[date, bool] | None) -> dict[date, bool]:
    """Return a private copy of the overrides after checking keys and values."""
    checked: dict[date, bool] = {}
    for day, working in (overrides or {}).items():
        # A datetime is a date subclass; its time part would silently be ignored.
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValueError(f"override key must be a date, got {day!r}")
        if not isinstance(working, bool):
            raise ValueError(f"override for {day} must be True or False, got {working!r}")
        checked[day] = working
    return checked


class WorkCalendar:
    """Working days and hours: China's holidays/调休 from chinese_calendar, plus local overrides."""

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        hours: Sequence[tuple[time, time]] = DEFAULT_HOURS,
        tz: str = "Asia/Shanghai",
        entered_years: Iterable[int] = (),
    ) -> None:
        """Build a calendar from admin overrides, daily working periods, a time zone and the entered years."""
        self.overrides = _validate_overrides(overrides)
        self.entered_years = frozenset(entered_years)
        self.hours = _validate_hours(hours)
        self.tz = ZoneInfo(tz)
        # Overrides are copied above, so a per-instance cache can never go stale.
        self._workday_cache: dict[date, bool] = {}

    def is_workday(self, day: date) -> bool:
        """Return whether ``day`` is a working day (override > library > Monday–Friday)."""
        if isinstance(day, datetime):
            raise TypeError("is_workday takes a date; convert the datetime with to_local() first")
        cached = self._workday_cache.get(day)
        if cached is None:
            cached = self._workday_cache[day] = self._lookup_workday(day)
        return cached

    def _lookup_workday(self, day: date) -> bool:
        """Decide whether ``day`` is a working day without the cache."""
        if day in self.overrides:
            return self.overrides[day]
        if library_knows_year(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def unknown_years(self, years: Iterable[int]) -> list[int]:
        """Return the years, sorted, that neither the library knows nor the admin entered as a whole schedule.

        A single override (a local closure) does not make a year known: its national holidays may be missing.
        """
        return sorted(
            year
            for year in set(years)
            if not library_knows_year(year) and year not in self.entered_years
        )

    def minutes_per_day(self) -> int:
        """Return the working minutes in one full working day."""
        anyday = date(2000, 1, 1)
        total = sum(
            (datetime.combine(anyday, closes) - datetime.combine(anyday, opens)
             for opens, closes in self.hours),
            timedelta(),
        )
        return total // _ONE_MINUTE

    def to_local(self, moment: datetime) -> datetime:
        """Return the aware ``moment`` expressed in this calendar's time zone."""
        _require_aware(moment, "moment")
        return moment.astimezone(self.tz)

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """Return the moment ``minutes`` working minutes after ``start``, in this zone."""
        _require_aware(start, "start")
        if not isinstance(minutes, int):
            raise TypeError(f"minutes must be an int, got {minutes!r}")
        if minutes < 0:
            raise ValueError(f"minutes must not be negative, got {minutes}")
        # Elapsed-time arithmetic must happen in UTC (see _periods_on).
        start = start.astimezone(timezone.utc)
        remaining = timedelta(minutes=minutes)
        for opens, closes in self._periods_from(start):
            begin = max(opens, start)
            # Returning inside the period (not at the next opening) keeps a deadline
            # that lands exactly on closing time at closing time.
            if remaining <= closes - begin:
                return (begin + remaining).astimezone(self.tz)
            remaining -= closes - begin
        raise AssertionError("unreachable: the working periods never run out")

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Return the moment ``days`` full working days after ``start``."""
        if days < 0:
            raise ValueError(f"days must not be negative, got {days}")
        return self.add_working_minutes(start, days * self.minutes_per_day())

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Return the whole working minutes in [a, b), or 0 when b <= a."""
        return self.working_time_between(a, b) // _ONE_MINUTE

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Return the working time in [a, b) to the microsecond, or zero when b <= a."""
        _require_aware(a, "a")
        _require_aware(b, "b")
        if b <= a:
            return timedelta()
        a, b = a.astimezone(timezone.utc), b.astimezone(timezone.utc)  # see _periods_on
        total = timedelta()
        for opens, closes in self._periods_from(a):
            if opens >= b:
                break
            total += min(closes, b) - max(opens, a)
        return total

    def _periods_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Yield the working periods, as UTC datetimes, that end after ``moment``, in order."""
        day = moment.astimezone(self.tz).date()
        while True:
            if self.is_workday(day):
                for opens, closes in self._periods_on(day):
                    if closes > moment:
                        yield opens, closes
            day += _ONE_DAY

    def _periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """Return the working periods of ``day`` as UTC datetimes."""
        # Arithmetic on datetimes sharing one ZoneInfo is wall-clock arithmetic; UTC
        # makes durations real elapsed time even in a zone with daylight saving.
        return [
            (self._utc(day, opens), self._utc(day, closes)) for opens, closes in self.hours
        ]

    def _utc(self, day: date, wall_time: time) -> datetime:
        """Return the UTC instant of ``wall_time`` on ``day`` in this calendar's zone."""
        return datetime.combine(day, wall_time, tzinfo=self.tz).astimezone(timezone.utc)
