"""routing rules (派单规则): category × district → unit; no district is the city-wide default."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Category, Department, RoutingRule

from .plan import KindReport, Plan
from .sheets import Column, Problem

NAMES = ("rules", "派单规则")
COLUMNS = (
    Column("category", "类别", required=True, max_length=64),
    Column("district", "区县", max_length=32),
    Column("unit", "承办单位", required=True, max_length=32),
)


def check(session: Session, plan: Plan) -> None:
    """Validate: one rule per (category, district), each naming a known category, district and unit."""
    records: dict = {}
    first_row: dict = {}
    for row in plan.rows["rules"]:
        key = (row["category"], row["district"] or None)
        if key in first_row:
            plan.problem(row, "district", f"duplicate rule for {key[0]} in {key[1] or 'the whole city'} "
                                          f"(first on row {first_row[key]})")
            continue
        first_row[key] = row.number
        if row["category"] and row["category"] not in plan.categories:
            plan.problem(row, "category", f"unknown category {row['category']}")
        if key[1] and key[1] not in plan.districts:
            plan.problem(row, "district", f"unknown district {key[1]} (not a district of the gazetteer)")
        if row["unit"] and row["unit"] not in plan.units:
            plan.problem(row, "unit", f"unknown unit {row['unit']} (not an active unit code)")
        records[key] = {"unit": row["unit"]}
    plan.records["rules"] = records


def from_database(session: Session, plan: Plan) -> None:
    """Without a rules file, the rules in the database must still point at units and categories that stay."""
    rows = session.execute(select(Category.name, RoutingRule.district, Department.code)
                           .join(Category, Category.id == RoutingRule.category_id)
                           .join(Department, Department.id == RoutingRule.department_id)).all()
    for category, district, unit in rows:
        where = f"rule {category} × {district or 'city-wide'} → {unit}"
        if unit not in plan.units:
            plan.problems.append(Problem(plan.present.get("units", "units"), None, None,
                                         f"unit {unit} would be deactivated but the database's {where} still "
                                         "sends work to it: include a rules file"))
        if category not in plan.categories:
            plan.problems.append(Problem(plan.present.get("categories", "categories"), None, None,
                                         f"category {category} would be deactivated but the database has {where}: "
                                         "include a rules file"))
        if district and district not in plan.districts:
            plan.problems.append(Problem(plan.present.get("gazetteer", "gazetteer"), None, None,
                                         f"district {district} would be removed but the database has {where}: "
                                         "include a rules file"))


def apply(session: Session, plan: Plan, report: KindReport) -> None:
    """Add and change rules; remove those the file left out (routing then falls back to the city-wide rule)."""
    records = plan.records["rules"]
    categories = {c.name: c for c in session.scalars(select(Category))}
    units = {d.code: d for d in session.scalars(select(Department))}
    existing = {(r.category.name, r.district): r for r in session.scalars(select(RoutingRule))}
    for key, wanted in records.items():
        label = f"{key[0]} × {key[1] or '全市'}"
        rule = existing.get(key)
        if rule is None:
            session.add(RoutingRule(category=categories[key[0]], district=key[1], department=units[wanted["unit"]]))
            report.added.append(f"{label} → {wanted['unit']}")
        elif rule.department.code != wanted["unit"]:
            report.changed.append(f"{label}: unit {rule.department.code} → {wanted['unit']}")
            rule.department = units[wanted["unit"]]
        else:
            report.unchanged += 1
    for key, rule in existing.items():
        if key not in records:
            session.delete(rule)
            report.retired.append(f"{key[0]} × {key[1] or '全市'} → {rule.department.code}")
    session.flush()


def export(session: Session) -> list[list[str]]:
    """Every rule, by category then district (city-wide first)."""
    rules = session.scalars(select(RoutingRule).join(Category, Category.id == RoutingRule.category_id)
                            .order_by(Category.id, RoutingRule.district.is_not(None), RoutingRule.district))
    return [[r.category.name, r.district or "", r.department.code] for r in rules]
