"""categories (类别): the catalogue whose names the router predicts; a category left out is deactivated."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Category

from .plan import KindReport, Plan, diff, first_seen
from .sheets import Column

NAMES = ("categories", "类别")
COLUMNS = (
    Column("name", "名称", required=True, max_length=64),
    Column("description", "说明", max_length=200),
)


def check(session: Session, plan: Plan) -> None:
    """Validate the rows: unique names."""
    rows = first_seen(plan, plan.rows["categories"], lambda r: r["name"], "name", "category")
    plan.records["categories"] = {r["name"]: {"description": r["description"], "active": True} for r in rows}
    plan.categories = set(plan.records["categories"])


def from_database(session: Session, plan: Plan) -> None:
    """Without a categories file, rules resolve against the active categories in the database."""
    plan.categories = set(session.scalars(select(Category.name).where(Category.active.is_(True))))


def apply(session: Session, plan: Plan, report: KindReport) -> None:
    """Add, change, and deactivate the categories the file left out."""
    records = plan.records["categories"]
    existing = {c.name: c for c in session.scalars(select(Category))}
    for name, wanted in records.items():
        category = existing.get(name)
        if category is None:
            session.add(Category(name=name, **wanted))
            report.added.append(name)
            continue
        changes = diff({"description": category.description, "active": category.active}, wanted)
        if changes:
            report.changed.append(f"{name}: " + "; ".join(changes))
        else:
            report.unchanged += 1
        category.description, category.active = wanted["description"], True
    for name, category in existing.items():
        if name not in records and category.active:
            category.active = False
            report.retired.append(name)
    session.flush()


def export(session: Session) -> list[list[str]]:
    """The active categories."""
    return [[c.name, c.description] for c in
            session.scalars(select(Category).where(Category.active.is_(True)).order_by(Category.id))]
