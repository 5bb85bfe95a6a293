"""Time limits (签收 sign-by and 办结 reply-by deadlines) and the red/green/black flags.

Every number is configuration: a limit is a short string such as ``"2wh"`` that
:func:`parse_limit` turns into a :class:`Limit`, and :data:`DEFAULT_TIME_LIMITS` is only
the default for the ``time limits`` setting.
"""

from __future__ import annotations

import calendar as gregorian
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum

from hotline.services.cycle.rules import CycleRules
from hotline.services.workcal import WorkCalendar

# Natural time counts every minute; working time only the calendar's working periods.
UNITS = {
    "min": "minutes (natural time)",
    "h": "hours (natural time)",
    "wh": "working hours",
    "wd": "working days",
    "d": "calendar days",
    "mo": "calendar months",
}
_LIMIT_PATTERN = re.compile(r"(\d+)(min|wh|wd|mo|h|d)")

PHASES = ("sign", "reply")
APPEAL_TYPES = ("consultation", "help", "complaint", "report", "suggestion", "praise")
URGENCIES = ("normal", "urgent")

DEFAULT_TIME_LIMITS = {
    "urgent": {"sign": "30min", "reply": "24h"},
    "consultation": {"sign": "2wh", "reply": "1wd"},
    "help": {"sign": "2wh", "reply": "3wd"},
    "complaint": {"sign": "2wh", "reply": "5wd"},
    "report": {"sign": "2wh", "reply": "5wd"},
    "suggestion": {"sign": "1wd", "reply": "15wd"},
    "praise": {"sign": "2wh", "reply": "1wd"},
    # 涉企诉求 (enterprise appeals): respond within 7 days, close within 2 months.
    "enterprise": {"sign": "7d", "reply": "2mo"},
}
LIMIT_KEYS = tuple(DEFAULT_TIME_LIMITS)


@dataclass(frozen=True)
class Limit:
    """A time limit: a positive amount of one unit (see UNITS)."""

    amount: int
    unit: str

    def __post_init__(self) -> None:
        """Reject units and amounts that no deadline can be computed from."""
        if self.unit not in UNITS:
            units = ", ".join(UNITS)
            raise ValueError(f"unknown time-limit unit {self.unit!r}; use one of {units}")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 1:
            raise ValueError(f"time-limit amount must be a positive integer, got {self.amount!r}")

    def __str__(self) -> str:
        """Return the limit in the configuration's short form, e.g. ``2wh``."""
        return f"{self.amount}{self.unit}"


@dataclass(frozen=True)
class Deadlines:
    """The sign-by and reply-by moments of one ticket."""

    sign_by: datetime
    reply_by: datetime


class Flag(StrEnum):
    """The 红绿黑旗 flag of a ticket's time limit."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    BLACK = "black"


def parse_limit(text: str) -> Limit:
    """Parse a limit such as ``"30min"``, ``"2wh"`` or ``"2mo"``; ValueError names bad text."""
    match = _LIMIT_PATTERN.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(
            f"invalid time limit {text!r}: expected a positive whole number followed by "
            f"one of {', '.join(UNITS)} (e.g. '30min', '2wh', '5wd', '2mo')"
        )
    try:
        return Limit(int(match.group(1)), match.group(2))
    except ValueError as error:  # "0wd" matches the pattern but is no limit at all
        raise ValueError(f"invalid time limit {text!r}: {error}") from None


def validate_time_limits(limits: Mapping) -> dict[str, dict[str, Limit]]:
    """Return the configured limits parsed; ValueError names a missing, unknown or bad key."""
    if not isinstance(limits, Mapping):
        raise ValueError(f"time limits must be a mapping, got {type(limits).__name__}")
    # An unknown key is almost always a typo of a known one, which would then fall back
    # to nothing; refusing it at start-up is kinder than a KeyError on the first ticket.
    unknown = sorted(set(limits) - set(LIMIT_KEYS), key=str)
    if unknown:
        raise ValueError(f"unknown time-limit key {unknown[0]!r}; expected {', '.join(LIMIT_KEYS)}")
    return {key: _validate_entry(limits, key) for key in LIMIT_KEYS}


def _validate_entry(limits: Mapping, key: str) -> dict[str, Limit]:
    """Return the parsed sign and reply limits of one key, naming it in any error."""
    if key not in limits:
        raise ValueError(f"time limits: missing entry {key!r}")
    entry = limits[key]
    if not isinstance(entry, Mapping):
        raise ValueError(f"time limits: {key!r} must map 'sign' and 'reply', got {entry!r}")
    parsed = {}
    for phase in PHASES:
        if phase not in entry:
            raise ValueError(f"time limits: {key!r} has no {phase!r} limit")
        try:
            parsed[phase] = _as_limit(entry[phase])
        except ValueError as error:
            raise ValueError(f"time limits: {key!r} {phase!r}: {error}") from None
    return parsed


def _as_limit(value: str | Limit) -> Limit:
    """Return ``value`` as a Limit, parsing it when it is still configuration text."""
    return value if isinstance(value, Limit) else parse_limit(value)


def add_limit(start: datetime, limit: Limit, calendar: WorkCalendar) -> datetime:
    """Return the moment ``limit`` after ``start``, in the calendar's time zone."""
    local_start = calendar.to_local(start)
    if limit.unit == "min":
        return _add_elapsed(local_start, timedelta(minutes=limit.amount), calendar)
    if limit.unit == "h":
        return _add_elapsed(local_start, timedelta(hours=limit.amount), calendar)
    if limit.unit == "wh":
        return calendar.add_working_minutes(local_start, limit.amount * 60)
    if limit.unit == "wd":
        return calendar.add_working_days(local_start, limit.amount)
    if limit.unit == "d":
        # Calendar days keep the local wall-clock time, so add on the local datetime.
        return local_start + timedelta(days=limit.amount)
    return add_months(local_start, limit.amount)


