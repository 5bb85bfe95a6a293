"""The headline 满意率 and 解决率 counts (docs/metrics.md §4): every reached callback judges the round it follows.

A ticket reopened (重办) after an unsatisfied callback and then satisfied has one unsatisfied and one
satisfied callback, not a clean record. A callback counts in the month it was made, for the unit the
ticket was with when it was made (``callbacks.department_id``); 即来即办 callbacks have no unit and count
city-wide only. The period is bounded through ``ix_callbacks_at``: a report reads its own callbacks only.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from models import Callback, Satisfaction, Ticket

from ..practice_rules import HOSTED_CHANNELS
from .flags import instant
from .periods import Period

# The counts of a report line that are callbacks, not work orders.
COUNTS = ("reached", "solved", "satisfied", "basically_satisfied", "unsatisfied")


def counts(session: Session, period: Period, as_of: datetime, by: str = "unit") -> dict[Any, dict[str, int]]:
    """Reached callbacks made within ``period`` (and by ``as_of``), per unit (``None``: 即来即办) or, with
    ``by="channel"``, per hosted channel of the ticket (units' rounds only)."""
    c = Callback
    key = c.department_id if by == "unit" else Ticket.channel
    query = (
        select(key.label("key"),
               func.count().label("reached"),
               func.count(case((c.solved.is_(True), 1))).label("solved"),
               *(func.count(case((c.satisfaction == value, 1))).label(value.value) for value in Satisfaction))
        .select_from(c)
        .where(c.reached.is_(True), c.at >= instant(period.start), c.at < instant(min(period.end, as_of)))
        .group_by(key)
    )
    if by == "channel":
        query = query.join(Ticket, Ticket.id == c.ticket_id).where(
            c.department_id.is_not(None), Ticket.channel.in_(HOSTED_CHANNELS))
    found: dict[Any, dict[str, int]] = {}
    for row in session.execute(query):
        found[row.key] = {name: int(row._mapping[name]) for name in COUNTS}
    return found
