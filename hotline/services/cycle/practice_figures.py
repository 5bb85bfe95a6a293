"""The monthly report's figures for 挂起, emergency hand-offs and accepted 申诉/核减, over the period only.

Each reads its own period through an index (pauses by the moment they began, hand-offs by their
moment, appeals by their month), never the history before it; the unit lines themselves come from
the rollups (reports.compute).
"""
from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Department, PauseStatus, TicketPause

from .. import count_appeals, emergency
from ..policy import Policy
from . import reports
from .flags import instant
from .periods import Period

_MINUTE = timedelta(minutes=1)


def pause_counts(session: Session, period: Period, policy: Policy, as_of: datetime) -> dict[int, dict[str, int]]:
    """Per unit: tickets whose pause began in the period, and the working minutes paused (a running pause to as_of)."""
    rows = session.execute(
        select(TicketPause.department_id, TicketPause.ticket_id, TicketPause.status, TicketPause.started_at,
               TicketPause.until, TicketPause.resumed_at, TicketPause.paused_minutes)
        .where(TicketPause.started_at >= instant(period.start), TicketPause.started_at < instant(period.end),
               TicketPause.started_at < instant(as_of),
               TicketPause.status.in_((PauseStatus.ACTIVE, PauseStatus.ENDED)))).all()
    tickets: dict[int, set[int]] = {}
    minutes: dict[int, int] = {}
    for unit, ticket_id, status, started, until, resumed, paused in rows:
        if status == PauseStatus.ENDED and resumed is not None and resumed <= as_of:
            spent = paused or 0
        else:  # still running at as_of: its working time so far
            spent = policy.calendar.working_time_between(started, min(as_of, until or as_of)) // _MINUTE
        tickets.setdefault(unit, set()).add(ticket_id)
        minutes[unit] = minutes.get(unit, 0) + spent
    return {unit: {"paused": len(ids), "paused_minutes": minutes[unit]} for unit, ids in tickets.items()}


def monthly(session: Session, period: Period, policy: Policy, as_of: datetime,
            department_id: int | None = None) -> dict[str, Any]:
    """The month's report with accepted appeals left out, pauses per unit, hand-offs and appeals city-wide."""
    weights = policy.cycle_rules.assessment_weights
    body = reports.compute(session, period, as_of, weights, rules=policy.cycle_rules)
    appeals = count_appeals.leave_out_accepted(session, body, period, policy, as_of)
    codes = dict(session.execute(select(Department.id, Department.code)).all())
    pauses = {codes[unit]: counts for unit, counts in pause_counts(session, period, policy, as_of).items()}
    for line in body["departments"]:
        line.update(pauses.get(line["department"]["code"], {"paused": 0, "paused_minutes": 0}))
    if body["city"] is not None:
        body["city"]["paused"] = sum(line["paused"] for line in body["departments"])
        body["city"]["paused_minutes"] = sum(line["paused_minutes"] for line in body["departments"])
    body["emergency"] = emergency.counts(session, period.start, min(period.end, as_of))
    body["count_appeals"] = [count_appeals.appeal_line(a, policy.tz) for a in appeals]
    if department_id is not None:
        body = unit_view(copy.copy(body), codes.get(department_id))
    return body


def unit_view(body: dict[str, Any], code: str | None) -> dict[str, Any]:
    """A monthly report (live or published) as unit `code` reads it: its own lines, no city line, none of the
    city-wide sections (hand-offs, channels) and none of another unit's appeals, re-visits or batches."""
    body["departments"] = [line for line in body["departments"] if line["department"]["code"] == code]
    body["city"] = None
    if "count_appeals" in body:
        body["count_appeals"] = [a for a in body["count_appeals"] if a["department"] == code]
    if "emergency" in body:
        body["emergency"] = None
    for name in ("revisits", "batches"):
        if isinstance(body.get(name), dict):
            body[name] = {"departments": [line for line in body[name]["departments"]
                                          if line["department"]["code"] == code], "city": None}
    if "channels" in body:
        body["channels"] = None
    # {"city": …, "<unit code>": …}; callback_rounds only in revisions published before it joined the headline.
    for name in ("returns_by_reason", "callback_rounds"):
        if isinstance(body.get(name), dict):
            body[name] = {key: value for key, value in body[name].items() if key == code}
    return body
