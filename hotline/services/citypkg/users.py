"""users (用户): username, name, role, unit; never a password: each new user gets a one-time one."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Department, Role, User

from .plan import KindReport, NewSecret, Plan, choice, diff, first_seen
from .sheets import Column

NAMES = ("users", "用户")
COLUMNS = (
    Column("username", "用户名", required=True, max_length=64),
    Column("name", "姓名", max_length=64),
    Column("role", "角色", required=True),
    Column("unit", "单位", max_length=32),
)
ROLES = {r.value: r for r in Role} | {
    "话务员": Role.OPERATOR, "派单员": Role.DISPATCHER, "承办单位": Role.DEPARTMENT, "回访督办": Role.SUPERVISOR,
    "回访员": Role.SUPERVISOR, "督办": Role.SUPERVISOR, "管理员": Role.ADMIN,
}


def check(session: Session, plan: Plan) -> None:
    """Validate: unique usernames, known roles, a unit for (and only for) department users."""
    rows = first_seen(plan, plan.rows["users"], lambda r: r["username"], "username", "username")
    records = {}
    for row in rows:
        role = choice(plan, row, "role", ROLES)
        unit = row["unit"] or None
        if role == Role.DEPARTMENT and unit is None:
            plan.problem(row, "unit", "a department user needs a unit code")
        elif role is not None and role != Role.DEPARTMENT and unit is not None:
            plan.problem(row, "unit", f"only department users belong to a unit ({role.value} sees the whole city)")
        elif unit is not None and unit not in plan.units:
            plan.problem(row, "unit", f"unknown unit {unit} (not an active unit code)")
        records[row["username"]] = {"display_name": row["name"], "role": role, "unit": unit}
    plan.records["users"] = records


def from_database(session: Session, plan: Plan) -> None:
    """Nothing else refers to users; users left out of a file stay as they are."""


def apply(session: Session, plan: Plan, report: KindReport, new_secret: NewSecret,
          passwords: list[tuple[str, str]]) -> None:
    """Add new users with a one-time password each (into `passwords`); change name, role, unit of the others."""
    units = {d.code: d for d in session.scalars(select(Department))}
    existing = {u.username: u for u in session.scalars(select(User))}
    for username, wanted in plan.records["users"].items():
        unit = units[wanted["unit"]] if wanted["unit"] else None
        user = existing.get(username)
        if user is None:
            shown, password_hash = new_secret(username)
            # A password printed for someone to hand over is one-time (the demo's shared password is not).
            session.add(User(username=username, display_name=wanted["display_name"], role=wanted["role"],
                             department=unit, password_hash=password_hash, must_change_password=shown is not None))
            report.added.append(username)
            if shown is not None:
                passwords.append((username, shown))
            continue
        old = {"display_name": user.display_name, "role": user.role,
               "unit": user.department.code if user.department else None}
        changes = diff(old, wanted)
        if changes:
            report.changed.append(f"{username}: " + "; ".join(changes))
            user.display_name, user.role, user.department = wanted["display_name"], wanted["role"], unit
        else:
            report.unchanged += 1
    session.flush()


def export(session: Session) -> list[list[str]]:
    """Every user (no password, no hash)."""
    return [[u.username, u.display_name, u.role.value, u.department.code if u.department else ""]
            for u in session.scalars(select(User).order_by(User.id))]