def _add_elapsed(local_start: datetime, elapsed: timedelta, calendar: WorkCalendar) -> datetime:
    """Return ``local_start`` plus real elapsed time, in the calendar's time zone."""
    # In UTC, so that a daylight-saving jump (in zones that have one) counts correctly.
    return (local_start.astimezone(timezone.utc) + elapsed).astimezone(calendar.tz)


def add_months(moment: datetime, months: int) -> datetime:
    """Return ``moment`` ``months`` later on the same day of month, clamped to the month's end."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    last_day = gregorian.monthrange(year, month)[1]
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def limit_key(appeal_type: str, urgency: str, enterprise: bool) -> str:
    """Return the time-limit key of a ticket: urgent beats enterprise beats appeal type.

    An urgent matter (a burst main, a safety risk) runs on the urgent clock even for an enterprise.
    """
    if appeal_type not in APPEAL_TYPES:
        raise ValueError(f"unknown appeal type {appeal_type!r}; expected {', '.join(APPEAL_TYPES)}")
    if urgency not in URGENCIES:
        raise ValueError(f"unknown urgency {urgency!r}; expected {', '.join(URGENCIES)}")
    if urgency == "urgent":
        return "urgent"
    if enterprise:
        return "enterprise"
    return appeal_type


def deadlines(
    start: datetime,
    appeal_type: str,
    urgency: str,
    enterprise: bool,
    calendar: WorkCalendar,
    limits: Mapping = DEFAULT_TIME_LIMITS,
) -> Deadlines:
    """Return the sign-by and reply-by deadlines of a ticket dispatched at ``start``."""
    entry = limits[limit_key(appeal_type, urgency, enterprise)]
    # Both limits run from dispatch: signing late does not buy extra time to reply.
    return Deadlines(
        sign_by=add_limit(start, _as_limit(entry["sign"]), calendar),
        reply_by=add_limit(start, _as_limit(entry["reply"]), calendar),
    )


def extend(reply_by: datetime, working_days: int, calendar: WorkCalendar) -> datetime:
    """Return the reply-by moved by an approved extension of ``working_days``."""
    if working_days < 1:
        raise ValueError(f"an extension must grant at least one working day, got {working_days}")
    return calendar.add_working_days(reply_by, working_days)


def flag_for(
    start: datetime,
    due: datetime,
    now: datetime,
    calendar: WorkCalendar,
    *,
    reopen_count: int = 0,
    supervision_missed: bool = False,
    done_at: datetime | None = None,
    yellow_share: float = 0.8,
    black_after_working_days: int = 5,
    black_after_reopens: int = CycleRules.black_after_reopens,
) -> Flag:
    """Return the flag of work allowed from ``start`` to ``due``, judged at done_at or now."""
    if not 0 < yellow_share <= 1:
        raise ValueError(f"yellow_share must be in (0, 1], got {yellow_share}")
    if black_after_working_days < 0:
        raise ValueError(
            f"black_after_working_days must not be negative, got {black_after_working_days}"
        )
    if reopen_count >= black_after_reopens or supervision_missed:
        return Flag.BLACK
    # Finished work is judged by when it was finished; later time passing changes nothing.
    at = done_at if done_at is not None else now
    # to_local() also refuses naive datetimes with a clear ValueError.
    if calendar.to_local(at) > calendar.to_local(due):
        return _overdue_flag(due, at, calendar, black_after_working_days)
    if _share_used(start, due, at, calendar) >= yellow_share:
        return Flag.YELLOW
    return Flag.GREEN


def _overdue_flag(
    due: datetime, at: datetime, calendar: WorkCalendar, black_after_working_days: int
) -> Flag:
    """Return BLACK when overdue by more than the allowed working days, else RED."""
    late_by = calendar.working_time_between(due, at)
    if late_by > timedelta(minutes=black_after_working_days * calendar.minutes_per_day()):
        return Flag.BLACK
    return Flag.RED


def _share_used(start: datetime, due: datetime, at: datetime, calendar: WorkCalendar) -> float:
    """Return the share of the allowed time [start, due) used by ``at``."""
    allowed = calendar.working_time_between(start, due)
    used = calendar.working_time_between(start, at)
    if not allowed:
        # A span without working time (an urgent 30 minutes at night) still runs out.
        start, due, at = (moment.astimezone(timezone.utc) for moment in (start, due, at))
        allowed, used = due - start, max(at - start, timedelta())
    if allowed <= timedelta():
        return 1.0  # nothing was allowed, so everything is used
    return used / allowed
