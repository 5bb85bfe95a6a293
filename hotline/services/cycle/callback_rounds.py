"""满意率 with every round judged (docs/metrics.md §4a): each reached callback counts, for the unit of its round.

A ticket reopened (重办) after an unsatisfied callback and then satisfied has one unsatisfied and one
satisfied callback, not a clean record. A callback counts in the month it was made, for the unit the
ticket was with when it was made (``callbacks.department_id``); 即来即办 callbacks have no unit and count
city-wide only.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from models import Callback, Department, Satisfaction

from .flags import instant
from .periods import Period

FIGURES = ("reached", "solved", "satisfied", "basically_satisfied", "unsatisfied")


def _line(counts: dict[str, int]) -> dict[str, Any]:
    """Counts plus the exact-then-rounded satisfaction and solved rates of one line."""
    from .reports import published, rate  # the report's own rounding (reports imports this module)

    reached = counts["reached"]
    return {**counts,
            "rates": {"satisfaction": published(rate(counts["satisfied"] + counts["basically_satisfied"], reached)),
                      "solved": published(rate(counts["solved"], reached))}}


def by_round(session: Session, period: Period, department_id: int | None = None) -> dict[str, dict[str, Any]]:
    """Reached callbacks made within ``period``, each judging its round: {"city": line, "<unit code>": line}."""
    c = Callback
    query = (
        select(Department.code,
               func.count().label("reached"),
               func.count(case((c.solved.is_(True), 1))).label("solved"),
               *(func.count(case((c.satisfaction == value, 1))).label(value.value) for value in Satisfaction))
        .select_from(c).outerjoin(Department, Department.id == c.department_id)
        .where(c.reached.is_(True), c.at >= instant(period.start), c.at < instant(period.end))
        .group_by(Department.code)
    )
    if department_id is not None:
        query = query.where(c.department_id == department_id)
    city = dict.fromkeys(FIGURES, 0)
    found: dict[str, dict[str, Any]] = {}
    for row in session.execute(query):
        counts = {name: int(row._mapping[name]) for name in FIGURES}
        for name in FIGURES:
            city[name] += counts[name]
        if row.code is not None:
            found[row.code] = _line(counts)
    if department_id is None:
        found["city"] = _line(city)
    return found
