"""Registering a citizen's call: save it first, then try to route it; a call is never lost."""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from models import AppealType, Category, Channel, Department, EventAction, KBEntry, Ticket, TicketGrade, Urgency, User

from . import emergency, grading, idempotency, repeats, workflow
from .alerts import hotspot_count, raise_hotspot
from .errors import InvalidInput
from .identifiers import normalise_phone
from .repeats import bigram_text
from .notes import note
from .numbers import next_ticket_number
from .policy import Policy
from .practice_rules import HOSTED_CHANNELS
from .places import Gazetteer
from .routing import RouteResult, RoutingEngine, category_of_department

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
    emergency: dict | None = None  # {"service": "110", "note": …}: handed to an emergency service (services/emergency.py)
    channel_host: str | None = None  # the leader answering (领导接听日) or the event (企业家接待日)
    grade: TicketGrade | None = None  # ABCD 分级 (hotline.services.grading): A if answered on the call, else B unless given
    confidential: bool = False  # 保密: no unit sees the caller's identity (hotline/services/confidentiality.py)


def check_content(content: str, policy: Policy) -> None:
    """An appeal's text fits the MAX_CONTENT_CHARS setting."""
    if len(content) > policy.max_content_chars:
        raise InvalidInput("too_long", field="content", name="content", limit=policy.max_content_chars)


def check_district(gazetteer: Gazetteer, district: str | None) -> None:
    """A chosen district must be one the gazetteer knows."""
    if district and district not in gazetteer.districts:
        raise InvalidInput("unknown_district", field="district", value=district)


def check_channel_host(channel: Channel, host: str | None) -> str | None:
    """The host named for a hosted channel (required there), and none for any other channel."""
    host = (host or "").strip() or None
    if channel in HOSTED_CHANNELS and host is None:
        raise InvalidInput("channel_host_required", field="channel_host", channel=channel.value)
    if channel not in HOSTED_CHANNELS and host is not None:
        raise InvalidInput("channel_host_not_allowed", field="channel_host", channel=channel.value)
    return host


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
    """Register a call; a retry carrying the same Idempotency-Key gets the first ticket back, never a second.

    The number is taken first and written with the key, so the key is written once (a retry's number is a gap).
    """
    if idempotency_key is None:
        return Intake(create_ticket(session, data, actor, engine, policy, now))
    number = next_ticket_number(session, now.astimezone(policy.tz).date())
    earlier = idempotency.claim_key(session, actor, idempotency_key, number, policy, now)
    if earlier is not None:
        return Intake(earlier, replayed=True)
    return Intake(create_ticket(session, data, actor, engine, policy, now, number=number))


def create_ticket(
    session: Session, data: NewTicket, actor: User | None, engine: RoutingEngine, policy: Policy, now: datetime,
    *, number: str | None = None,
) -> Ticket:
    """Save the ticket and dispatch it if the router is sure; otherwise it waits in the dispatcher's queue.

    A knowledge-base answer (`kb_entry_id`) makes the call 即来即办 with that answer, unless another was typed.
    Everything is decided before the ticket is written (route, repeat search), so the row is inserted once,
    with its events, messages and work order, in one flush: a handful of statements however long the history.
    """
    check_content(data.content, policy)
    # One spelling per number (repeats and the status lookup match on it), however it was typed; the front ends
    # refuse what is no number at all, and Open311's looser numbers are kept as sent.
    caller_phone = normalise_phone(data.caller_phone) or data.caller_phone
    data = replace(data, caller_phone=caller_phone)
    check_district(engine.gazetteer, data.district)
    host = check_channel_host(data.channel, data.channel_host)
    entry = knowledge_answer(session, data.kb_entry_id) if data.kb_entry_id is not None else None
    if data.emergency is not None:
        emergency.check(data.emergency.get("service"), data.emergency.get("note") or "", policy)
    handed_off = data.emergency is not None  # to 110 / 119 …: not routed, not dispatched, no repeat linked
    on_call = data.resolved_on_call or entry is not None
    grade = grading.intake_grade(data.grade, on_call)
    result = None if on_call or handed_off else _route_safely(session, engine, data)
    district = data.district or (result.district if result is not None else None)
    category = result.top.category if result is not None and result.top is not None else None
    found = repeats.Search([]) if handed_off else _search_repeats(session, data, district, category, policy, now)
    repeat = found.matches[0] if found.matches else None
    ticket = Ticket(
        grade=grade,
        number=number or next_ticket_number(session, now.astimezone(policy.tz).date()),
        channel=data.channel, appeal_type=data.appeal_type, urgency=data.urgency,
        caller_name=data.caller_name, caller_phone=caller_phone, address=data.address,
        district=district, title=data.title or data.content[:30], content=data.content,
        content_bigrams=bigram_text(data.content),
        enterprise_name=data.enterprise_name, enterprise_credit_code=data.enterprise_credit_code,
        channel_host=host, created_by_id=actor.id if actor else None, created_at=now,
        confidential=data.confidential,
        co_units=[],  # a new ticket has none: known here, so showing it after the commit reads nothing
    )
    with session.no_autoflush:  # what the workflow looks up must not write the ticket before it is complete
        workflow.receive(session, ticket, actor, now)
        if handed_off:
            emergency.hand_off(session, ticket, data.emergency["service"], data.emergency["note"], actor, policy,
                               now)
        elif on_call:
            reply = data.reply or (entry.answer if entry is not None else "")
            workflow.answer_on_call(session, ticket, reply, actor, now, policy=policy, kb_entry=entry,
                                    category=on_call_category(session, engine, ticket, entry))
        elif result is None:
            workflow.queue_for_dispatcher(session, ticket, now, note("routing_failed"))
        else:
            _apply_route(session, ticket, result, policy, now)
        if repeat is not None:
            workflow.link_repeat(session, ticket, repeat.original_id, repeat.reason, actor, now)
        if found.counted is not None:
            raise_hotspot(session, category, district, now, policy.hotspot_rules, found.counted + 1)
    session.flush()
    return ticket


