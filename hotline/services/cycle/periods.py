"""Report periods (day, month, quarter, year) in the city's time zone, parsed strictly."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..errors import InvalidInput

KINDS = ("daily", "monthly", "quarterly", "annual")
_PATTERNS = {
    "daily": re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
    "monthly": re.compile(r"(\d{4})-(\d{2})"),
    "quarterly": re.compile(r"(\d{4})Q(\d)"),
    "annual": re.compile(r"(\d{4})"),
}
_EXAMPLES = {"daily": "2026-11-16", "monthly": "2026-11", "quarterly": "2026Q4", "annual": "2026"}
MIN_YEAR, MAX_YEAR = 2000, 2999


@dataclass(frozen=True)
class Period:
    """A half-open span [start, end) of local calendar days, with its canonical label."""

    kind: str
    label: str
    first_day: date
    next_day: date  # the first day after the period
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        """Local midnight the period starts at (aware)."""
        return datetime.combine(self.first_day, time(), tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        """Local midnight the period ends at (aware, excluded)."""
        return datetime.combine(self.next_day, time(), tzinfo=self.tz)

    def is_over(self, now: datetime) -> bool:
        """Whether the whole period lies before ``now``."""
        return now >= self.end

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        return containing(self.kind, self.start - timedelta(days=1), self.tz)


def parse(kind: str, text: str, tz: ZoneInfo, field: str = "period") -> Period:
    """Parse a period label such as 2026-11, 2026Q4 or 2026; anything else is a 400 naming ``field``."""
    match = _PATTERNS[kind].fullmatch(text.strip()) if isinstance(text, str) else None
    bad_format = {"name": field, "example": _EXAMPLES[kind], "value": text}
    if match is None:
        raise InvalidInput("bad_format", field=field, **bad_format)
    year = int(match.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput("year_out_of_range", field=field, name=field, year=year)
    try:
        if kind == "daily":
            first = date(year, int(match.group(2)), int(match.group(3)))
            return _make(kind, first, first + timedelta(days=1), tz)
        if kind == "monthly":
            return _month(year, int(match.group(2)), tz)
        if kind == "quarterly":
            quarter = int(match.group(2))
            if not 1 <= quarter <= 4:
                raise ValueError("quarter must be 1 to 4")
            return _quarter(year, quarter, tz)
        return _make(kind, date(year, 1, 1), date(year + 1, 1, 1), tz)
    except ValueError as error:  # a month 13, a quarter 5, a 30 February
        raise InvalidInput("impossible_date", field=field, **bad_format, problem=str(error)) from None


def containing(kind: str, moment: datetime, tz: ZoneInfo) -> Period:
    """The period of ``kind`` that contains the instant ``moment`` (in the city's zone)."""
    day = moment.astimezone(tz).date()
    if kind == "daily":
        return _make(kind, day, day + timedelta(days=1), tz)
    if kind == "monthly":
        return _month(day.year, day.month, tz)
    if kind == "quarterly":
        return _quarter(day.year, (day.month - 1) // 3 + 1, tz)
    return _make(kind, date(day.year, 1, 1), date(day.year + 1, 1, 1), tz)


def months_in(period: Period) -> list[Period]:
    """The calendar months a period covers, in order (a month itself, a quarter's three, a year's twelve)."""
    months, first = [], period.first_day.replace(day=1)
    while first < period.next_day:
        months.append(_month(first.year, first.month, period.tz))
        first = months[-1].next_day
    return months


def _month(year: int, month: int, tz: ZoneInfo) -> Period:
    """The calendar month (ValueError for a month outside 1–12)."""
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return _make("monthly", first, following, tz)


def _quarter(year: int, quarter: int, tz: ZoneInfo) -> Period:
    """The calendar quarter."""
    first = date(year, 3 * quarter - 2, 1)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return _make("quarterly", first, following, tz)


def _make(kind: str, first: date, following: date, tz: ZoneInfo) -> Period:
    """Build a period with its canonical label."""
    if kind == "daily":
        label = first.isoformat()
    elif kind == "monthly":
        label = f"{first.year:04d}-{first.month:02d}"
    elif kind == "quarterly":
        label = f"{first.year:04d}Q{(first.month - 1) // 3 + 1}"
    else:
        label = f"{first.year:04d}"
    return Period(kind, label, first, following, tz)
