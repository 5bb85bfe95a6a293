"""The rules in force: working calendar, time limits and counts, built from config and the database."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CalendarOverride

from . import sla
from .alerts import HotspotRules
from .cycle.rules import CycleRules
from .directory import stored_time_limits
from .repeats import RepeatRules
from .workcal import WorkCalendar


@dataclass(frozen=True)
class Policy:
    """Everything the workflow needs to know about time and limits, passed in explicitly."""

    calendar: WorkCalendar
    timezone: str
    time_limits: Mapping[str, Mapping[str, sla.Limit]]
    max_returns: int = 2
    max_callback_attempts: int = 3
    max_extension_working_days: int = 15
    intake_key_hours: int = 24
    repeat_rules: RepeatRules = RepeatRules()
    hotspot_rules: HotspotRules = HotspotRules()
    cycle_rules: CycleRules = CycleRules()

    @property
    def tz(self) -> ZoneInfo:
        """The city's time zone."""
        return ZoneInfo(self.timezone)


def parse_working_hours(periods: list[str]) -> tuple[tuple[time, time], ...]:
    """Turn ["09:00-12:00", ...] into time pairs; ValueError names the bad period."""
    parsed = []
    for period in periods:
        try:
            start, end = (time.fromisoformat(part.strip()) for part in period.split("-"))
        except ValueError:
            raise ValueError(f"WORKING_HOURS: {period!r} is not HH:MM-HH:MM") from None
        if end <= start:
            raise ValueError(f"WORKING_HOURS: {period!r} ends before it starts")
        parsed.append((start, end))
    return tuple(parsed)


def policy_from_settings(config: Mapping[str, Any], overrides: Mapping | None = None,
                         stored_limits: Mapping | None = None) -> Policy:
    """Build the policy from settings (create_app calls it once, so a bad setting stops start-up, not requests)."""
    calendar = WorkCalendar(
        overrides=overrides or {},
        hours=parse_working_hours(config["WORKING_HOURS"]),
        tz=config["TIMEZONE"],
    )
    # The admin's saved limits (admin → 办理时限) win over the TIME_LIMITS setting.
    limits = sla.validate_time_limits(stored_limits or config["TIME_LIMITS"] or sla.DEFAULT_TIME_LIMITS)
    return Policy(
        calendar=calendar,
        timezone=config["TIMEZONE"],
        time_limits=limits,
        max_returns=int(config["MAX_RETURNS"]),
        max_callback_attempts=int(config["MAX_CALLBACK_ATTEMPTS"]),
        max_extension_working_days=int(config["MAX_EXTENSION_WORKING_DAYS"]),
        intake_key_hours=int(config["INTAKE_KEY_HOURS"]),
        repeat_rules=RepeatRules(
            window_days=int(config["REPEAT_WINDOW_DAYS"]),
            place_similarity=float(config["REPEAT_SIMILARITY"]),
            caller_similarity=float(config["REPEAT_CALLER_SIMILARITY"]),
        ),
        hotspot_rules=HotspotRules(
            min_tickets=int(config["HOTSPOT_MIN_TICKETS"]), window_hours=int(config["HOTSPOT_WINDOW_HOURS"])
        ),
        cycle_rules=CycleRules.from_config(config),
    )


def load_policy(session: Session, config: Mapping[str, Any]) -> Policy:
    """The policy in force: settings plus the admin's calendar overrides and saved time limits."""
    overrides = {row.day: row.is_workday for row in session.scalars(select(CalendarOverride))}
    return policy_from_settings(config, overrides, stored_time_limits(session))
