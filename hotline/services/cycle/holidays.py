"""The admin's local calendar overrides (a city's own closures or extra working days)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from models import CalendarOverride

from ..errors import InvalidInput, NotFound


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
