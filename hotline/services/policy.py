"""The rules in force: working calendar, time limits and counts, built from config and the database."""
from __future__ import annotations

import time as monotonic_time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from models import CalendarOverride, CalendarYear, Setting

from . import sla
from .alerts import HotspotRules
from .cycle.rules import CycleRules
from .directory import stored_time_limits
from .learning_rules import LearningRules
from .practice_rules import BatchRules, PracticeRules, RevisitRules
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
    callback_retry_hours: float = 2  # between two unreached callback attempts
    max_extension_working_days: int = 15
    intake_key_hours: int = 24
    max_content_chars: int = 5000
    repeat_rules: RepeatRules = RepeatRules()
    hotspot_rules: HotspotRules = HotspotRules()
    cycle_rules: CycleRules = CycleRules()
    practice_rules: PracticeRules = PracticeRules()  # 挂起, 申诉/核减, emergency hand-off
    revisit_rules: RevisitRules = RevisitRules()
    batch_rules: BatchRules = BatchRules()
    learning_rules: LearningRules = LearningRules()

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
                         stored_limits: Mapping | None = None, entered_years: Iterable[int] = ()) -> Policy:
    """Build the policy from settings (create_app calls it once, so a bad setting stops start-up, not requests)."""
    calendar = WorkCalendar(
        overrides=overrides or {},
        hours=parse_working_hours(config["WORKING_HOURS"]),
        tz=config["TIMEZONE"],
        entered_years=entered_years,
    )
    # The admin's saved limits (admin → 办理时限) win over the TIME_LIMITS setting.
    limits = sla.validate_time_limits(stored_limits or config["TIME_LIMITS"] or sla.DEFAULT_TIME_LIMITS)
    return Policy(
        calendar=calendar,
        timezone=config["TIMEZONE"],
        time_limits=limits,
        max_returns=int(config["MAX_RETURNS"]),
        max_callback_attempts=int(config["MAX_CALLBACK_ATTEMPTS"]),
        callback_retry_hours=float(config["CALLBACK_RETRY_HOURS"]),
        max_extension_working_days=int(config["MAX_EXTENSION_WORKING_DAYS"]),
        intake_key_hours=int(config["INTAKE_KEY_HOURS"]),
        max_content_chars=int(config["MAX_CONTENT_CHARS"]),
        repeat_rules=RepeatRules(
            window_days=int(config["REPEAT_WINDOW_DAYS"]),
            place_similarity=float(config["REPEAT_SIMILARITY"]),
            caller_similarity=float(config["REPEAT_CALLER_SIMILARITY"]),
        ),
        hotspot_rules=HotspotRules(
            min_tickets=int(config["HOTSPOT_MIN_TICKETS"]), window_hours=int(config["HOTSPOT_WINDOW_HOURS"])
        ),
        cycle_rules=CycleRules.from_config(config),
        practice_rules=PracticeRules.from_config(config),
        revisit_rules=RevisitRules.from_config(config),
        batch_rules=BatchRules(min_calls=int(config.get("BATCH_MIN_CALLS", BatchRules.min_calls))),
        learning_rules=LearningRules.from_config(config),
    )


def load_policy(session: Session, config: Mapping[str, Any]) -> Policy:
    """The policy in force: settings plus the admin's calendar overrides, entered years and saved time limits."""
    overrides = {row.day: row.is_workday for row in session.scalars(select(CalendarOverride))}
    years = session.scalars(select(CalendarYear.year))
    return policy_from_settings(config, overrides, stored_time_limits(session), years)


# The rows load_policy reads: a commit that changed one makes every cache in this process reload.
POLICY_SOURCES = (CalendarOverride, CalendarYear, Setting)
_changes = [0]  # commits that changed the policy in this process, so far


@event.listens_for(Session, "before_flush")
def _note_policy_change(session: Session, _context, _instances) -> None:
    """Remember that this transaction changes what the policy is built from."""
    if any(isinstance(row, POLICY_SOURCES) for row in chain(session.new, session.dirty, session.deleted)):
        session.info["hotline.policy_changed"] = True


@event.listens_for(Session, "after_commit")
def _policy_committed(session: Session) -> None:
    """A committed change reaches this process's caches at once."""
    if session.info.pop("hotline.policy_changed", False):
        _changes[0] += 1


@event.listens_for(Session, "after_soft_rollback")
def _policy_rolled_back(session: Session, _previous) -> None:
    """A rolled-back change changed nothing."""
    session.info.pop("hotline.policy_changed", None)


class PolicyCache:
    """The policy per process: rebuilt after a change committed here, and at least every `ttl` seconds.

    Building it takes a few queries; every request needs it. A change committed on another host reaches
    this one within `ttl` seconds (POLICY_CACHE_SECONDS, 30 by default).
    """

    def __init__(self, config: Mapping[str, Any], ttl: float,
                 clock: Callable[[], float] = monotonic_time.monotonic) -> None:
        self.config, self.ttl, self.clock = config, ttl, clock
        self._policy: Policy | None = None
        self._loaded_at = 0.0
        self._changes = -1

    def get(self, session: Session) -> Policy:
        """The policy in force, from the cache when it is fresh."""
        moment = self.clock()
        if self._policy is None or self._changes != _changes[0] or moment - self._loaded_at >= self.ttl:
            self._changes = _changes[0]
            self._policy = load_policy(session, self.config)
            self._loaded_at = moment
        return self._policy
