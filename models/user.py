"""Users and their roles."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .department import Department


class Role(enum.StrEnum):
    """What a user does all day (see DESIGN.md)."""

    OPERATOR = "operator"
    DISPATCHER = "dispatcher"
    DEPARTMENT = "department"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class User(Base):
    """A member of staff; department users belong to exactly one unit."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Goes up on logout, a password change or deactivation: the page sessions of the older generation end.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # A password someone else chose (import, create-user) is one-time: the user must set their own first.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default="0")

    department: Mapped[Optional[Department]] = relationship()
