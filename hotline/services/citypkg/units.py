"""units (单位): code, name, parent, kind; a unit missing from the file is deactivated, never deleted."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Department, DepartmentKind

from .plan import KindReport, Plan, choice, diff, first_seen
from .sheets import Column

NAMES = ("units", "单位")
COLUMNS = (
    Column("code", "编码", required=True, max_length=32),
    Column("name", "名称", required=True, max_length=100),
    Column("parent", "上级", max_length=32),
    Column("kind", "类型", required=True),
)
KINDS = {k.value: k for k in DepartmentKind} | {
    "市直部门": DepartmentKind.BUREAU, "区县": DepartmentKind.DISTRICT, "街道": DepartmentKind.STREET,
    "乡镇": DepartmentKind.STREET, "公共事业": DepartmentKind.UTILITY, "热线中心": DepartmentKind.CENTRE,
}


def check(session: Session, plan: Plan) -> None:
    """Validate the rows: kinds, unique codes and names, known parents, no cycle; names held by retired units."""
    rows = first_seen(plan, plan.rows["units"], lambda r: r["code"], "code", "code")
    rows = first_seen(plan, rows, lambda r: r["name"], "name", "name")
    codes = {r["code"] for r in rows}
    records = {}
    for row in rows:
        kind = choice(plan, row, "kind", KINDS)
        parent = row["parent"] or None
        if parent == row["code"]:
            plan.problem(row, "parent", "a unit cannot be its own parent")
            parent = None  # reported once, not again as a cycle
        elif parent and parent not in codes:
            plan.problem(row, "parent", f"unknown parent {parent} (not a code in this file)")
        records[row["code"]] = {"name": row["name"], "kind": kind, "parent": parent, "active": True}
    _check_cycles(plan, rows, records)
    # A retired unit keeps its name, so a new code may not take it (the database's names are unique).
    held = {d.name: d.code for d in session.scalars(select(Department)) if d.code not in codes}
    for row in rows:
        if row["name"] in held:
            plan.problem(row, "name", f"name is held by unit {held[row['name']]}, which is not in this file; "
                                      f"use code {held[row['name']]} to keep it")
    plan.records["units"] = records
    plan.units = {code: r["kind"] for code, r in records.items()}


def _check_cycles(plan: Plan, rows, records) -> None:
    """One problem per cycle in the parent links, at the row of its first unit."""
    reported: set[str] = set()
    for row in rows:
        path, code = [], row["code"]
        while code is not None and code in records and code not in path:
            path.append(code)
            code = records[code]["parent"]
        if code is not None and code in path and code == row["code"] and not reported & set(path):
            reported |= set(path)
            plan.problem(row, "parent", "cycle in the hierarchy: " + " → ".join([*path, code]))


def from_database(session: Session, plan: Plan) -> None:
    """Without a units file, references resolve against the active units in the database."""
    plan.units = {d.code: d.kind for d in session.scalars(select(Department).where(Department.active.is_(True)))}


def apply(session: Session, plan: Plan, report: KindReport) -> None:
    """Add new units, change edited ones, deactivate those the file left out."""
    records = plan.records["units"]
    existing = {d.code: d for d in session.scalars(select(Department))}
    # Names are unique: park the renamed ones first, so two units may swap names in one import.
    renamed = [existing[c] for c, w in records.items() if c in existing and existing[c].name != w["name"]]
    old_names = {unit.code: unit.name for unit in renamed}
    for unit in renamed:
        unit.name = f"~renaming~{unit.code}"  # unique (codes are); PostgreSQL refuses NUL bytes
    session.flush()
    for code, wanted in records.items():
        unit = existing.get(code)
        if unit is None:
            unit = existing[code] = Department(code=code, name=wanted["name"], kind=wanted["kind"], active=True)
            session.add(unit)
            report.added.append(code)
            continue
        changes = diff(_state(unit, old_names), wanted)
        if changes:
            report.changed.append(f"{code}: " + "; ".join(changes))
        else:
            report.unchanged += 1
        unit.name, unit.kind, unit.active = wanted["name"], wanted["kind"], True
    session.flush()
    for code, wanted in records.items():
        existing[code].parent_id = existing[wanted["parent"]].id if wanted["parent"] else None
    for code, unit in existing.items():
        if code not in records and unit.active:
            unit.active = False
            report.retired.append(code)
    session.flush()


def _state(unit: Department, old_names: dict[str, str]) -> dict:
    """A unit as the file describes one (with its name before parking)."""
    return {"name": old_names.get(unit.code, unit.name), "kind": unit.kind, "parent": unit.parent.code if unit.parent else None,
            "active": unit.active}


def export(session: Session) -> list[list[str]]:
    """The active units, parents first as they were entered."""
    units = session.scalars(select(Department).where(Department.active.is_(True)).order_by(Department.id))
    return [[u.code, u.name, u.parent.code if u.parent else "", u.kind.value] for u in units]