def on_call_category(session: Session, engine: RoutingEngine, ticket: Ticket, entry: KBEntry | None) -> Category | None:
    """The category a 即来即办 call counts in: its knowledge-base entry's unit's, else the model's top one.

    The model's proposal is kept on the ticket as for any call (training data); a failing model leaves none.
    """
    if entry is not None:
        unit = session.scalar(select(Department).where(
            or_(Department.name == entry.department, Department.code == entry.department)))
        category = category_of_department(session, unit) if unit is not None else None
        if category is not None:
            return category
    result = _route_safely(session, engine, ticket)
    if result is None or result.top is None:
        return None
    ticket.district = ticket.district or result.district
    ticket.model_version = result.model_version
    ticket.predicted_category = result.top.category
    ticket.predicted_probability = round(result.top.probability, 4)
    return session.scalar(select(Category).where(Category.name == result.top.category))


def _search_repeats(session: Session, data: NewTicket, district: str | None, category: str | None,
                    policy: Policy, now: datetime) -> repeats.Search:
    """One statement: the repeat search, and the hot-spot count (the new ticket not yet in it).

    A fault of the comparison loses neither the call nor the transaction (it is Python, after the query);
    a failing database fails the intake, which the caller retries with its Idempotency-Key.
    """
    try:
        return repeats.search(session, caller_phone=data.caller_phone, content=data.content, district=district,
                              now=now, rules=policy.repeat_rules, limit=1,
                              also_count=hotspot_count(category, district, now, policy.hotspot_rules))
    except DBAPIError:
        raise
    except Exception:
        log.exception("repeat/hot-spot check failed for a new call")
        return repeats.Search([])


def _route_safely(session: Session, engine: RoutingEngine, data: NewTicket | Ticket) -> RouteResult | None:
    """Ask the router; any failure of the model or the rules is logged and means manual dispatch.

    No savepoint: the model fails in Python, before the one look-up of the rules; a failing database
    fails the whole intake (503), which the caller retries with its Idempotency-Key.
    """
    try:
        return engine.route(session, data.content, data.address, data.district)
    except DBAPIError:
        raise
    except Exception:  # the ticket must survive whatever the model does
        log.exception("routing failed for a new call")
        return None


def _apply_route(session: Session, ticket: Ticket, result: RouteResult, policy: Policy, now: datetime) -> None:
    """Store the prediction on the ticket, then dispatch or queue."""
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
        # The object as well as its id: the answer shows it, and would otherwise load it after the commit.
        ticket.predicted_department = top.department
        ticket.predicted_department_id = top.department.id if top.department else None
    if result.auto_dispatch and top is not None and top.department is not None:
        category = top.category_row  # loaded with the rules: no second look-up
        workflow.dispatch(session, ticket, top.department, category, policy, now,
                          note=note("auto_dispatched", category=top.category, probability=top.probability))
    else:
        workflow.queue_for_dispatcher(session, ticket, now, result.reason_note or note("routing_failed"))
