"""Period figures per department and city-wide (每月一通报, 每年一考核), aggregated in SQL.

Every figure is defined in docs/metrics.md (hotline.services.cycle.figures writes it as SQL). A
department's tickets for a period are the work orders whose *first* dispatch to it (a ROUTED or
ASSIGNED event naming it) falls in the period, so each (ticket, unit) pair counts in exactly one
month and twelve months add up to the year. Counts come from SQL (GROUP BY unit) over the period's
rollups and open work orders; :func:`recount` counts the same from the events. Python only turns a
few dozen rows of counts into rates, scores and ranks. The callback counts (reached, solved, 满意度) are
every reached callback of the period, for the unit of its round (callback_rounds), not one per work order.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import DateTime, and_, case, cast, exists, func, or_, select, text
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from models import Department, DepartmentKind, EventAction, Ticket, TicketEvent

from .. import returns
from . import callback_rounds, figures, grades, practice_report, rollups
from .figures import COUNTS, DISPATCH_ACTIONS, FLAGS
from .flags import DEFAULT_RULES, flag_sql, instant
from .periods import Period
from .rules import CycleRules

# name → (numerator, denominator) of every rate; see docs/metrics.md.
RATES = {
    "sign_on_time": ("signed_on_time", "due_to_sign"),  # 签收及时率 (= the assessment's response rate)
    "reply_on_time": ("replied_on_time", "due_to_reply"),  # 按时办结率
    "callback": ("called_back", "replied"),  # 回访率
    "solved": ("solved", "reached"),  # 解决率
    "satisfaction": ("satisfied_or_basically", "reached"),  # 满意率
    "return": ("returned", "assigned"),  # 退单率
    "reopen": ("reopened", "replied"),  # 重办率
}
# The assessment score's components (CycleRules.assessment_weights keys) and the rate each one is.
SCORE_RATES = {"response": "sign_on_time", "solved": "solved", "satisfaction": "satisfaction"}


def work_orders(period: Period):
    """(ticket_id, department_id) of every work order first dispatched to its unit within ``period``."""
    event, earlier = aliased(TicketEvent), aliased(TicketEvent)
    dispatched_before = (
        exists()
        .where(earlier.ticket_id == event.ticket_id, earlier.department_id == event.department_id,
               earlier.action.in_(DISPATCH_ACTIONS), earlier.at < instant(period.start))
    )
    return (
        select(event.ticket_id.label("ticket_id"), event.department_id.label("department_id"))
        .where(event.action.in_(DISPATCH_ACTIONS), event.department_id.is_not(None),
               event.at >= instant(period.start), event.at < instant(period.end), ~dispatched_before)
        .distinct()
        .subquery("work")
    )


def _after(dialect: str, moment: ColumnElement, deadline: ColumnElement) -> ColumnElement:
    """``moment > deadline`` where ``deadline`` is an ISO 8601 text from an event's data (NULL if absent)."""
    if dialect == "postgresql":
        return moment > cast(deadline, DateTime(timezone=True))
    # SQLite keeps the column as naive UTC text and the data as ISO text with an offset: compare as instants.
    return func.julianday(moment) > func.julianday(deadline)


def round_events(work, dialect: str) -> dict[str, ColumnElement]:
    """Whether the work order's unit signed / replied in an earlier round (its deadline recorded), and late.

    The SIGNED and REPLIED events carry the sign-by / reply-by in force when they happened, so a round
    stays judged after a reopen (重办) has cleared ``signed_at`` / ``replied_at`` and started a new clock.
    A signed or replied round ends only by a reopen (nothing else leaves ``signed`` or ``replied``), so a
    ticket never reopened has no earlier round: its events say what its columns say, and the lookup is
    skipped (``reopen_count > 0`` first: the events are read for the few reopened tickets only).
    """
    e = aliased(TicketEvent, name="round_event")

    def any_event(action: EventAction, *conditions) -> ColumnElement:
        return and_(Ticket.reopen_count > 0, exists().where(
            e.ticket_id == work.c.ticket_id, e.department_id == work.c.department_id, e.action == action,
            *conditions))

    sign_by, reply_by = e.data["sign_by"].as_string(), e.data["reply_by"].as_string()
    return {
        "signed": any_event(EventAction.SIGNED, sign_by.is_not(None)),
        "signed_late": any_event(EventAction.SIGNED, _after(dialect, e.at, sign_by)),
        "replied": any_event(EventAction.REPLIED, reply_by.is_not(None)),
        "replied_late": any_event(EventAction.REPLIED, _after(dialect, e.at, reply_by)),
    }


