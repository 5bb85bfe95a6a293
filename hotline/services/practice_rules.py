"""The settings of 挂起, 申诉/核减, the emergency hand-off, 回头看 and 集中交办 (hotline/config.py), validated once
when the policy is built."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models import Channel

# 110 police, 119 fire, 120 ambulance, 122 traffic police; 95598 power, 96777 gas, 96166 water (utilities).
DEFAULT_EMERGENCY_SERVICES = ("110", "119", "120", "122", "95598", "96777", "96166")


@dataclass(frozen=True)
class PracticeRules:
    """How long a pause may be asked for, how long after publication a unit may appeal, where calls are handed."""

    max_pause_working_days: int = 20
    appeal_window_days: int = 10  # calendar days after a month's first publication
    emergency_services: tuple[str, ...] = DEFAULT_EMERGENCY_SERVICES

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PracticeRules:
        """The rules from the settings (MAX_PAUSE_WORKING_DAYS, COUNT_APPEAL_WINDOW_DAYS, EMERGENCY_SERVICES)."""
        rules = cls(
            max_pause_working_days=int(config.get("MAX_PAUSE_WORKING_DAYS", cls.max_pause_working_days)),
            appeal_window_days=int(config.get("COUNT_APPEAL_WINDOW_DAYS", cls.appeal_window_days)),
            emergency_services=tuple(str(s) for s in config.get("EMERGENCY_SERVICES") or DEFAULT_EMERGENCY_SERVICES),
        )
        if rules.max_pause_working_days < 1 or rules.appeal_window_days < 0 or not rules.emergency_services:
            raise ValueError("MAX_PAUSE_WORKING_DAYS must be ≥ 1, COUNT_APPEAL_WINDOW_DAYS ≥ 0, "
                             "EMERGENCY_SERVICES not empty")
        return rules

# 领导接听日 / 企业家接待日: tagged with their host at intake, and reported in sections of their own.
HOSTED_CHANNELS = (Channel.LEADER_DAY, Channel.ENTREPRENEUR_DAY)


@dataclass(frozen=True)
class RevisitRules:
    """Which closed tickets are called again: a share of those closed between two ages."""

    share: float = 0.10
    after_days: int = 14
    within_days: int = 42

    def __post_init__(self) -> None:
        """Refuse a sample no run could draw, naming the setting."""
        if not 0 <= self.share <= 1:
            raise ValueError(f"REVISIT_SHARE must be between 0 and 1, got {self.share}")
        if not 0 <= self.after_days < self.within_days:
            raise ValueError(f"REVISIT_AFTER_DAYS must be at least 0 and below REVISIT_WITHIN_DAYS, "
                             f"got {self.after_days} and {self.within_days}")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RevisitRules:
        """Read the rules from the app's settings (defaults for any that are missing)."""
        return cls(share=float(config.get("REVISIT_SHARE", cls.share)),
                   after_days=int(config.get("REVISIT_AFTER_DAYS", cls.after_days)),
                   within_days=int(config.get("REVISIT_WITHIN_DAYS", cls.within_days)))


@dataclass(frozen=True)
class BatchRules:
    """What makes a matter a repeat cluster worth handing over in a batch."""

    min_calls: int = 3

    def __post_init__(self) -> None:
        """A cluster is at least two calls (a first ticket and one repeat)."""
        if self.min_calls < 2:
            raise ValueError(f"BATCH_MIN_CALLS must be at least 2, got {self.min_calls}")
