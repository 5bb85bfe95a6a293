"""挂起: a unit asks to stop a ticket's clock while it waits on the citizen or a third party.

A supervisor approves (the clock stops at once, for at most the working days asked) or rejects. While
the ticket is paused (``tickets.paused_at`` set) its flags and the reports judge it at the moment it
was paused. Resuming, by the unit or by the daily job at the approved end, moves the deadlines and the
flag thresholds by the working time the pause lasted. The events are written through the workflow.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session, selectinload
from sqlalchemy.sql import Select

from models import EventAction, PauseReason, PauseStatus, Role, Ticket, TicketPause, TicketStatus, User

from . import workflow
from .cycle import flags as cycle_flags
from .errors import InvalidInput, InvalidTransition
from .policy import Policy
from .workcal import WorkCalendar

# A unit pauses work it has taken on (签收); a ticket waiting to be signed has nothing to wait for yet.
PAUSABLE = frozenset({TicketStatus.SIGNED})
_MINUTE = timedelta(minutes=1)


def _iso(moment: datetime | None) -> str | None:
    """A moment as events record it: ISO 8601 in UTC."""
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def _check(session: Session, ticket: Ticket, action: EventAction) -> None:
    """A 409 unless the ticket is signed; then hold it for this transaction."""
    if ticket.status not in PAUSABLE:
        raise InvalidTransition("action_not_allowed", number=ticket.number, action=action.value,
                                status=ticket.status.value)
    workflow.take(session, ticket)


def _find(session: Session, ticket: Ticket, status: PauseStatus) -> TicketPause | None:
    """The ticket's pause in ``status`` (there is at most one pending and one running)."""
    return session.scalar(select(TicketPause).where(TicketPause.ticket_id == ticket.id, TicketPause.status == status))


def request_pause(session: Session, ticket: Ticket, reason: PauseReason, note: str, working_days: int, actor: User,
                  policy: Policy, now: datetime) -> TicketPause:
    """The unit asks to pause: why (from the list, and in words) and for how many working days at most."""
    workflow.require_own_unit(ticket, actor)
    _check(session, ticket, EventAction.PAUSE_REQUESTED)
    if not note.strip():
        raise InvalidInput("required", field="note", name="note")
    limit = policy.practice_rules.max_pause_working_days
    if not 1 <= working_days <= limit:
        raise InvalidInput("out_of_range", field="working_days", name="working_days", minimum=1, maximum=limit)
    if ticket.paused_at is not None:
        raise InvalidTransition("already_paused", number=ticket.number)
    if _find(session, ticket, PauseStatus.PENDING) is not None:
        raise InvalidTransition("pause_already_pending", number=ticket.number)
    pause = TicketPause(ticket=ticket, department_id=ticket.department_id, reason=reason, note=note,
                        working_days=working_days, status=PauseStatus.PENDING, requested_by_id=actor.id,
                        requested_at=now)
    session.add(pause)
    workflow.record(session, ticket, EventAction.PAUSE_REQUESTED, actor, now, note=note,
                    data={"reason": reason.value, "working_days": working_days})
    return pause


def pending_pause(session: Session, ticket: Ticket) -> TicketPause:
    """The ticket's undecided pause request, or a 409."""
    pause = _find(session, ticket, PauseStatus.PENDING)
    if pause is None:
        raise InvalidTransition("no_pending_pause", number=ticket.number)
    return pause


def decide_pause(session: Session, ticket: Ticket, approve: bool, actor: User, policy: Policy, now: datetime,
                 note: str = "") -> TicketPause:
    """A supervisor approves (the clock stops now, until at most the working days asked) or rejects."""
    pause = pending_pause(session, ticket)
    action = EventAction.PAUSE_APPROVED if approve else EventAction.PAUSE_REJECTED
    _check(session, ticket, action)
    pause.decided_by_id, pause.decided_at, pause.decision_note = actor.id, now, note
    data: dict[str, Any] = {"reason": pause.reason.value, "working_days": pause.working_days}
    if approve:
        pause.status = PauseStatus.ACTIVE
        pause.started_at = now
        pause.until = policy.calendar.add_working_days(now, pause.working_days)
        ticket.paused_at = now
        data["until"] = _iso(pause.until)
    else:
        pause.status = PauseStatus.REJECTED
    workflow.record(session, ticket, action, actor, now, note=note, data=data)
    return pause


def running_pause(session: Session, ticket: Ticket) -> TicketPause:
    """The ticket's running pause, or a 409 if it is not paused."""
    pause = _find(session, ticket, PauseStatus.ACTIVE) if ticket.paused_at is not None else None
    if pause is None:
        raise InvalidTransition("not_paused", number=ticket.number)
    return pause


def resume(session: Session, ticket: Ticket, actor: User, policy: Policy, now: datetime) -> TicketPause:
    """The unit (or a supervisor) restarts the clock; the deadlines move by the working time paused."""
    if actor.role == Role.DEPARTMENT:
        workflow.require_own_unit(ticket, actor)
    pause = running_pause(session, ticket)
    _check(session, ticket, EventAction.RESUMED)
    _end(session, ticket, pause, actor, policy.calendar, policy, now)
    return pause


