"""Years whose whole holiday schedule the admin has entered (for years the holiday library does not know)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class CalendarYear(Base):
    """A year whose State Council schedule (holidays and make-up workdays) is entered as overrides."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    entered_at: Mapped[datetime]
    entered_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(200), default="")
