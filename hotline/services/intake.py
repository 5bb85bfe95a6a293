"""Registering a citizen's call: save it first, then try to route it; a call is never lost."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AppealType, Category, Channel, EventAction, KBEntry, Ticket, Urgency, User

from . import idempotency, workflow
from .alerts import check_hotspot
from .errors import InvalidInput
from .identifiers import normalise_phone
from .repeats import find_repeats
from .notes import note
from .numbers import next_ticket_number
from .policy import Policy
from .places import Gazetteer
from .routing import RouteResult, RoutingEngine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewTicket:
    """A call as the operator entered it (already validated)."""

    content: str
    caller_phone: str
    appeal_type: AppealType
    caller_name: str = ""
    address: str = ""
    title: str = ""
    urgency: Urgency = Urgency.NORMAL
    channel: Channel = Channel.PHONE
    district: str | None = None
    enterprise_name: str | None = None
    enterprise_credit_code: str | None = None
    resolved_on_call: bool = False
    reply: str = ""
    kb_entry_id: int | None = None  # the knowledge-base answer given on the call: makes it 即来即办


def check_content(content: str, policy: Policy) -> None:
    """An appeal's text fits the MAX_CONTENT_CHARS setting."""
    if len(content) > policy.max_content_chars:
        raise InvalidInput("too_long", field="content", name="content", limit=policy.max_content_chars)


def check_district(gazetteer: Gazetteer, district: str | None) -> None:
    """A chosen district must be one the gazetteer knows."""
    if district and district not in gazetteer.districts:
        raise InvalidInput("unknown_district", field="district", value=district)


def knowledge_answer(session: Session, entry_id: int) -> KBEntry:
    """The active knowledge-base entry the operator answered with, or a 400 naming kb_entry."""
    entry = session.get(KBEntry, entry_id) if 0 < entry_id < 2**31 else None
    if entry is None or not entry.active:
        raise InvalidInput("kb_entry_inactive", field="kb_entry", id=entry_id)
    return entry


def kb_entry_used(ticket: Ticket) -> int | None:
    """The knowledge-base entry whose answer closed the call (即来即办), if one did."""
    for event in ticket.events:
        if event.action == EventAction.ANSWERED_ON_CALL and event.data and event.data.get("kb_entry"):
            return event.data["kb_entry"]
    return None


@dataclass(frozen=True)
class Intake:
    """The outcome of registering a call: the ticket, and whether it is a retry's first ticket."""

    ticket: Ticket
    replayed: bool = False


def register_call(
    session: Session, data: NewTicket, actor: User, engine: RoutingEngine, policy: Policy, now: datetime,
    *, idempotency_key: str | None = None,
) -> Intake:
    """Register a call; a retry carrying the same Idempotency-Key gets the first ticket back, never a second."""
    if idempotency_key is None:
        return Intake(create_ticket(session, data, actor, engine, policy, now))
    key, earlier = idempotency.claim_key(session, actor, idempotency_key, policy, now)
    if earlier is not None:
        return Intake(earlier, replayed=True)
    ticket = create_ticket(session, data, actor, engine, policy, now)
    key.ticket = ticket
    session.flush()
    return Intake(ticket)


def create_ticket(
    session: Session, data: NewTicket, actor: User | None, engine: RoutingEngine, policy: Policy, now: datetime,
) -> Ticket:
    """Save the ticket and dispatch it if the router is sure; otherwise it waits in the dispatcher's queue.

    A knowledge-base answer (`kb_entry_id`) makes the call 即来即办 with that answer, unless another was typed.
    """
    check_content(data.content, policy)
    # One spelling per number (repeats and the status lookup match on it), however it was typed; the front ends
    # refuse what is no number at all, and Open311's looser numbers are kept as sent.
    caller_phone = normalise_phone(data.caller_phone) or data.caller_phone
    check_district(engine.gazetteer, data.district)
    entry = knowledge_answer(session, data.kb_entry_id) if data.kb_entry_id is not None else None
    ticket = Ticket(
        number=next_ticket_number(session, now.astimezone(policy.tz).date()),
        channel=data.channel, appeal_type=data.appeal_type, urgency=data.urgency,
        caller_name=data.caller_name, caller_phone=caller_phone, address=data.address,
        district=data.district, title=data.title or data.content[:30], content=data.content,
        enterprise_name=data.enterprise_name, enterprise_credit_code=data.enterprise_credit_code,
        created_by_id=actor.id if actor else None, created_at=now,
    )
    workflow.receive(session, ticket, actor, now)
    session.flush()
    if data.resolved_on_call or entry is not None:
        reply = data.reply or (entry.answer if entry is not None else "")
        workflow.answer_on_call(session, ticket, reply, actor, now, policy=policy, kb_entry=entry)
    else:
        result = _route_safely(session, engine, ticket)
        if result is None:
            workflow.queue_for_dispatcher(session, ticket, now, note("routing_failed"))
        else:
            _apply_route(session, ticket, result, policy, now)
    _link_and_watch(session, ticket, actor, policy, now)
    return ticket


def _link_and_watch(session: Session, ticket: Ticket, actor: User | None, policy: Policy, now: datetime) -> None:
    """Link a repeat to its earlier ticket and check for a hot spot; neither may lose the call."""
    try:
        with session.begin_nested():
            repeats = find_repeats(session, caller_phone=ticket.caller_phone, content=ticket.content,
                                   district=ticket.district, now=now, rules=policy.repeat_rules,
                                   exclude_id=ticket.id, limit=1)
            if repeats:
                workflow.link_repeat(session, ticket, repeats[0].ticket, repeats[0].reason, actor, now)
            check_hotspot(session, ticket.predicted_category, ticket.district, now, policy.hotspot_rules)
    except Exception:
        log.exception("repeat/hot-spot check failed for ticket %s", ticket.number)


def _route_safely(session: Session, engine: RoutingEngine, ticket: Ticket) -> RouteResult | None:
    """Ask the router; any failure of the model or the rules is logged and means manual dispatch."""
    try:
        with session.begin_nested():
            return engine.route(session, ticket.content, ticket.address, ticket.district)
    except Exception:  # the ticket must survive whatever the model does
        log.exception("routing failed for ticket %s", ticket.number)
        return None


def _apply_route(session: Session, ticket: Ticket, result: RouteResult, policy: Policy, now: datetime) -> None:
    """Store the prediction on the ticket, then dispatch or queue."""
    ticket.district = ticket.district or result.district
    ticket.model_version = result.model_version
    top = result.top
    if top is not None:
        ticket.predicted_category = top.category
        ticket.predicted_probability = round(top.probability, 4)
        ticket.route_candidates = [
            {"category": c.category, "department": c.department.code if c.department else None,
             "probability": round(c.probability, 4)}
            for c in result.candidates
        ]
        ticket.predicted_department_id = top.department.id if top.department else None
    if result.auto_dispatch and top is not None and top.department is not None:
        category = session.scalar(select(Category).where(Category.name == top.category))
        workflow.dispatch(session, ticket, top.department, category, policy, now,
                          note=note("auto_dispatched", category=top.category, probability=top.probability))
    else:
        workflow.queue_for_dispatcher(session, ticket, now, result.reason_note or note("routing_failed"))
