"""Reference data the admin keeps: units, users, categories, routing rules and the time limits.

Calendar overrides (holidays) live in hotline.services.cycle.holidays.

Like every service: takes the session and plain values, flushes, never commits, raises domain errors.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Category, Department, DepartmentKind, Role, RoutingRule, Setting, User

from . import sla
from .errors import InvalidInput, NotFound

TIME_LIMITS_KEY = "time_limits"


def _taken(session: Session, column, value: str, own_id: int | None) -> bool:
    """Whether another row than `own_id` already holds `value` in the unique `column`."""
    query = select(func.count()).where(column == value)
    if own_id is not None:
        query = query.where(column.class_.id != own_id)
    return bool(session.scalar(query))


def get_row(session: Session, model, row_id: int, what: str):
    """The row, or a 404 naming it."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound("record_not_found", field="id", kind=what, id=row_id)
    return row


def save_department(session: Session, *, code: str, name: str, kind: DepartmentKind, parent_id: int | None = None,
                    active: bool = True, department_id: int | None = None) -> Department:
    """Add a unit, or change one (department_id); codes and names are unique."""
    if _taken(session, Department.code, code, department_id):
        raise InvalidInput("already_taken", field="code", name="code", value=code)
    if _taken(session, Department.name, name, department_id):
        raise InvalidInput("already_taken", field="name", name="name", value=name)
    if department_id is None:
        department = Department(code=code)
        session.add(department)
    else:
        department = get_row(session, Department, department_id, "department")
        department.code = code
    if parent_id is not None and parent_id == department_id:
        raise InvalidInput("own_parent", field="parent")
    department.name, department.kind, department.parent_id, department.active = name, kind, parent_id, active
    session.flush()
    return department


def save_user(session: Session, *, username: str, display_name: str, role: Role, department_id: int | None,
              active: bool = True, password_hash: str | None = None, user_id: int | None = None) -> User:
    """Add a user (a password is required) or change one (a new password only if given)."""
    if _taken(session, User.username, username, user_id):
        raise InvalidInput("already_taken", field="username", name="username", value=username)
    if role == Role.DEPARTMENT and department_id is None:
        raise InvalidInput("department_user_needs_department", field="department")
    if user_id is None:
        if not password_hash:
            raise InvalidInput("required", field="password", name="password")
        user = User(username=username)
        session.add(user)
    else:
        user = get_row(session, User, user_id, "user")
        user.username = username
    user.display_name, user.role, user.active = display_name, role, active
    # Only department users belong to a unit; other roles see the whole city.
    user.department_id = department_id if role == Role.DEPARTMENT else None
    if password_hash:
        user.password_hash = password_hash
    session.flush()
    return user


def save_category(session: Session, *, name: str, description: str = "", active: bool = True,
                  category_id: int | None = None) -> Category:
    """Add a category or change one; the name is the label the model predicts, so it is unique."""
    if _taken(session, Category.name, name, category_id):
        raise InvalidInput("already_taken", field="name", name="name", value=name)
    if category_id is None:
        category = Category(name=name)
        session.add(category)
    else:
        category = get_row(session, Category, category_id, "category")
        category.name = name
    category.description, category.active = description, active
    session.flush()
    return category


def save_rule(session: Session, *, category_id: int, district: str | None, department_id: int,
              rule_id: int | None = None) -> RoutingRule:
    """Add or change a routing rule: (category, district) → unit; no district is the city-wide default."""
    get_row(session, Category, category_id, "category")
    get_row(session, Department, department_id, "department")
    clash = select(RoutingRule.id).where(RoutingRule.category_id == category_id)
    clash = clash.where(RoutingRule.district.is_(None) if district is None else RoutingRule.district == district)
    if rule_id is not None:
        clash = clash.where(RoutingRule.id != rule_id)
    if session.scalar(clash) is not None:
        raise InvalidInput("rule_exists", field="district")
    rule = RoutingRule() if rule_id is None else get_row(session, RoutingRule, rule_id, "rule")
    rule.category_id, rule.district, rule.department_id = category_id, district, department_id
    session.add(rule)
    session.flush()
    return rule


def delete_rule(session: Session, rule_id: int) -> None:
    """Remove a routing rule (routing then falls back to the city-wide rule, or to the dispatcher)."""
    session.delete(get_row(session, RoutingRule, rule_id, "rule"))
    session.flush()


def stored_time_limits(session: Session) -> dict[str, Any] | None:
    """The admin's time limits, if any were saved (they win over the TIME_LIMITS setting)."""
    setting = session.get(Setting, TIME_LIMITS_KEY)
    return setting.value if setting and setting.value else None


def save_time_limits(session: Session, limits: dict[str, dict[str, str]], actor: User, now: datetime) -> None:
    """Store new time limits for tickets dispatched from now on; a bad entry is a 400 naming it."""
    for key, entry in limits.items():
        for phase, text in entry.items():
            try:
                sla.parse_limit(text)
            except ValueError:
                raise InvalidInput("bad_time_limit", field=f"{key}-{phase}", value=text) from None
    sla.validate_time_limits(limits)  # every key and phase present
    setting = session.get(Setting, TIME_LIMITS_KEY) or Setting(key=TIME_LIMITS_KEY)
    setting.value, setting.updated_at, setting.updated_by_id = limits, now, actor.id
    session.add(setting)
    session.flush()
