"""The settings of 回头看 and 集中交办 (hotline/config.py), validated once when the policy is built."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models import Channel

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
