"""派单: the dispatcher's queue, manual assignment (inferring the training label) and merging repeats."""
from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select

from models import Category, Department, EventAction, Ticket, TicketEvent, TicketStatus, User

from . import returns, search, workflow
from .directory import active_category, active_department
from .errors import InvalidInput, InvalidTransition, NotFound
from .policy import Policy
from .repeats import SimilarTicket, find_repeats
from .routing import RouteCandidate, RoutingEngine, category_of_department, resolve_departments

log = logging.getLogger(__name__)
QUEUE_KINDS = ("returned", "repeat", "new")


def waiting() -> Select:
    """Every ticket waiting for a person to dispatch it, newest first."""
    return (select(Ticket).where(Ticket.status == TicketStatus.PENDING_DISPATCH)
            .order_by(Ticket.created_at.desc(), Ticket.id.desc()))


def queue(*, kind: str | None = None, urgency: str | None = None, appeal_type: str | None = None,
          district: str | None = None) -> Select:
    """The part of the manual queue asked for: urgent first, then oldest first."""
    query = (select(Ticket).options(selectinload(Ticket.repeat_of), selectinload(Ticket.predicted_department))
             .where(Ticket.status == TicketStatus.PENDING_DISPATCH))
    if kind == "returned":
        query = query.where(Ticket.return_count > 0)
    elif kind == "repeat":
        query = query.where(Ticket.repeat_of_id.is_not(None))
    elif kind == "new":
        query = query.where(Ticket.return_count == 0)
    for name, value in (("urgency", urgency), ("appeal_type", appeal_type), ("district", district)):
        if value:
            query = query.where(getattr(Ticket, name) == value)
    # "urgent" sorts after "normal", so descending puts urgent calls on top.
    return query.order_by(Ticket.urgency.desc(), Ticket.created_at, Ticket.id)


def current_candidates(session: Session, engine: RoutingEngine, ticket: Ticket) -> list[RouteCandidate]:
    """The router's top three for the ticket now (rules may have changed since intake); none if it fails.

    A unit that returned the ticket is offered last, never first again.
    """
    try:
        found = engine.route(session, ticket.content, ticket.address, ticket.district).candidates
    except Exception:  # the queue must show even when the model cannot answer
        log.exception("routing candidates failed for %s", ticket.number)
        return []
    return returns.offered_first(found, returns.returned_by(ticket.events)) if ticket.return_count else found


def page_candidates(session: Session, engine: RoutingEngine, tickets: list[Ticket]) -> dict[int, list[RouteCandidate]]:
    """Each ticket's top three from intake with the unit today's rules give: one rules query per district.

    A ticket saved without candidates (the model was down) is asked again, alone. The units that returned
    a ticket come last (one query for the page's returns).
    """
    refused = {ticket_id: returns.returned_by(events)
               for ticket_id, events in return_events(session, [t.id for t in tickets if t.return_count]).items()}
    by_district: dict[str | None, list[Ticket]] = defaultdict(list)
    for ticket in tickets:
        by_district[ticket.district].append(ticket)
    found: dict[int, list[RouteCandidate]] = {}
    for district, group in by_district.items():
        categories = sorted({c["category"] for t in group for c in t.route_candidates or []})
        units = resolve_departments(session, categories, district)
        for ticket in group:
            if ticket.route_candidates:
                stored = [RouteCandidate(c["category"], units.get(c["category"]), c["probability"])
                          for c in ticket.route_candidates]
                found[ticket.id] = returns.offered_first(stored, refused.get(ticket.id, ()))
            else:
                found[ticket.id] = current_candidates(session, engine, ticket)
    return found


def return_events(session: Session, ticket_ids: list[int]) -> dict[int, list[TicketEvent]]:
    """Each ticket's returns (退单) with the unit and reason, oldest first, in one query."""
    events: dict[int, list[TicketEvent]] = {}
    if ticket_ids:
        rows = session.scalars(
            select(TicketEvent).options(selectinload(TicketEvent.department))
            .where(TicketEvent.ticket_id.in_(ticket_ids), TicketEvent.action == EventAction.RETURNED)
            .order_by(TicketEvent.id)
        )
        for event in rows:
            events.setdefault(event.ticket_id, []).append(event)
    return events


def possible_repeats(session: Session, ticket: Ticket, policy: Policy, now: datetime,
                     limit: int = 5) -> list[SimilarTicket]:
    """Earlier tickets a queued ticket may repeat (what the dispatcher could merge it into); none once dispatched."""
    if ticket.status != TicketStatus.PENDING_DISPATCH:
        return []
    return find_repeats(session, caller_phone=ticket.caller_phone, content=ticket.content, district=ticket.district,
                        now=now, rules=policy.repeat_rules, exclude_id=ticket.id, limit=limit)


def choices(session: Session) -> tuple[list[Department], list[Category]]:
    """The active units and categories a ticket can be assigned to."""
    departments = session.scalars(select(Department).where(Department.active.is_(True))
                                  .order_by(Department.kind, Department.code))
    categories = session.scalars(select(Category).where(Category.active.is_(True)).order_by(Category.name))
    return list(departments), list(categories)


def assign(
    session: Session, ticket: Ticket, department_code: str, category_name: str | None, actor: User, policy: Policy,
    now: datetime, note: str = "",
) -> TicketEvent:
    """Send a ticket to a unit by hand; the category is the one named, else the unit's only one (a training label)."""
    department = active_department(session, department_code)
    if category_name:
        category = active_category(session, category_name)
    else:
        category = category_of_department(session, department)
    return workflow.dispatch(session, ticket, department, category, policy, now, actor=actor, note=note)


def assign_many(
    session: Session, numbers: list[str], department_code: str, category_name: str | None, actor: User,
    policy: Policy, now: datetime, *, limit: int,
) -> list[Ticket]:
    """Bulk 派单: send every ticket named to one unit, or none of them (one refused ticket refuses the lot).

    The dispatcher ticked them on the live queue; one that someone else dispatched meanwhile makes the whole
    request a 409, so they look again rather than half of their selection going out.
    """
    numbers = list(dict.fromkeys(numbers))  # a number ticked twice (two tabs) counts once
    if not numbers:
        raise InvalidInput("required", field="numbers", name="numbers")
    if len(numbers) > limit:
        raise InvalidInput("too_many_selected", field="numbers", limit=limit)
    tickets, missing = search.by_numbers(session, numbers)
    if missing:
        raise NotFound("ticket_not_found", field="numbers", number=missing[0])
    for ticket in tickets:
        # Only from the queue: one a colleague dispatched since the page showed it is not re-sent (the single
        # assign, from the ticket's page, may reassign on purpose).
        if ticket.status != TicketStatus.PENDING_DISPATCH:
            raise InvalidTransition("action_not_allowed", field="numbers", number=ticket.number,
                                    action=EventAction.ASSIGNED.value, status=ticket.status.value)
    for ticket in tickets:
        assign(session, ticket, department_code, category_name, actor, policy, now)
    return tickets


def merge(session: Session, ticket: Ticket, original_number: str, actor: User, now: datetime,
          note: str = "") -> TicketEvent:
    """合并: close a repeat waiting for dispatch into the ticket it repeats (named by its number)."""
    original = session.scalar(select(Ticket).where(Ticket.number == original_number))
    if original is None:
        raise NotFound("ticket_not_found", field="original", number=original_number)
    return workflow.merge_repeat(session, ticket, original, actor, now, note=note)