def resume_due(session: Session, policy: Policy, now: datetime) -> int:
    """The daily job: every pause whose approved end has passed ends there; returns how many."""
    due = list(session.scalars(
        select(TicketPause).options(selectinload(TicketPause.ticket))
        .where(TicketPause.status == PauseStatus.ACTIVE, TicketPause.until <= now).order_by(TicketPause.id)))
    for pause in due:
        _end(session, pause.ticket, pause, None, policy.calendar, policy, now)
    return len(due)


def end_before_reply(session: Session, ticket: Ticket, actor: User, policy: Policy | None, now: datetime) -> None:
    """The unit replies: a pending request is void, a running pause ends now (the reply is judged after it)."""
    pending = _find(session, ticket, PauseStatus.PENDING)
    if pending is not None:
        pending.status, pending.decided_at = PauseStatus.REJECTED, now
        pending.decision_note = "the unit replied before a decision"
        workflow.record(session, ticket, EventAction.PAUSE_REJECTED, actor, now, note=pending.decision_note,
                        data={"working_days": pending.working_days, "automatic": True})
    if ticket.paused_at is not None:
        pause = _find(session, ticket, PauseStatus.ACTIVE)
        if pause is not None:
            calendar = policy.calendar if policy is not None else WorkCalendar()
            _end(session, ticket, pause, actor, calendar, policy, now)


def _end(session: Session, ticket: Ticket, pause: TicketPause, actor: User | None, calendar: WorkCalendar,
         policy: Policy | None, now: datetime) -> None:
    """Stop the pause at ``now`` (at its approved end if that came first) and move the clock by its working time."""
    ended = min(now, pause.until) if pause.until is not None else now
    moved = calendar.working_time_between(pause.started_at, ended)
    previous = {"sign_by": _iso(ticket.sign_by), "reply_by": _iso(ticket.reply_by)}
    move_clock(ticket, moved, calendar, policy)
    ticket.paused_at = None
    pause.status, pause.resumed_at = PauseStatus.ENDED, ended
    pause.resumed_by_id = actor.id if actor else None
    pause.paused_minutes = moved // _MINUTE
    workflow.record(session, ticket, EventAction.RESUMED, actor, now, data={
        "paused_minutes": pause.paused_minutes, "automatic": actor is None, "resumed_at": _iso(ended),
        "previous_sign_by": previous["sign_by"], "previous_reply_by": previous["reply_by"],
        "sign_by": _iso(ticket.sign_by), "reply_by": _iso(ticket.reply_by)})


def move_clock(ticket: Ticket, moved: timedelta, calendar: WorkCalendar, policy: Policy | None) -> None:
    """Move the running deadlines and their flag thresholds by ``moved`` working time.

    The sign deadline moves only while unsigned: a signature already judged stays judged. The black
    threshold is defined from the deadline, so it is computed again from the moved one.
    """
    if not moved:
        return
    shift = lambda moment: cycle_flags.add_working_time(calendar, moment, moved) if moment else moment  # noqa: E731
    black_days = policy.cycle_rules.black_after_working_days if policy is not None else 5
    if ticket.signed_at is None and ticket.sign_by is not None:
        ticket.sign_by, ticket.sign_warn_at = shift(ticket.sign_by), shift(ticket.sign_warn_at)
        ticket.sign_black_at = cycle_flags.black_at(ticket.sign_by, calendar, black_days)
    if ticket.reply_by is not None:
        ticket.reply_by, ticket.reply_warn_at = shift(ticket.reply_by), shift(ticket.reply_warn_at)
        ticket.reply_black_at = cycle_flags.black_at(ticket.reply_by, calendar, black_days)


def paused_this_round(session: Session, ticket: Ticket, calendar: WorkCalendar) -> timedelta:
    """The working time the ticket's ended pauses of its current handling round lasted: what resuming added to
    its reply deadline (the same measure as _end's), so recomputing the thresholds must not count it as allowed."""
    if ticket.dispatched_at is None:
        return timedelta()
    ended = session.execute(select(TicketPause.started_at, TicketPause.resumed_at).where(
        TicketPause.ticket_id == ticket.id, TicketPause.status == PauseStatus.ENDED,
        TicketPause.started_at >= cycle_flags.instant(ticket.dispatched_at))).all()
    return sum((calendar.working_time_between(started, resumed) for started, resumed in ended), timedelta())


def of_ticket(session: Session, ticket: Ticket) -> list[TicketPause]:
    """The ticket's pause requests, oldest first."""
    return list(session.scalars(select(TicketPause).where(TicketPause.ticket_id == ticket.id).order_by(TicketPause.id)))


def pending() -> Select:
    """Pause requests waiting for a supervisor, oldest first, with their tickets and units."""
    return (select(TicketPause)
            .options(selectinload(TicketPause.ticket).selectinload(Ticket.department),
                     selectinload(TicketPause.department))
            .where(TicketPause.status == PauseStatus.PENDING)
            .order_by(TicketPause.requested_at, TicketPause.id))


def paused_json(ticket: Ticket, tz) -> dict[str, Any] | None:
    """The ticket's running pause for its JSON (None when the clock runs)."""
    if ticket.paused_at is None:
        return None
    session = object_session(ticket)
    pause = _find(session, ticket, PauseStatus.ACTIVE) if session is not None else None
    return {
        "since": ticket.paused_at.astimezone(tz).isoformat(),
        "until": pause.until.astimezone(tz).isoformat() if pause is not None and pause.until else None,
        "reason": pause.reason.value if pause is not None else None,
        "note": pause.note if pause is not None else None,
    }
