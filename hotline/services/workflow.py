"""The ticket lifecycle: the only code that changes a ticket's status, and it logs an event each time.

Every function takes the session, the ticket, the acting user (None for the system) and `now`,
flushes nothing itself and never commits: the caller owns the transaction.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from models import (
    Callback,
    Category,
    Department,
    EventAction,
    ExtensionRequest,
    ExtensionStatus,
    KBEntry,
    Role,
    Satisfaction,
    Ticket,
    TicketEvent,
    TicketGrade,
    TicketStatus,
    User,
)

from . import callbacks, claims, outbox, pauses, returns, sla
from .cycle import flags as cycle_flags
from .cycle import work_orders
from .errors import Conflict, InvalidInput, InvalidTransition, NotFound
from .notes import Note, note as system_note
from .policy import Policy


S = TicketStatus

# Which statuses each action may start from; anything else is a 409.
ALLOWED_FROM: dict[EventAction, frozenset[TicketStatus]] = {
    EventAction.ROUTED: frozenset({S.PENDING_DISPATCH}),
    EventAction.QUEUED: frozenset({S.PENDING_DISPATCH}),
    EventAction.ANSWERED_ON_CALL: frozenset({S.PENDING_DISPATCH}),
    EventAction.ASSIGNED: frozenset({S.PENDING_DISPATCH, S.DISPATCHED}),
    EventAction.SIGNED: frozenset({S.DISPATCHED}),
    EventAction.RETURNED: frozenset({S.DISPATCHED}),
    EventAction.EXTENSION_REQUESTED: frozenset({S.DISPATCHED, S.SIGNED}),
    EventAction.EXTENSION_APPROVED: frozenset({S.DISPATCHED, S.SIGNED}),
    EventAction.EXTENSION_REJECTED: frozenset({S.DISPATCHED, S.SIGNED}),
    EventAction.REPLIED: frozenset({S.SIGNED}),
    EventAction.CALLBACK_UNREACHED: frozenset({S.REPLIED}),
    EventAction.CALLBACK_UNREACHABLE: frozenset({S.REPLIED}),
    EventAction.REOPENED: frozenset({S.REPLIED}),
    EventAction.CLOSED: frozenset({S.REPLIED}),
    # A duplicate is merged while it waits for the dispatcher, before any unit's clock runs on it.
    EventAction.MERGED: frozenset({S.PENDING_DISPATCH}),
    # 疑难: any time until the ticket is closed.
    EventAction.FLAGGED_DIFFICULT: frozenset({S.PENDING_DISPATCH, S.DISPATCHED, S.SIGNED, S.REPLIED}),
    # Handed to 110 / 119 / 120 / 122 … at intake, before any unit's clock could start.
    EventAction.EMERGENCY_HANDED_OFF: frozenset({S.PENDING_DISPATCH}),
    # 回头看 calls a closed ticket again; 集中交办 hands over open work (a unit already working on it keeps it).
    EventAction.REVISITED: frozenset({S.CLOSED}),
    EventAction.BATCHED: frozenset({S.PENDING_DISPATCH, S.DISPATCHED, S.SIGNED, S.REPLIED}),
    # 分级 until the unit replies; co-units reply their part and handlers change while the unit has it.
    EventAction.GRADED: frozenset({S.PENDING_DISPATCH, S.DISPATCHED, S.SIGNED}),
    EventAction.CO_UNIT_REPLIED: frozenset({S.DISPATCHED, S.SIGNED}),
    EventAction.HANDLER_ASSIGNED: frozenset({S.DISPATCHED, S.SIGNED}),
}



def allows(ticket: Ticket, action: EventAction) -> bool:
    """Whether the ticket's status allows the action now (what a page offers)."""
    return ticket.status in ALLOWED_FROM[action]


def _check(session: Session, ticket: Ticket, action: EventAction) -> None:
    """Refuse an action the ticket's status does not allow, or one that lost a race for the ticket."""
    if ticket.status not in ALLOWED_FROM[action]:
        raise InvalidTransition("action_not_allowed", number=ticket.number, action=action.value,
                                status=ticket.status.value)
    take(session, ticket)


