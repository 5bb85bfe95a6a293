"""退单 reasons from a list (plus the unit's text), and what the dispatcher is offered after a return."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Department, EventAction, TicketEvent

from .cycle.flags import instant
from .cycle.periods import Period
from .errors import InvalidInput
from .routing import RouteCandidate

# The list a returning unit chooses from; "other" also stands for returns recorded before the list existed.
REASONS = ("not_ours", "wrong_district", "needs_several_units", "other")
OTHER = "other"


def check_reason(code: str) -> str:
    """A return reason from the list, or a 400 naming reason_code."""
    if code not in REASONS:
        raise InvalidInput("bad_choice", field="reason_code", name="reason_code", allowed=", ".join(REASONS))
    return code


def reason_of(event: TicketEvent) -> str:
    """The listed reason of a RETURNED event."""
    return (event.data or {}).get("reason_code") or OTHER


def offered_first(candidates: Sequence[RouteCandidate], returned_by: Iterable[str]) -> list[RouteCandidate]:
    """The candidates in the router's order, except that units which returned the ticket come last.

    A unit that has just said "not ours" must not be the one-click first choice again.
    """
    refused = set(returned_by)
    kept = [c for c in candidates if c.department is None or c.department.code not in refused]
    return kept + [c for c in candidates if c.department is not None and c.department.code in refused]


def returned_by(events: Iterable[TicketEvent]) -> list[str]:
    """The codes of the units that returned a ticket, from its RETURNED events."""
    return [e.data["department"] for e in events
            if e.action == EventAction.RETURNED and e.data and e.data.get("department")]


def by_reason(session: Session, period: Period, department_id: int | None = None) -> dict[str, dict[str, int]]:
    """Returns made within ``period`` by listed reason: {"city": {reason: n}, "<unit code>": {reason: n}}.

    A return counts in the month it was made, for the unit that made it (docs/metrics.md).
    """
    reason = func.coalesce(TicketEvent.data["reason_code"].as_string(), OTHER)
    query = (
        select(Department.code, reason.label("reason"), func.count().label("n"))
        .join(Department, Department.id == TicketEvent.department_id)
        .where(TicketEvent.action == EventAction.RETURNED, TicketEvent.at >= instant(period.start),
               TicketEvent.at < instant(period.end))
        .group_by(Department.code, reason)
    )
    if department_id is not None:
        query = query.where(TicketEvent.department_id == department_id)
    found: dict[str, dict[str, int]] = {"city": dict.fromkeys(REASONS, 0)}
    for code, why, n in session.execute(query):
        why = why if why in REASONS else OTHER
        found.setdefault(code, dict.fromkeys(REASONS, 0))[why] += n
        found["city"][why] += n
    if department_id is not None:
        del found["city"]  # a unit reads its own line only, as in the rest of the report
    return found
