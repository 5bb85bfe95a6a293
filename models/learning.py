"""What the router learned: each retrain's promotion decision, with both models' scores."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, enum_column


class RetrainOutcome(enum.StrEnum):
    """How a retrain ended."""

    PROMOTED = "promoted"  # the challenger routes every host now
    KEPT = "kept"  # trained and saved, but the champion stays
    SKIPPED = "skipped"  # not trained: too few held-back tickets, or too little history


class RetrainDecision(Base):
    """One retrain: champion and challenger scored on the same held-back recent tickets, and the verdict."""

    __tablename__ = "retrain_decisions"
    __table_args__ = (Index("ix_retrain_decisions_decided_at", "decided_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decided_at: Mapped[datetime]
    outcome: Mapped[RetrainOutcome] = mapped_column(enum_column(RetrainOutcome))
    # The first failed criterion, or why the retrain was skipped (a stable code, see services/promotion.py).
    reason: Mapped[str] = mapped_column(String(64), default="")
    champion_version: Mapped[Optional[str]] = mapped_column(String(64))
    challenger_version: Mapped[Optional[str]] = mapped_column(String(64))
    holdout: Mapped[int] = mapped_column(default=0)  # held-back recent tickets both models were scored on
    history: Mapped[int] = mapped_column(default=0)  # closed tickets the challenger learned from
    # {"champion": {...}, "challenger": {...}, "criteria": [...], "settings": {...}}
    scores: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
