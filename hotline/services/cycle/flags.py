"""红绿黑旗: flag thresholds fixed on the ticket when a clock starts, so any instant's flag is plain SQL.

``sla.flag_for`` judges one deadline with the working calendar. Walking the calendar per ticket
cannot be done in SQL, but its answer for a deadline only ever changes at three instants, which
depend on the ticket alone: the deadline itself (red), the moment the yellow share of the allowed
working time is used up (``*_warn_at``), and the moment the ticket is more than the allowed working
days late (``*_black_at``). They are computed once, in Python, when a clock starts or an extension
moves it; from then on :func:`flag_of` (Python) and :func:`flag_sql` (SQL) give the same answer,
and both agree with ``sla.flag_for`` (tests/hotline/services/cycle/test_flags.py checks this).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, case, func, literal_column, null, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from models import Department, Ticket, TicketStatus
from models.base import UTCDateTime

from ..policy import Policy
from ..sla import Flag
from ..workcal import WorkCalendar
from .rules import CycleRules


SEVERITY = (Flag.GREEN, Flag.YELLOW, Flag.RED, Flag.BLACK)
OPEN_WORK = (TicketStatus.DISPATCHED, TicketStatus.SIGNED)  # a unit holds the ticket and its clock runs
CLOSED_WINDOW = timedelta(days=7)  # how far back the daily job looks for newly closed tickets
# The inbox's flag order, most urgent first; tickets without a flag (no time limit runs) last.
FLAG_RANK = {Flag.BLACK.value: 0, Flag.RED.value: 1, Flag.YELLOW.value: 2, Flag.GREEN.value: 3}
NO_FLAG_RANK = 4


def add_working_time(calendar: WorkCalendar, start: datetime, amount: timedelta) -> datetime:
    """The earliest instant with exactly ``amount`` of working time after ``start`` (to the microsecond)."""
    minutes, rest = divmod(amount, timedelta(minutes=1))
    moment = calendar.add_working_minutes(start, minutes)
    if not rest:
        return moment
    inside = calendar.working_time_between(moment, moment + rest)
    if inside == rest:
        return moment + rest
    # The period closes within the last minute: finish the remainder after the next opening.
    reopening = calendar.add_working_minutes(moment + inside, 0)
    return reopening + (rest - inside)


def warn_at(start: datetime, due: datetime, calendar: WorkCalendar, yellow_share: float,
            paused: timedelta = timedelta()) -> datetime:
    """The instant ``yellow_share`` of the allowed time [start, due) is used, as sla.flag_for measures it.

    ``paused``: working time of [start, due) the ticket spent paused (挂起), already added to ``due``. It is
    no allowed time, so the share is of the rest, and the threshold comes that much later, as resuming
    moves it (pauses.move_clock): a pause then an extension gives the threshold an extension then a pause does.
    """
    allowed = calendar.working_time_between(start, due) - paused
    if allowed > timedelta():
        return add_working_time(calendar, start, paused + allowed * yellow_share)
    # No working time at all (an urgent ticket at night): flag_for falls back to natural time.
    return start + max(due - start, timedelta()) * yellow_share


def black_at(due: datetime, calendar: WorkCalendar, working_days: int) -> datetime:
    """The last instant at which the ticket is late by no more than ``working_days`` working days."""
    reached = calendar.add_working_days(due, working_days)
    # add_working_days stops at a closing time; lateness stays the same until the next opening.
    return calendar.add_working_minutes(reached, 0)


def set_thresholds(ticket: Ticket, policy: Policy, paused: timedelta = timedelta()) -> None:
    """Fix the ticket's flag thresholds from its dispatch time and deadlines (call whenever they change).

    ``paused``: the working time of the round's ended pauses, which the reply deadline already includes
    (a pause needs a signed ticket, so the sign deadline never does).
    """
    rules, calendar, start = policy.cycle_rules, policy.calendar, ticket.dispatched_at
    ticket.sign_warn_at = ticket.sign_black_at = ticket.reply_warn_at = ticket.reply_black_at = None
    if start is None:
        return
    if ticket.sign_by is not None:
        ticket.sign_warn_at = warn_at(start, ticket.sign_by, calendar, rules.yellow_share)
        ticket.sign_black_at = black_at(ticket.sign_by, calendar, rules.black_after_working_days)
    if ticket.reply_by is not None:
        ticket.reply_warn_at = warn_at(start, ticket.reply_by, calendar, rules.yellow_share, paused)
        ticket.reply_black_at = black_at(ticket.reply_by, calendar, rules.black_after_working_days)


def _severity(at: datetime, warn: datetime | None, due: datetime, black: datetime | None) -> int:
    """0 green, 1 yellow, 2 red, 3 black for one deadline judged at ``at``."""
    if black is not None and at > black:
        return 3
    if at > due:
        return 2
    if warn is not None and at >= warn:
        return 1
    return 0


DEFAULT_RULES = CycleRules()


def flag_of(ticket: Ticket, now: datetime, rules: CycleRules = DEFAULT_RULES) -> Flag | None:
    """The ticket's flag at ``now``; None when no time limit runs (never dispatched, returned, answered on the call)."""
    if ticket.reopen_count >= rules.black_after_reopens or (ticket.supervision_black_at is not None and now > ticket.supervision_black_at):
        return Flag.BLACK
    if ticket.reply_by is None:
        return None
    if ticket.paused_at is not None:
        now = min(now, ticket.paused_at)  # 挂起: the clock stands still while the ticket is paused
    # Finished work is judged by when it was finished; the sign deadline counts only while unsigned.
    severity = _severity(ticket.replied_at or now, ticket.reply_warn_at, ticket.reply_by, ticket.reply_black_at)
    if ticket.status == TicketStatus.DISPATCHED and ticket.sign_by is not None:
        severity = max(severity, _severity(now, ticket.sign_warn_at, ticket.sign_by, ticket.sign_black_at))
    return SEVERITY[severity]


