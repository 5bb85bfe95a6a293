"""The gazetteer (地名库): the city's districts, their streets and the other names they go by."""
from __future__ import annotations

import enum
from typing import Optional

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, enum_column


class PlaceKind(enum.StrEnum):
    """What a place name is."""

    CITY = "city"  # the city itself (one row)
    DISTRICT = "district"  # 区县: the 属地 tickets and routing rules name
    STREET = "street"  # 街道/乡镇/园区 inside a district
    ALIAS = "alias"  # another name of a district


class Place(Base):
    """One place name and the district it belongs to (a district belongs to itself)."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[PlaceKind] = mapped_column(enum_column(PlaceKind))
    district: Mapped[Optional[str]] = mapped_column(String(32))
