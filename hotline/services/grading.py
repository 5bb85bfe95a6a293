"""分级解决: a ticket's ABCD grade, who supervises it, and the co-handling units (协办) of a grade C ticket.

A is answered on the spot (即来即办 sets it), B goes to one unit (every dispatch's default), C needs a lead
unit (主办, the unit the ticket is dispatched to) and co-handling units that each reply their part, D needs
a city leader's decision. A dispatcher or supervisor sets or changes the grade; each change is a GRADED event.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from models import (
    EventAction,
    SupervisionCase,
    SupervisionStatus,
    Ticket,
    TicketCoUnit,
    TicketEvent,
    TicketGrade,
    User,
)

from . import claims, directory, workflow
from .cycle.supervision import level_for
from .errors import Conflict, InvalidInput, InvalidTransition

G = TicketGrade
# Who supervises a ticket of each grade (当场办 / 部门办 / 市领导办).
SUPERVISED_BY = {G.A: "on_the_spot", G.B: "department", G.C: "department", G.D: "city_leader"}


def supervised_by(grade: TicketGrade) -> str:
    """Who supervises a ticket of this grade: on_the_spot (当场办), department (部门办) or city_leader (市领导办)."""
    return SUPERVISED_BY[grade]


def claim_action(session: Session, ticket: Ticket, action: EventAction) -> None:
    """Refuse an action the ticket's status does not allow (409), then hold the ticket against a racing action."""
    if not workflow.allows(ticket, action):
        raise InvalidTransition("action_not_allowed", number=ticket.number, action=action.value,
                                status=ticket.status.value)
    workflow.take(session, ticket)


def intake_grade(grade: TicketGrade | None, on_call: bool) -> TicketGrade:
    """The grade a new call starts with: A when answered on the call, else the operator's choice or B."""
    if on_call:
        if grade not in (None, G.A):
            raise InvalidInput("grade_on_call_is_a", field="grade", grade=grade.value)
        return G.A
    if grade == G.A:
        raise InvalidInput("grade_a_on_call_only", field="grade")
    return grade or G.B


def _co_units(session: Session, ticket: Ticket, codes: Sequence[str]) -> list[int]:
    """The ids of the named active units, in the order given, none twice and none the lead unit."""
    ids: list[int] = []
    for code in codes:
        department = directory.active_department(session, code, field="co_units")
        if department.id == ticket.department_id:
            raise InvalidInput("co_unit_is_lead", field="co_units", code=code)
        if department.id not in ids:
            ids.append(department.id)
    return ids


def set_grade(
    session: Session, ticket: Ticket, grade: TicketGrade, actor: User, now: datetime, *,
    lead: str | None = None, co_units: Sequence[str] = (),
) -> TicketEvent:
    """Set or change the grade (C with its co-handling units); the ticket's open supervision cases follow it."""
    claim_action(session, ticket, EventAction.GRADED)
    if grade == G.A and not ticket.resolved_on_call:
        raise InvalidInput("grade_a_on_call_only", field="grade")
    if lead is not None:
        if grade != G.C:
            raise InvalidInput("co_units_only_for_c", field="lead")
        lead_unit = directory.active_department(session, lead, field="lead")
        if lead_unit.id != ticket.department_id:
            # The lead is the unit the ticket was dispatched to: moving it is the dispatcher's reassignment.
            raise InvalidInput("lead_not_ticket_unit", field="lead", code=lead,
                               current=ticket.department.code if ticket.department else "")
    if grade != G.C and co_units:
        raise InvalidInput("co_units_only_for_c", field="co_units")
    wanted = _co_units(session, ticket, co_units) if grade == G.C else []
    if grade == G.C and not wanted:
        raise InvalidInput("co_units_required", field="co_units")
    current = [c.department_id for c in ticket.co_units]
    if grade == ticket.grade and sorted(wanted) == sorted(current):
        raise InvalidTransition("grade_unchanged", number=ticket.number, grade=grade.value)
    previous = ticket.grade
    kept = [c for c in ticket.co_units if c.department_id in wanted]  # a unit kept keeps its reply
    added = [TicketCoUnit(department_id=d, added_at=now, reply="") for d in wanted if d not in current]
    ticket.co_units = kept + added
    ticket.grade = grade
    _follow_cases(session, ticket)
    session.flush()
    return workflow.record(session, ticket, EventAction.GRADED, actor, now, data={
        "grade": grade.value, "previous": previous.value, "supervised_by": supervised_by(grade),
        "lead": ticket.department.code if ticket.department else None,
        "co_units": [c.department.code for c in ticket.co_units],
        # The units new to the ticket are told of it as a lead unit is of a dispatch (outbox.on_event).
        "co_units_added": [c.department.code for c in added],
    })


def _follow_cases(session: Session, ticket: Ticket) -> None:
    """An open supervision case's level follows the grade: D goes to a city leader (level_for)."""
    cases = session.scalars(select(SupervisionCase).where(
        SupervisionCase.ticket_id == ticket.id, SupervisionCase.status == SupervisionStatus.OPEN))
    for case in cases:
        level = level_for(case.reasons, ticket.grade)
        if level == case.level:
            continue
        if not claims.try_claim(session, case):  # a supervisor editing the case at this moment wins
            raise Conflict("supervision_concurrent_change", id=case.id, status=case.status.value)
        case.level = level


def co_unit_of(ticket: Ticket, actor: User) -> TicketCoUnit | None:
    """The actor's unit's co-handling row on the ticket, if its unit co-handles it."""
    return next((c for c in ticket.co_units if c.department_id == actor.department_id), None)


def part_given(co_unit: TicketCoUnit, ticket: Ticket) -> bool:
    """Whether the co-unit replied its part in the current round (a reopen, 重办, restarts the clock and asks again)."""
    return co_unit.replied_at is not None and (ticket.dispatched_at is None or co_unit.replied_at >= ticket.dispatched_at)


def part_awaited() -> ColumnElement[bool]:
    """:func:`part_given` negated, in SQL over ``ticket_co_units`` joined to ``tickets``: the part is still to come."""
    c = TicketCoUnit
    return or_(c.replied_at.is_(None), c.replied_at < Ticket.dispatched_at)


def parts_awaited(tickets: Sequence[Ticket], actor: User) -> set[int]:
    """Of a page of tickets, those the actor's unit co-handles and has not yet replied its part to in this round
    (new to it)."""
    parts = ((ticket, co_unit_of(ticket, actor)) for ticket in tickets)
    return {ticket.id for ticket, part in parts if part is not None and not part_given(part, ticket)}


def reply_part(session: Session, ticket: Ticket, text: str, actor: User, now: datetime) -> TicketEvent:
    """协办回复: a co-handling unit replies its part, once a round; the lead unit's reply still ends the handling."""
    co_unit = co_unit_of(ticket, actor)
    if co_unit is None:
        raise InvalidTransition("not_a_co_unit", number=ticket.number,
                                department=actor.department.code if actor.department else "")
    claim_action(session, ticket, EventAction.CO_UNIT_REPLIED)
    if not text.strip():
        raise InvalidInput("reply_required", field="reply")
    if part_given(co_unit, ticket):
        raise InvalidTransition("co_unit_already_replied", number=ticket.number, department=co_unit.department.code)
    co_unit.reply, co_unit.replied_at, co_unit.replied_by_id = text, now, actor.id
    # The event names the co-unit, not the lead: ticket_events.department_id is the ticket's unit of the moment.
    return workflow.record(session, ticket, EventAction.CO_UNIT_REPLIED, actor, now, note=text[:500],
                           data={"co_unit": co_unit.department.code})
