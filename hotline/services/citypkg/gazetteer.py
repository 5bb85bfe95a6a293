"""gazetteer (地名): the city, its districts (属地), their streets and aliases; the router reads it from the database."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Place, PlaceKind

from .plan import KindReport, Plan, choice, diff, first_seen
from .sheets import Column

NAMES = ("gazetteer", "地名")
COLUMNS = (
    Column("name", "地名", required=True, max_length=64),
    Column("kind", "类型", required=True),
    Column("district", "所属区县", max_length=32),
)
KINDS = {k.value: k for k in PlaceKind} | {
    "城市": PlaceKind.CITY, "区县": PlaceKind.DISTRICT, "街道": PlaceKind.STREET, "乡镇": PlaceKind.STREET,
    "地名": PlaceKind.STREET, "别名": PlaceKind.ALIAS,
}


def check(session: Session, plan: Plan) -> None:
    """Validate: unique names, one city, every street and alias inside a district of this file."""
    rows = first_seen(plan, plan.rows["gazetteer"], lambda r: r["name"], "name", "place name")
    kinds = {row["name"]: choice(plan, row, "kind", KINDS) for row in rows}
    districts = {name for name, kind in kinds.items() if kind == PlaceKind.DISTRICT}
    records = {}
    cities = 0
    for row in rows:
        kind, district = kinds[row["name"]], row["district"] or None
        if kind == PlaceKind.CITY:
            cities += 1
            if cities > 1:
                plan.problem(row, "kind", "only one row may be the city")
            district = None
        elif kind == PlaceKind.DISTRICT:
            if len(row["name"]) > 32:
                plan.problem(row, "name", "a district's name has at most 32 characters")
            if district not in (None, row["name"]):
                plan.problem(row, "district", "a district belongs to itself: leave this empty")
            district = row["name"]
        elif kind is not None:
            if district is None:
                plan.problem(row, "district", "must not be empty for a street or an alias")
            elif district not in districts:
                plan.problem(row, "district", f"unknown district {district} (no district row of that name)")
        records[row["name"]] = {"kind": kind, "district": district}
    plan.records["gazetteer"] = records
    plan.districts = districts


def from_database(session: Session, plan: Plan) -> None:
    """Without a gazetteer file, rules resolve against the districts in the database."""
    plan.districts = set(session.scalars(select(Place.name).where(Place.kind == PlaceKind.DISTRICT)))


def apply(session: Session, plan: Plan, report: KindReport) -> None:
    """Add, change and remove place names (nothing refers to a place row, so a name left out goes)."""
    records = plan.records["gazetteer"]
    existing = {p.name: p for p in session.scalars(select(Place))}
    for name, wanted in records.items():
        place = existing.get(name)
        if place is None:
            session.add(Place(name=name, **wanted))
            report.added.append(name)
            continue
        changes = diff({"kind": place.kind, "district": place.district}, wanted)
        if changes:
            report.changed.append(f"{name}: " + "; ".join(changes))
            place.kind, place.district = wanted["kind"], wanted["district"]
        else:
            report.unchanged += 1
    for name, place in existing.items():
        if name not in records:
            session.delete(place)
            report.retired.append(name)
    session.flush()


def export(session: Session) -> list[list[str]]:
    """Every place name, in the order entered."""
    return [[p.name, p.kind.value, p.district if p.kind not in (PlaceKind.CITY, PlaceKind.DISTRICT) else ""]
            for p in session.scalars(select(Place).order_by(Place.id))]
