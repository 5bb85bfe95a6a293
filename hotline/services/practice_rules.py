"""The limits of 挂起, 申诉/核减 and the emergency hand-off (one place: the settings feed them)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
