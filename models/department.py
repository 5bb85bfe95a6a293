"""Departments (承办单位), the category catalogue and the routing rules between them."""
from __future__ import annotations

import enum
from typing import Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column


class DepartmentKind(enum.StrEnum):
    """Where a unit sits in the city's hierarchy."""

    BUREAU = "bureau"  # 市直部门
    DISTRICT = "district"  # 区县(市)
    STREET = "street"  # 街道/乡镇
    UTILITY = "utility"  # 公共事业单位 (水电气讯)
    CENTRE = "centre"  # the hotline centre itself


class Department(Base):
    """A unit that receives work orders."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[DepartmentKind] = mapped_column(enum_column(DepartmentKind))
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Optional[Department]] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Department {self.code} {self.name}>"


class Category(Base):
    """A catalogue entry; its name is the label the router predicts."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)


class RoutingRule(Base):
    """(category, district) → responsible unit; a rule without district is the city-wide default."""

    __tablename__ = "routing_rules"
    __table_args__ = (UniqueConstraint("category_id", "district", name="uq_routing_rules_category_district"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    district: Mapped[Optional[str]] = mapped_column(String(32))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))

    category: Mapped[Category] = relationship()
    department: Mapped[Department] = relationship()