def count_rows(session: Session, period: Period, as_of: datetime,
               rules: CycleRules = DEFAULT_RULES) -> dict[int | None, dict]:
    """The raw counts of every unit with work orders or callbacks in ``period``, judged at ``as_of``.

    Read from the period's rollup rows and its open work orders (hotline.services.cycle.rollups) and its
    callbacks (callback_rounds), never from the history before it; key ``None`` holds the 即来即办 callbacks
    (the city line's only). No JIT: compiling the plan took longer than running it (docs/scale.md).
    """
    no_jit(session)
    return figures.with_callbacks(rollups.count_rows(session, period, as_of, rules),
                                  callback_rounds.counts(session, period, as_of))


def no_jit(session: Session) -> None:
    """Turn PostgreSQL's JIT off for the rest of the transaction: a period's queries gain nothing from it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


def recount(session: Session, period: Period, as_of: datetime,
            rules: CycleRules = DEFAULT_RULES) -> dict[int | None, dict]:
    """The same counts straight from ``tickets`` and ``ticket_events``, as docs/metrics.md words them.

    Reads every earlier dispatch event: for checking the rollups (tests, audits), not for serving reports.
    """
    work = work_orders(period)
    returns = (
        select(TicketEvent.ticket_id, TicketEvent.department_id)
        .where(TicketEvent.action == EventAction.RETURNED).distinct().subquery("returns")
    )
    at = instant(as_of)
    rounds = round_events(work, session.get_bind().dialect.name)
    columns = figures.counted(figures.conditions(
        work.c.department_id, returns.c.ticket_id.is_not(None), rounds, flag_sql(at, rules), at))
    query = (
        select(work.c.department_id, *(expr.label(name) for name, expr in columns.items()))
        .select_from(work)
        .join(Ticket, Ticket.id == work.c.ticket_id)
        .outerjoin(returns, and_(returns.c.ticket_id == work.c.ticket_id,
                                 returns.c.department_id == work.c.department_id))
        .group_by(work.c.department_id)
    )
    rows = {row.department_id: {name: int(row._mapping[name]) for name in figures.SUMMED}
            for row in session.execute(query)}
    return figures.with_callbacks(rows, callbacks_from_events(session, period, as_of))


def callbacks_from_events(session: Session, period: Period, as_of: datetime) -> dict[int | None, dict[str, int]]:
    """Every reached callback of the period as its event recorded the judgement (``data.satisfaction``).

    A reached callback writes CLOSED or REOPENED with ``data.solved`` / ``data.satisfaction``, for the unit
    the ticket is with (``E.department_id``, None for 即来即办); a merged duplicate's caller writes
    CALLED_BACK_WITH_ORIGINAL, for the unit of the original. The rule of callback_rounds, counted from the
    other record (the events, not ``callbacks``), to check it.
    """
    e, duplicate, original = TicketEvent, aliased(Ticket), aliased(Ticket)
    with_original = e.action == EventAction.CALLED_BACK_WITH_ORIGINAL
    unit = case((with_original, original.department_id), else_=e.department_id)
    satisfaction, solved = e.data["satisfaction"].as_string(), e.data["solved"].as_boolean()
    query = (
        select(unit.label("unit"), satisfaction.label("satisfaction"), solved.label("solved"),
               func.count().label("n")).select_from(e)
        .outerjoin(duplicate, and_(with_original, duplicate.id == e.ticket_id))
        .outerjoin(original, original.id == duplicate.repeat_of_id)
        .where(e.action.in_((EventAction.CLOSED, EventAction.REOPENED, EventAction.CALLED_BACK_WITH_ORIGINAL)),
               satisfaction.is_not(None), e.at >= instant(period.start), e.at < instant(min(period.end, as_of)))
        .group_by(unit, satisfaction, solved)
    )
    found: dict[int | None, dict[str, int]] = {}
    for row in session.execute(query):
        counts = found.setdefault(row.unit, dict.fromkeys(callback_rounds.COUNTS, 0))
        counts["reached"] += row.n
        counts["solved"] += row.n if row.solved else 0
        counts[row.satisfaction] += row.n
    return found


def rate(numerator: int, denominator: int) -> Fraction | None:
    """numerator / denominator exactly, or None when nothing was due (never 0 or 100 %)."""
    return Fraction(numerator, denominator) if denominator else None


def published(value: Fraction | None, places: int = 4) -> float | None:
    """A rate as published: a fraction rounded half up to ``places`` decimals."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def score(rates: Mapping[str, Fraction | None], weights: Mapping[str, float]) -> Fraction | None:
    """100 × the weighted mean of the response, solved and satisfaction rates; None if any is missing."""
    parts = [rates[SCORE_RATES[key]] for key in SCORE_RATES]
    if any(part is None for part in parts):
        return None
    exact_weights = [Fraction(str(weights[key])) for key in SCORE_RATES]
    return 100 * sum(w * p for w, p in zip(exact_weights, parts, strict=True)) / sum(exact_weights)


