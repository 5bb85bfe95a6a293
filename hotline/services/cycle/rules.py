"""The cycle's settings (flags, callbacks, supervision, assessment weights), validated once from config."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import Any

WEIGHT_KEYS = ("response", "solved", "satisfaction")
DEFAULT_WEIGHTS = {"response": 20, "solved": 40, "satisfaction": 40}


@dataclass(frozen=True)
class CycleRules:
    """Numbers of the supervision cycle; every one is a setting (see hotline/config.py)."""

    yellow_share: float = 0.8
    black_after_working_days: int = 5
    black_after_reopens: int = 2  # 重办 this many times turns a ticket black whatever its deadlines
    callback_working_days: int = 1
    supervision_repeat_min: int = 3
    supervision_deadline_working_days: int = 10
    assessment_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    daily_at: time = time(8, 0)
    grace_days: int = 5

    def __post_init__(self) -> None:
        """Refuse settings no figure can be computed from, naming the setting."""
        if not 0 < self.yellow_share <= 1:
            raise ValueError(f"FLAG_YELLOW_SHARE must be in (0, 1], got {self.yellow_share}")
        for name in ("black_after_working_days", "callback_working_days", "supervision_deadline_working_days",
                     "grace_days"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name.upper()} must not be negative, got {getattr(self, name)}")
        if self.black_after_reopens < 1:
            raise ValueError(f"FLAG_BLACK_AFTER_REOPENS must be at least 1, got {self.black_after_reopens}")
        if self.supervision_repeat_min < 1:
            raise ValueError(f"SUPERVISION_REPEAT_MIN must be at least 1, got {self.supervision_repeat_min}")
        weights = self.assessment_weights
        if not isinstance(weights, Mapping) or set(weights) != set(WEIGHT_KEYS):
            raise ValueError(f"ASSESSMENT_WEIGHTS must map exactly {', '.join(WEIGHT_KEYS)}, got {weights!r}")
        if any(isinstance(w, bool) or not isinstance(w, int | float) or w < 0 for w in weights.values()) \
                or not sum(weights.values()) > 0:
            raise ValueError(f"ASSESSMENT_WEIGHTS must be non-negative numbers with a positive sum, got {weights!r}")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> CycleRules:
        """Read the rules from the app's settings (defaults for any that are missing)."""
        default = cls()
        daily_at = config.get("CYCLE_DAILY_AT", "08:00")
        try:
            daily_time = time.fromisoformat(daily_at) if isinstance(daily_at, str) else daily_at
        except ValueError:
            raise ValueError(f"CYCLE_DAILY_AT must be HH:MM, got {daily_at!r}") from None
        return cls(
            yellow_share=float(config.get("FLAG_YELLOW_SHARE", default.yellow_share)),
            black_after_working_days=int(config.get("FLAG_BLACK_AFTER_WORKING_DAYS", default.black_after_working_days)),
            black_after_reopens=int(config.get("FLAG_BLACK_AFTER_REOPENS", default.black_after_reopens)),
            callback_working_days=int(config.get("CALLBACK_WORKING_DAYS", default.callback_working_days)),
            supervision_repeat_min=int(config.get("SUPERVISION_REPEAT_MIN", default.supervision_repeat_min)),
            supervision_deadline_working_days=int(
                config.get("SUPERVISION_DEADLINE_WORKING_DAYS", default.supervision_deadline_working_days)),
            assessment_weights=dict(config.get("ASSESSMENT_WEIGHTS") or DEFAULT_WEIGHTS),
            daily_at=daily_time,
            grace_days=int(config.get("CYCLE_GRACE_DAYS", default.grace_days)),
        )