def flag_sql(at: ColumnElement, rules: CycleRules = DEFAULT_RULES, supervision: bool = True) -> ColumnElement:
    """The same rule as :func:`flag_of` as a SQL expression over ``tickets`` (a string, or NULL).

    ``supervision=False`` leaves out a supervision case's deadline: the rollups store that flag and the
    reports turn it black for the cases that missed theirs (hotline.services.cycle.rollups).
    """
    t = Ticket
    supervision_at = at
    at = func.coalesce(t.paused_at, at)  # 挂起: a paused ticket is judged at the moment it was paused
    at_reply = func.coalesce(t.replied_at, at)
    unsigned = and_(t.status == TicketStatus.DISPATCHED, t.sign_by.is_not(None))
    reopened = t.reopen_count >= rules.black_after_reopens
    black = or_(reopened, t.supervision_black_at < supervision_at) if supervision else reopened
    return case(
        (black, Flag.BLACK.value),
        (t.reply_by.is_(None), null()),
        (or_(at_reply > t.reply_black_at, and_(unsigned, at > t.sign_black_at)), Flag.BLACK.value),
        (or_(at_reply > t.reply_by, and_(unsigned, at > t.sign_by)), Flag.RED.value),
        (or_(at_reply >= t.reply_warn_at, and_(unsigned, at >= t.sign_warn_at)), Flag.YELLOW.value),
        else_=Flag.GREEN.value,
    )


def rank_sql(flag: ColumnElement) -> ColumnElement:
    """A flag expression's place in the flag order (FLAG_RANK; NO_FLAG_RANK for NULL)."""
    return case(FLAG_RANK, value=flag, else_=NO_FLAG_RANK)


def instant(moment: datetime) -> ColumnElement:
    """A bound aware datetime typed like the columns, so SQLite compares it as the stored UTC text."""
    return bindparam(None, moment, type_=UTCDateTime())


def refresh_flags(session: Session, now: datetime, rules: CycleRules = DEFAULT_RULES) -> int:
    """Store the flag at ``now`` of every ticket whose flag can have changed; returns how many changed."""
    expression = flag_sql(instant(now), rules)
    t = Ticket
    # A closed ticket's flag is final (judged when it was replied) unless a supervision case turns it black,
    # so closed tickets are judged once, by the first run after they close: the window spares the runs
    # from re-reading a year of history, and covers a few missed days. Tickets closed long before the cycle
    # existed keep no stored flag (every figure computes flags live anyway).
    recently_closed = and_(t.closed_at >= instant(now - CLOSED_WINDOW),
                           or_(t.flag_at.is_(None), t.flag_at < t.closed_at))
    # Each arm is bounded by an index: the partial ones on open tickets and on supervised ones (the literal
    # lets SQLite match the partial index's WHERE), and closed_at's.
    unclosed = literal_column("tickets.status") != literal_column(f"'{TicketStatus.CLOSED.value}'")
    may_change = or_(unclosed, t.supervision_black_at.is_not(None), recently_closed)
    changed = func.coalesce(t.flag, "") != func.coalesce(expression, "")
    # The inbox sorts closed tickets by their stored flag (flag_rank) and judges open ones at the instant, so
    # an open ticket's rank stays as it is: a refresh that changes only its flag is then a HOT update, which
    # touches none of the ~25 indexes of tickets (the first run writes ~100 k of them).
    rank = case((t.status == TicketStatus.CLOSED, rank_sql(expression)), else_=t.flag_rank)
    result = session.execute(
        update(Ticket).where(may_change, or_(changed, recently_closed)).values(flag=expression, flag_rank=rank, flag_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def count_by_department(session: Session, now: datetime, department_id: int | None = None,
                        rules: CycleRules = DEFAULT_RULES) -> dict:
    """Open work orders (dispatched or signed) per unit and flag at ``now``, computed in SQL."""
    flag = flag_sql(instant(now), rules).label("flag")
    query = (
        select(Ticket.department_id, flag, func.count().label("n"))
        .where(Ticket.status.in_(OPEN_WORK), Ticket.department_id.is_not(None))
        .group_by(Ticket.department_id, flag)
    )
    if department_id is not None:
        query = query.where(Ticket.department_id == department_id)
    counts: dict[int, dict[str, int]] = {}
    for unit, value, n in session.execute(query):
        if value is not None:  # open work always has a reply-by; guard against rows from before it did
            counts.setdefault(unit, {f.value: 0 for f in SEVERITY})[value] = n
    names = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(counts)))}
    lines = [
        {"department": {"code": names[unit].code, "name": names[unit].name}, **by_flag,
         "total": sum(by_flag.values())}
        for unit, by_flag in counts.items()
    ]
    lines.sort(key=lambda line: (-line["black"], -line["red"], -line["yellow"], line["department"]["code"]))
    city = {f.value: sum(line[f.value] for line in lines) for f in SEVERITY}
    city["total"] = sum(city.values())
    return {"departments": lines, "city": city}
