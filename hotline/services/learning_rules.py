"""The settings of routing that learns: how history is weighed, and what a challenger must show to be promoted."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

# setting name -> field; every one is a HOTLINE_* setting (hotline/config.py).
SETTINGS = {
    "RETRAIN_MIN_HOLDOUT": "min_holdout",
    "RETRAIN_HOLDOUT_SHARE": "holdout_share",
    "RETRAIN_HISTORY_DAYS": "history_days",
    "RETRAIN_HALF_LIFE_DAYS": "half_life_days",
    "RETRAIN_HISTORY_WEIGHT": "history_weight",
    "RETRAIN_CORRECTION_WEIGHT": "correction_weight",
    "RETRAIN_TARGET_PRECISION": "target_precision",
    "RETRAIN_ACCURACY_MARGIN": "accuracy_margin",
    "RETRAIN_COVERAGE_MARGIN": "coverage_margin",
    "RETRAIN_CATEGORY_MIN": "category_min",
    "RETRAIN_CATEGORY_MARGIN": "category_margin",
    "RETRAIN_BOOTSTRAP_ROUNDS": "bootstrap_rounds",
    "KB_MIN_SCORE": "kb_min_score",
}


@dataclass(frozen=True)
class LearningRules:
    """Numbers of retraining and its promotion gate."""

    min_holdout: int = 200  # fewer held-back recent tickets than this: the retrain is skipped
    holdout_share: float = 0.2  # the newest share of closed tickets is held back (at least min_holdout)
    history_days: int = 730  # closed tickets older than this are not read
    half_life_days: float = 90.0  # a ticket this old weighs half as much as today's
    history_weight: float = 3.0  # a city's ticket against a bundled row (the city's own labels, corrected)
    correction_weight: float = 2.0  # extra factor for a ticket a return or reassignment corrected
    target_precision: float = 0.92  # auto-dispatch precision the coverage criterion is measured at
    accuracy_margin: float = 0.02  # the lower 95 % bound of (challenger - champion) accuracy must reach -margin
    coverage_margin: float = 0.02  # challenger's coverage at the target precision may be lower by at most this
    category_min: int = 30  # categories with at least this many held-back tickets are checked one by one
    category_margin: float = 0.05  # ... and each one's recall may be lower by at most this
    bootstrap_rounds: int = 2000
    kb_min_score: float = 0.40  # knowledge-base hits scoring below this are not shown (bench/router.py calibrates it)

    def __post_init__(self) -> None:
        """Refuse settings no decision can be made with, naming the setting."""
        name = {v: k for k, v in SETTINGS.items()}
        for field in ("min_holdout", "history_days", "category_min", "bootstrap_rounds"):
            if getattr(self, field) < 1:
                raise ValueError(f"{name[field]} must be at least 1, got {getattr(self, field)}")
        for field in ("holdout_share", "target_precision"):
            if not 0 < getattr(self, field) < 1 + (field == "target_precision"):
                raise ValueError(f"{name[field]} must be in (0, 1), got {getattr(self, field)}")
        for field in ("half_life_days", "history_weight", "correction_weight"):
            if not getattr(self, field) > 0:
                raise ValueError(f"{name[field]} must be positive, got {getattr(self, field)}")
        for field in ("accuracy_margin", "coverage_margin", "category_margin", "kb_min_score"):
            if not 0 <= getattr(self, field) <= 1:
                raise ValueError(f"{name[field]} must be in [0, 1], got {getattr(self, field)}")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LearningRules:
        """Read the rules from the app's settings (defaults for any that are missing)."""
        types = {f.name: type(getattr(cls(), f.name)) for f in fields(cls)}
        return cls(**{attr: types[attr](config[key]) for key, attr in SETTINGS.items() if config.get(key) is not None})

    def as_dict(self) -> dict[str, Any]:
        """The settings by name, as a decision records them."""
        return {key: getattr(self, attr) for key, attr in SETTINGS.items()}