def take(session: Session, ticket: Ticket) -> None:
    """Hold the ticket for this transaction, or a 409 if someone changed it since it was read."""
    if not claims.try_claim(session, ticket):
        raise Conflict("concurrent_change", number=ticket.number, status=ticket.status.value)


def record(
    session: Session,
    ticket: Ticket,
    action: EventAction,
    actor: User | None,
    now: datetime,
    *,
    to_status: TicketStatus | None = None,
    note: str | Note = "",
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    """Append an event (and change the status if `to_status` is given).

    A system note (a `Note`) is written out in English and kept as code and parameters in ``data["note"]``.
    """
    if isinstance(note, Note):
        note, data = note.text, {**(data or {}), "note": note.as_data()}
    take(session, ticket)  # free when the action already holds it; a bare event must not race either
    from_status = ticket.status
    if to_status is not None:
        ticket.status = to_status
    event = TicketEvent(
        ticket=ticket,
        at=now,
        actor_id=actor.id if actor else None,
        action=action,
        from_status=from_status,
        to_status=ticket.status,
        department_id=ticket.department_id,
        note=note,
        data=data,
    )
    session.add(event)
    outbox.on_event(session, ticket, event)  # who must hear of it is told in the same transaction
    return event


def record_escalations(
    session: Session, phase: str, marked: list[tuple[int, TicketStatus, int | None, datetime]], now: datetime,
) -> None:
    """催办: one ESCALATED event per (ticket id, status, unit, missed deadline), in one INSERT for the daily job."""
    if not marked:
        return
    why = system_note("deadline_missed", deadline=phase)
    session.execute(insert(TicketEvent), [
        {"ticket_id": ticket_id, "at": now, "actor_id": None, "action": EventAction.ESCALATED,
         "from_status": status, "to_status": status, "department_id": department_id,
         "note": why.text, "data": {"deadline": phase, "due": deadline.isoformat(), "note": why.as_data()}}
        for ticket_id, status, department_id, deadline in marked
    ])
    outbox.on_urged(session, [row[0] for row in marked], phase, now)  # each unit hears of its 催办


def require_own_unit(ticket: Ticket, actor: User) -> None:
    """A department user may act only on its own unit's tickets; others' look like they don't exist."""
    if actor.role == Role.DEPARTMENT and ticket.department_id != actor.department_id:
        raise NotFound("ticket_not_found", field="number", number=ticket.number)


def _iso(moment: datetime | None) -> str | None:
    """A deadline as it is written into an event's data: ISO 8601 in UTC (the reports compare it in SQL)."""
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def _deadlines(ticket: Ticket) -> dict[str, str | None]:
    """The round's deadlines, recorded with every event that starts a clock (docs/metrics.md §4)."""
    return {"sign_by": _iso(ticket.sign_by), "reply_by": _iso(ticket.reply_by)}


def _start_clock(ticket: Ticket, policy: Policy, now: datetime) -> None:
    """Set sign-by and reply-by from the moment the unit receives the work order."""
    deadlines = sla.deadlines(
        now, ticket.appeal_type.value, ticket.urgency.value, ticket.is_enterprise,
        policy.calendar, policy.time_limits,
    )
    ticket.dispatched_at = now
    ticket.sign_by = deadlines.sign_by
    ticket.reply_by = deadlines.reply_by
    ticket.signed_at = None
    ticket.replied_at = None
    ticket.callback_due_at = None
    cycle_flags.set_thresholds(ticket, policy)


def receive(session: Session, ticket: Ticket, actor: User | None, now: datetime) -> TicketEvent:
    """Log the creation of a new ticket, waiting for dispatch."""
    ticket.status = S.PENDING_DISPATCH
    session.add(ticket)
    claims.hold_new(session, ticket)
    event = record(session, ticket, EventAction.CREATED, actor, now, note=ticket.channel.value)
    event.from_status = None
    return event


def dispatch(
    session: Session, ticket: Ticket, department: Department, category: Category | None,
    policy: Policy, now: datetime, *, actor: User | None = None, note: str | Note = "",
) -> TicketEvent:
    """Send the ticket to a unit: automatically (actor None) or by a dispatcher."""
    action = EventAction.ROUTED if actor is None else EventAction.ASSIGNED
    _check(session, ticket, action)
    previous = ticket.department
    if previous is None or previous.id != department.id:
        ticket.handler_id = None  # a handler belongs to the unit the ticket leaves
    # The lead unit is no co-unit of its own ticket; a reopened on-the-spot (A) ticket is a unit's (B) now.
    ticket.co_units = [c for c in ticket.co_units if c.department_id != department.id]
    if ticket.grade == TicketGrade.A:
        ticket.grade = TicketGrade.B
    ticket.department = department
    ticket.department_id = department.id
    if category is not None:
        ticket.category = category
        ticket.category_id = category.id
    _start_clock(ticket, policy, now)
    data = {"department": department.code, "category": category.name if category else None, **_deadlines(ticket)}
    if previous is not None and previous.id != department.id:
        data["previous_department"] = previous.code
    event = record(session, ticket, action, actor, now, to_status=S.DISPATCHED, note=note, data=data)
    work_orders.note(session, ticket, event, policy.tz)
    return event


def queue_for_dispatcher(session: Session, ticket: Ticket, now: datetime, reason: Note) -> TicketEvent:
    """Leave the ticket to a dispatcher, saying why the router did not send it."""
    _check(session, ticket, EventAction.QUEUED)
    ticket.routing_note = reason.text[:200]
    ticket.routing_reason = reason.as_data()
    return record(session, ticket, EventAction.QUEUED, None, now, note=reason)


def answer_on_call(
    session: Session, ticket: Ticket, reply: str, actor: User, now: datetime, *, policy: Policy | None = None,
    kb_entry: KBEntry | None = None, category: Category | None = None,
) -> TicketEvent:
    """即来即办: the operator answered on the call (from `kb_entry`, if given), so the ticket goes to callback.

    `category` (the entry's unit's, or the model's) makes the call count in its category like any other.
    """
    _check(session, ticket, EventAction.ANSWERED_ON_CALL)
    if not reply.strip():
        raise InvalidInput("on_call_reply_required", field="reply")
    if category is not None:
        ticket.category = category
        ticket.category_id = category.id
    ticket.resolved_on_call = True
    ticket.grade = TicketGrade.A  # 当场办
    ticket.reply = reply
    ticket.replied_at = now
    _schedule_callback(ticket, policy, now)
    # Which answer was read out stays with the ticket: the entry may be edited or retired later.
    data = {"kb_entry": kb_entry.id, "kb_source": kb_entry.source} if kb_entry is not None else {}
    if category is not None:
        data["category"] = category.name
    return record(session, ticket, EventAction.ANSWERED_ON_CALL, actor, now, to_status=S.REPLIED, data=data or None)


def sign(session: Session, ticket: Ticket, actor: User, now: datetime) -> TicketEvent:
    """签收: the unit accepts the work order."""
    require_own_unit(ticket, actor)
    _check(session, ticket, EventAction.SIGNED)
    ticket.signed_at = now
    # The sign-by in force goes into the event: a later reopen clears signed_at, the event keeps the verdict.
    event = record(session, ticket, EventAction.SIGNED, actor, now, to_status=S.SIGNED,
                   data={"sign_by": _iso(ticket.sign_by)})
    work_orders.note(session, ticket, event)
    return event


def return_ticket(
    session: Session, ticket: Ticket, reason: str, actor: User, policy: Policy, now: datetime, *,
    reason_code: str = returns.OTHER,
) -> TicketEvent:
    """退单: a misrouted ticket goes back to the dispatcher, before signing and at most twice.

    `reason_code` is one of hotline.services.returns.REASONS (reported by reason); `reason` the unit's words.
    """
    require_own_unit(ticket, actor)
    _check(session, ticket, EventAction.RETURNED)
    returns.check_reason(reason_code)
    if not reason.strip():
        raise InvalidInput("return_reason_required", field="reason")
    if ticket.return_count >= policy.max_returns:
        # After the last allowed return the dispatcher's decision stands (no 踢皮球).
        raise InvalidTransition("return_limit_reached", number=ticket.number, count=ticket.return_count,
                                limit=policy.max_returns)
    if ticket.sign_by is not None and now > ticket.sign_by:
        # A unit may refuse a misrouted ticket only while it is still within its sign limit.
        raise InvalidTransition("return_past_sign_limit", number=ticket.number,
                                sign_by=ticket.sign_by.astimezone(policy.tz).isoformat(timespec="minutes"))
    _void_pending_extension(session, ticket, actor, now, "the ticket was returned before a decision")
    department = ticket.department
    event = record(session, ticket, EventAction.RETURNED, actor, now, to_status=S.PENDING_DISPATCH,
                   note=reason, data={"department": department.code if department else None,
                                      "reason_code": reason_code})
    work_orders.note(session, ticket, event)
    ticket.return_count += 1
    ticket.department = None
    ticket.department_id = None
    ticket.handler_id = None
    ticket.sign_by = ticket.reply_by = ticket.dispatched_at = None
    cycle_flags.set_thresholds(ticket, policy)  # no clock runs, so no flag
    return event


def request_extension(
    session: Session, ticket: Ticket, reason: str, working_days: int, actor: User, policy: Policy, now: datetime,
) -> ExtensionRequest:
    """延期申请: one request per handling round (a reopen or a re-dispatch starts a new one), decided by a supervisor."""
    require_own_unit(ticket, actor)
    _check(session, ticket, EventAction.EXTENSION_REQUESTED)
    if not reason.strip():
        raise InvalidInput("extension_reason_required", field="reason")
    if not 1 <= working_days <= policy.max_extension_working_days:
        raise InvalidInput("extension_days_out_of_range", field="working_days",
                           limit=policy.max_extension_working_days)
    if extension_asked_this_round(session, ticket):
        raise InvalidTransition("extension_already_requested", number=ticket.number)
    request = ExtensionRequest(
        ticket=ticket, department_id=ticket.department_id, reason=reason, working_days=working_days,
        status=ExtensionStatus.PENDING, requested_by_id=actor.id, requested_at=now,
    )
    session.add(request)
    record(session, ticket, EventAction.EXTENSION_REQUESTED, actor, now, note=reason,
           data={"working_days": working_days})
    return request


# Each of these starts a handling round: a (re)dispatch to a unit, or a reopen (重办) with a fresh clock.
ROUND_STARTS = (EventAction.ROUTED, EventAction.ASSIGNED, EventAction.REOPENED)


def extension_asked_this_round(session: Session, ticket: Ticket) -> bool:
    """Whether an extension was already asked in the ticket's current handling round (one per round)."""
    started = (select(func.max(TicketEvent.id))
               .where(TicketEvent.ticket_id == ticket.id, TicketEvent.action.in_(ROUND_STARTS)).scalar_subquery())
    return bool(session.scalar(select(func.count()).where(
        TicketEvent.ticket_id == ticket.id, TicketEvent.action == EventAction.EXTENSION_REQUESTED,
        TicketEvent.id > func.coalesce(started, 0))))


def _void_pending_extension(session: Session, ticket: Ticket, actor: User, now: datetime, why: str) -> None:
    """Close an undecided request the ticket has outgrown, so it can't move another unit's deadline."""
    request = session.scalar(select(ExtensionRequest).where(
        ExtensionRequest.ticket_id == ticket.id, ExtensionRequest.status == ExtensionStatus.PENDING))
    if request is None:
        return
    request.status, request.decided_at, request.decision_note = ExtensionStatus.REJECTED, now, why
    record(session, ticket, EventAction.EXTENSION_REJECTED, actor, now, note=why,
           data={"working_days": request.working_days, "automatic": True})


def pending_extension(session: Session, ticket: Ticket) -> ExtensionRequest:
    """The ticket's undecided extension request, or a 409 if there is none."""
    request = session.scalar(
        select(ExtensionRequest).where(
            ExtensionRequest.ticket_id == ticket.id, ExtensionRequest.status == ExtensionStatus.PENDING
        )
    )
    if request is None:
        raise InvalidTransition("no_pending_extension", number=ticket.number)
    return request


def decide_extension(
    session: Session, ticket: Ticket, approve: bool, actor: User, policy: Policy, now: datetime, note: str = "",
) -> ExtensionRequest:
    """A supervisor approves (moving reply-by by the granted working days) or rejects the request."""
    request = pending_extension(session, ticket)
    action = EventAction.EXTENSION_APPROVED if approve else EventAction.EXTENSION_REJECTED
    _check(session, ticket, action)
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    request.decided_by_id = actor.id
    request.decided_at = now
    request.decision_note = note
    data: dict[str, Any] = {"working_days": request.working_days}
    if approve:
        data["previous_reply_by"] = ticket.reply_by.isoformat() if ticket.reply_by else None
        ticket.reply_by = sla.extend(ticket.reply_by or now, request.working_days, policy.calendar)
        # A pause that ended in this round moved reply-by; it is not allowed time the yellow share is taken of.
        cycle_flags.set_thresholds(ticket, policy, pauses.paused_this_round(session, ticket, policy.calendar))
        ticket.extension_count += 1
        data["reply_by"] = ticket.reply_by.isoformat()
    record(session, ticket, action, actor, now, note=note, data=data)
    return request


def reply(
    session: Session, ticket: Ticket, text: str, actor: User, now: datetime, *, policy: Policy | None = None,
) -> TicketEvent:
    """办结回复: the unit reports what it did."""
    require_own_unit(ticket, actor)
    _check(session, ticket, EventAction.REPLIED)
    if not text.strip():
        raise InvalidInput("reply_required", field="reply")
    _void_pending_extension(session, ticket, actor, now, "the unit replied before a decision")
    pauses.end_before_reply(session, ticket, actor, policy, now)  # the reply is judged against the moved deadline
    ticket.reply = text
    ticket.replied_at = now
    _schedule_callback(ticket, policy, now)
    # The reply-by in force (extension included) goes into the event, which outlives a reopen's fresh clock.
    event = record(session, ticket, EventAction.REPLIED, actor, now, to_status=S.REPLIED, note=text[:500],
                   data={"reply_by": _iso(ticket.reply_by)})
    work_orders.note(session, ticket, event)
    return event


def _schedule_callback(ticket: Ticket, policy: Policy | None, now: datetime) -> None:
    """每日一回访: the callback is due within CALLBACK_WORKING_DAYS of the reply (else the daily job sets it)."""
    if policy is not None:
        ticket.callback_due_at = policy.calendar.add_working_days(now, policy.cycle_rules.callback_working_days)


def link_repeat(session: Session, ticket: Ticket, original_id: int, reason: str, actor: User | None,
                now: datetime) -> None:
    """Link the ticket to the first ticket of the matter (by id) and count the repeat there.

    The count is one atomic increment that also bumps the original's version (claims), returning the
    row: concurrent repeats of one matter each count, with no read of the original before it.
    """
    original = claims.bump(session, Ticket, original_id, repeat_count=Ticket.repeat_count + 1)
    ticket.repeat_of = original
    record(session, ticket, EventAction.LINKED_REPEAT, actor, now,
           note=system_note("repeat_of", original=original.number, reason=reason), data={"original": original.number})
    record(session, original, EventAction.LINKED_REPEAT, actor, now,
           note=system_note("repeated_by", repeat=ticket.number, reason=reason),
           data={"repeat": ticket.number, "repeat_count": original.repeat_count})


def merge_repeat(
    session: Session, ticket: Ticket, original: Ticket, actor: User, now: datetime, note: str = "",
) -> TicketEvent:
    """合并重复件: close a duplicate waiting for dispatch into the first ticket of its matter, linking the two."""
    _check(session, ticket, EventAction.MERGED)
    root = original.repeat_of or original  # links always point at the first ticket of a matter
    for other in (root, ticket.repeat_of):
        if other is not None:
            claims.lock(session, other)  # its repeat counter changes: count from its latest value
    if root.id == ticket.id or original.id == ticket.id:
        raise InvalidInput("merge_into_itself", field="original", number=ticket.number)
    previous = ticket.repeat_of
    if previous is None or previous.id != root.id:
        # Linked elsewhere (or not at all) before: the repeat now counts for this matter only.
        if previous is not None:
            previous.repeat_count = max(0, previous.repeat_count - 1)
            record(session, previous, EventAction.LINKED_REPEAT, actor, now,
                   note=system_note("unlinked_by_merge", repeat=ticket.number, original=root.number),
                   data={"unlinked": ticket.number, "repeat_count": previous.repeat_count})
        root.repeat_count += 1
        ticket.repeat_of = root
    # Repeats that pointed at the duplicate follow it to the first ticket, each with an event saying so.
    for child in session.scalars(select(Ticket).where(Ticket.repeat_of_id == ticket.id)):
        child.repeat_of = root
        root.repeat_count += 1
        ticket.repeat_count = max(0, ticket.repeat_count - 1)
        record(session, child, EventAction.LINKED_REPEAT, actor, now,
               note=system_note("repeat_of_merged", original=root.number),
               data={"original": root.number, "previous_original": ticket.number})
    ticket.closed_at = now
    data = {"original": root.number, "previous_original": previous.number if previous else None}
    event = record(session, ticket, EventAction.MERGED, actor, now, to_status=S.CLOSED,
                   note=note or system_note("merged_into", original=root.number), data=data)
    record(session, root, EventAction.LINKED_REPEAT, actor, now,
           note=system_note("merged_here", repeat=ticket.number),
           data={"repeat": ticket.number, "merged": True, "repeat_count": root.repeat_count})
    return event


def flag_difficult(session: Session, ticket: Ticket, reason: str, actor: User, now: datetime) -> TicketEvent:
    """疑难工单: flag the ticket for the director's supervision (主任督办); it becomes a supervision candidate."""
    _check(session, ticket, EventAction.FLAGGED_DIFFICULT)
    if not reason.strip():
        raise InvalidInput("difficult_reason_required", field="reason")
    if ticket.difficult:
        raise InvalidTransition("already_difficult", number=ticket.number)
    ticket.difficult = True
    return record(session, ticket, EventAction.FLAGGED_DIFFICULT, actor, now, note=reason)


def note_attachment(session: Session, ticket: Ticket, attachment: Any, actor: User | None, now: datetime) -> TicketEvent:
    """Log a photo or PDF added to the ticket (no status change).

    A confidential caller's file names stay out of the history units read (保密): they may name the caller.
    """
    return record(session, ticket, EventAction.ATTACHED, actor, now, note="" if ticket.confidential else attachment.filename,
                  data={"content_type": attachment.content_type, "size": attachment.size,
                        "source": attachment.source})


def unreached_attempts(session: Session, ticket: Ticket) -> int:
    """Unanswered callback attempts since the ticket's latest reply."""
    return callbacks.unreached_counts(session, [ticket.id]).get(ticket.id, 0)


def record_callback(
    session: Session, ticket: Ticket, actor: User, policy: Policy, now: datetime, *,
    reached: bool, solved: bool | None = None, satisfaction: Satisfaction | None = None, comment: str = "",
) -> Callback:
    """回访: unreached attempts count up to 无法联系; unsolved or 不满意 reopens; otherwise the ticket closes."""
    _check(session, ticket, EventAction.CLOSED)
    if reached and solved is None:
        raise InvalidInput("callback_solved_required", field="solved")
    if reached and satisfaction is None:
        raise InvalidInput("callback_satisfaction_required", field="satisfaction")
    if not reached:
        callbacks.check_retry_interval(session, ticket, policy, now)
    attempt = unreached_attempts(session, ticket) + 1
    callback = Callback(
        ticket_id=ticket.id, department_id=ticket.department_id, attempt=attempt, at=now, actor_id=actor.id,
        reached=reached, solved=solved if reached else None,
        satisfaction=satisfaction if reached else None, comment=comment,
    )
    session.add(callback)
    if not reached:
        if attempt >= policy.max_callback_attempts:
            ticket.callback_unreachable = True
            ticket.closed_at = now
            record(session, ticket, EventAction.CALLBACK_UNREACHABLE, actor, now, to_status=S.CLOSED,
                   note=comment, data={"attempt": attempt})
        else:
            record(session, ticket, EventAction.CALLBACK_UNREACHED, actor, now, note=comment,
                   data={"attempt": attempt})
        return callback
    ticket.solved = solved
    ticket.satisfaction = satisfaction
    data = {"solved": solved, "satisfaction": satisfaction.value}
    if solved and satisfaction != Satisfaction.UNSATISFIED:
        ticket.closed_at = now
        record(session, ticket, EventAction.CLOSED, actor, now, to_status=S.CLOSED, note=comment, data=data)
    else:
        _reopen(session, ticket, actor, policy, now, comment, data)
    return callback


def _reopen(
    session: Session, ticket: Ticket, actor: User, policy: Policy, now: datetime, note: str, data: dict[str, Any],
) -> None:
    """重办: back to the same unit with a fresh clock; a ticket answered on the call goes to the dispatcher."""
    ticket.reopen_count += 1
    if ticket.department_id is None:
        record(session, ticket, EventAction.REOPENED, actor, now, to_status=S.PENDING_DISPATCH, note=note, data=data)
        return
    _start_clock(ticket, policy, now)
    record(session, ticket, EventAction.REOPENED, actor, now, to_status=S.DISPATCHED, note=note,
           data={**data, **_deadlines(ticket)})


def hand_off_emergency(session: Session, ticket: Ticket, service: str, note: str, actor: User | None,
                       now: datetime) -> TicketEvent:
    """Emergency hand-off: the call went to an emergency service; saved closed, never dispatched, no clock runs."""
    _check(session, ticket, EventAction.EMERGENCY_HANDED_OFF)
    ticket.emergency_service, ticket.emergency_note, ticket.emergency_at = service, note, now
    ticket.closed_at = now
    return record(session, ticket, EventAction.EMERGENCY_HANDED_OFF, actor, now, to_status=S.CLOSED, note=note,
                  data={"service": service})
def record_revisit(
    session: Session, ticket: Ticket, department: Department, held: bool, comment: str, actor: User,
    policy: Policy, now: datetime, *, revisit_id: int,
) -> TicketEvent:
    """回头看: the fix held (an event), or it did not and the ticket goes back to the unit that closed it."""
    _check(session, ticket, EventAction.REVISITED)
    data = {"revisit": revisit_id, "held": held}
    event = record(session, ticket, EventAction.REVISITED, actor, now, note=comment, data=data)
    if not held:
        ticket.reopen_count += 1
        ticket.closed_at = None
        ticket.department, ticket.department_id = department, department.id
        _start_clock(ticket, policy, now)
        record(session, ticket, EventAction.REOPENED, actor, now, to_status=S.DISPATCHED, note=comment,
               data={**data, **_deadlines(ticket)})
    return event


def hand_over_in_batch(
    session: Session, ticket: Ticket, department: Department, batch_id: int, deadline: datetime, actor: User,
    policy: Policy, now: datetime,
) -> TicketEvent:
    """集中交办: assign the ticket to the batch's unit (unless that unit already has it), then log the batch."""
    _check(session, ticket, EventAction.BATCHED)
    data = {"batch": batch_id, "department": department.code, "deadline": _iso(deadline)}
    if ticket.department_id != department.id or ticket.status == S.PENDING_DISPATCH:
        if ticket.status not in ALLOWED_FROM[EventAction.ASSIGNED]:
            # Another unit signed or replied already: taking it away mid-handling is not a hand-over.
            raise InvalidTransition("batch_ticket_busy", number=ticket.number, status=ticket.status.value)
        dispatch(session, ticket, department, None, policy, now, actor=actor,
                 note=system_note("batch_handed_over", batch=batch_id))
    return record(session, ticket, EventAction.BATCHED, actor, now, data=data,
                  note=system_note("batch_handed_over", batch=batch_id))
def note_identity_viewed(session: Session, ticket: Ticket, actor: User, now: datetime) -> TicketEvent:
    """保密: log that centre staff looked at a confidential caller's identity.

    A look changes nothing on the ticket, so it claims nothing: it must not make a colleague's action a 409.
    """
    event = TicketEvent(ticket=ticket, at=now, actor_id=actor.id, action=EventAction.IDENTITY_VIEWED,
                        from_status=ticket.status, to_status=ticket.status, department_id=ticket.department_id,
                        note="", data={"role": actor.role.value})
    session.add(event)
    return event