def line(counts: Mapping[str, int], weights: Mapping[str, float]) -> tuple[dict[str, Any], Fraction | None]:
    """One report line (counts, flag counts, rates, score) and its exact score for ranking."""
    body: dict[str, Any] = {name: int(counts.get(name, 0)) for name in COUNTS if name != "overdue"}
    body["overdue"] = body["due_to_reply"] - body["replied_on_time"]
    values = {**body, "satisfied_or_basically": body["satisfied"] + body["basically_satisfied"]}
    exact = {name: rate(values[num], values[den]) for name, (num, den) in RATES.items()}
    body["flags"] = {value: int(counts.get(f"flag_{value}", 0)) for value in FLAGS}
    body["rates"] = {name: published(value) for name, value in exact.items()}
    exact_score = score(exact, weights)
    body["score"] = published(exact_score, 2)
    return body, exact_score


def compute(
    session: Session, period: Period, as_of: datetime, weights: Mapping[str, float],
    department_id: int | None = None, rules: CycleRules = DEFAULT_RULES,
) -> dict[str, Any]:
    """The report of ``period`` as of ``as_of``: a line per unit (ranked by score) and the city-wide line."""
    rows = count_rows(session, period, as_of, rules)  # every unit, even for one unit's line: its rank is among all
    units = [key for key in rows if key is not None]  # None: 即来即办 callbacks, the city line's only
    query = select(Department).where(or_(
        Department.id.in_(units), and_(Department.active.is_(True), Department.kind != DepartmentKind.CENTRE)))
    lines, scores, own_code = [], [], None
    for department in session.scalars(query):
        body, exact_score = line(rows.get(department.id, {}), weights)
        lines.append({"department": {"code": department.code, "name": department.name}, **body})
        scores.append(exact_score)
        if department.id == department_id:
            own_code = department.code
    _rank(lines, scores)
    if department_id is not None:
        lines = [body for body in lines if body["department"]["code"] == own_code]
    totals = {name: sum(int(row.get(name, 0)) for row in rows.values()) for name in COUNTS if name != "overdue"}
    totals.update({f"flag_{value}": sum(row[f"flag_{value}"] for row in rows.values()) for value in FLAGS})
    city, _ = line(totals, weights)
    body = {
        "kind": period.kind,
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_of": as_of.astimezone(period.tz).isoformat(),
        "timezone": str(period.tz),
        "weights": dict(weights),
        "departments": lines,
        "city": None if department_id is not None else city,
        "grades": grades.grade_counts(session, period),  # 分级: city-wide counts, no unit's line in them
        # 退单 by listed reason, in the month each return was made (hotline/services/returns.py).
        "returns_by_reason": returns.by_reason(session, period, department_id),
    }
    if period.kind == "monthly":  # 回头看, 集中交办 and the hosted channels (hotline.services.cycle.practice_report)
        body.update(practice_report.sections(session, period, as_of, weights, rules, department_id))
    return body


def _rank(lines: list[dict[str, Any]], scores: list[Fraction | None]) -> None:
    """Rank by exact score, highest first; equal scores share a rank (1, 2, 2, 4); no score, no rank."""
    ranked = sorted((s for s in scores if s is not None), reverse=True)
    for body, exact in zip(lines, scores, strict=True):
        body["rank"] = None if exact is None else ranked.index(exact) + 1
    order = sorted(range(len(lines)), key=lambda i: (
        lines[i]["rank"] is None, lines[i]["rank"] or 0, -lines[i]["assigned"], lines[i]["department"]["code"]))
    lines[:] = [lines[i] for i in order]
