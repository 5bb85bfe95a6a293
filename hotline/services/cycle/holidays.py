"""The admin's local calendar overrides (a city's own closures or extra working days), and whole years' schedules."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from models import CalendarOverride, CalendarYear

from ..errors import InvalidInput, NotFound
from ..policy import Policy


def unknown_years(policy: Policy, now: datetime) -> list[int]:
    """This year (and, in December, next year) when the holiday library does not know its schedule."""
    today = now.astimezone(policy.tz).date()
    years = [today.year, today.year + 1] if today.month == 12 else [today.year]
    return policy.calendar.unknown_years(years)


def parse_day(text: str) -> date:
    """A YYYY-MM-DD day; anything else is a 400 naming the field day."""
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("bad_format", field="day", name="day", example="YYYY-MM-DD", value=text) from None


def list_overrides(session: Session, year: int | None = None) -> list[CalendarOverride]:
    """The overrides, by day (optionally of one year)."""
    query = select(CalendarOverride).order_by(CalendarOverride.day)
    if year is not None:
        query = query.where(extract("year", CalendarOverride.day) == year)
    return list(session.scalars(query))


def set_override(session: Session, day: date, is_workday: bool, note: str) -> tuple[CalendarOverride, bool]:
    """Create or replace the override of ``day``; returns it and whether it is new."""
    override = session.get(CalendarOverride, day)
    created = override is None
    if created:
        override = CalendarOverride(day=day, is_workday=is_workday, note=note)
        session.add(override)
    else:
        override.is_workday = is_workday
        override.note = note
    session.flush()
    return override, created


def delete_override(session: Session, day: date) -> None:
    """Remove the override of ``day`` (404 when there is none): the library's calendar applies again."""
    override = session.get(CalendarOverride, day)
    if override is None:
        raise NotFound("override_not_found", field="day", day=day.isoformat())
    session.delete(override)
    session.flush()


# One line of a year's schedule: a day or a range (2027-02-10~2027-02-17), then 休 (off) or 班 (work), then a note.
_SCHEDULE_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s*[~～至-]\s*(\d{4}-\d{2}-\d{2}))?\s+(\S+)\s*(.*)$")
_DAY_KINDS = {"休": False, "假": False, "off": False, "班": True, "work": True}


def parse_schedule(year: int, text: str) -> dict[date, tuple[bool, str]]:
    """A year's schedule as the State Council's notice lists it, one line each: ``2027-10-01~2027-10-07 休 国庆节``,
    ``2027-09-26 班 国庆调休``; a bad line is a 400 naming its number."""
    days: dict[date, tuple[bool, str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _SCHEDULE_LINE.match(line)
        kind = _DAY_KINDS.get(match.group(3).lower()) if match else None
        if kind is None:
            raise InvalidInput("schedule_bad_line", field="schedule", line=number, text=line[:80])
        try:
            first = date.fromisoformat(match.group(1))
            last = date.fromisoformat(match.group(2) or match.group(1))
        except ValueError:
            raise InvalidInput("schedule_no_such_day", field="schedule", line=number, text=line[:80]) from None
        if first > last or first.year != year or last.year != year:
            raise InvalidInput("schedule_outside_year", field="schedule", line=number, text=line[:80], year=year)
        while first <= last:
            if first in days:
                raise InvalidInput("schedule_day_twice", field="schedule", line=number, day=first.isoformat())
            days[first] = (kind, match.group(4).strip()[:200])
            first += timedelta(days=1)
    if not days:
        raise InvalidInput("schedule_empty", field="schedule", year=year)
    return days


def enter_year(session: Session, year: int, days: dict[date, tuple[bool, str]], actor_id: int | None,
               now: datetime) -> CalendarYear:
    """Replace ``year``'s overrides with its whole schedule and mark the year entered (the warning then stops)."""
    for override in list_overrides(session, year):
        session.delete(override)
    session.flush()
    session.add_all(CalendarOverride(day=day, is_workday=working, note=note) for day, (working, note) in days.items())
    entered = session.get(CalendarYear, year) or CalendarYear(year=year)
    entered.entered_at, entered.entered_by_id = now, actor_id
    entered.note = f"{sum(1 for w, _ in days.values() if not w)} 天休息, {sum(1 for w, _ in days.values() if w)} 天调休上班"
    session.add(entered)
    session.flush()
    return entered


def list_entered(session: Session) -> list[CalendarYear]:
    """The years whose whole schedule the admin has entered, newest first."""
    return list(session.scalars(select(CalendarYear).order_by(CalendarYear.year.desc())))
