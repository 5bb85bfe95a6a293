"""Intake and lookup: route a text, create a ticket, read one, list them."""
from __future__ import annotations

import re

from flask import current_app, jsonify, request
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from models import AppealType, Role, Ticket, TicketEvent, TicketStatus

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..routing_setup import get_engine
from ..services.access import visible_to
from ..services.errors import InvalidInput
from ..services.intake import NewTicket, register_call
from ..services.repeats import find_repeats
from ..services.routing import RouteResult
from . import bp
from .common import current_user, find_department, find_ticket, page_args, parse_body, policy
from .schemas import RouteRequest, SimilarRequest, TicketCreate
from .serialize import department_json, iso, ticket_json

STAFF = (Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN)


def check_district(district: str | None) -> None:
    """A chosen district must be one the gazetteer knows."""
    if district and district not in get_engine().gazetteer.districts:
        raise InvalidInput("unknown_district", field="district", value=district)


def route_json(result: RouteResult) -> dict:
    """The router's proposal as JSON."""
    return {
        "candidates": [
            {"category": c.category, "department": department_json(c.department), "probability": round(c.probability, 4)}
            for c in result.candidates
        ],
        "district": result.district,
        "model_version": result.model_version,
        "auto_dispatch": result.auto_dispatch,
        "reason": result.reason,
    }


@bp.post("/route")
@api_login_required(Role.OPERATOR, Role.DISPATCHER, Role.ADMIN)
def route():
    """Propose the top three categories and units for a text, without saving anything."""
    body = parse_body(RouteRequest)
    check_district(body.district)
    result = get_engine().route(get_session(), body.content, body.address, body.district)
    return jsonify(route_json(result))


@bp.post("/tickets/similar")
@api_login_required(Role.OPERATOR, Role.DISPATCHER)
def similar():
    """Earlier tickets this appeal would repeat (same caller or same place, same problem): shown before saving."""
    body = parse_body(SimilarRequest)
    check_district(body.district)
    district = body.district or get_engine().gazetteer.extract(body.address, body.content)
    found = find_repeats(get_session(), caller_phone=body.caller_phone or "", content=body.content,
                         district=district, now=clock.now(), rules=policy().repeat_rules)
    tz = policy().tz
    return jsonify(district=district, similar=[
        {"number": s.ticket.number, "status": s.ticket.status.value, "title": s.ticket.title,
         "reason": s.reason, "similarity": round(s.similarity, 3), "created_at": iso(s.ticket.created_at, tz),
         "department": department_json(s.ticket.department), "repeat_count": s.ticket.repeat_count}
        for s in found
    ])


@bp.post("/tickets")
@api_login_required(Role.OPERATOR)
def create():
    """Register a call; the answer carries the number to read to the citizen."""
    body = parse_body(TicketCreate)
    if len(body.content) > current_app.config["MAX_CONTENT_CHARS"]:
        raise InvalidInput("too_long", field="content", name="content", limit=current_app.config["MAX_CONTENT_CHARS"])
    check_district(body.district)
    session = get_session()
    intake = register_call(session, NewTicket(**body.model_dump()), current_user(), get_engine(), policy(),
                           clock.now(), idempotency_key=idempotency_key())
    session.commit()
    response = jsonify(ticket_json(intake.ticket, current_user(), policy().tz))
    if intake.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response, 201


IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,200}")


def idempotency_key() -> str | None:
    """The request's Idempotency-Key header (1–200 visible ASCII characters, e.g. a UUID), if any."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise InvalidInput("bad_format", field="Idempotency-Key", name="Idempotency-Key",
                           example="a UUID (1 to 200 visible ASCII characters)", value=key[:40])
    return key


@bp.get("/tickets/<number>")
@api_login_required(*STAFF, Role.DEPARTMENT)
def show(number: str):
    """One ticket with its history."""
    return jsonify(ticket_json(find_ticket(number), current_user(), policy().tz))


def list_query(user, statuses: list[TicketStatus]):
    """The filtered ticket query for a list view, restricted to the user's unit if a department."""
    query = select(Ticket).where(visible_to(user))
    if statuses:
        query = query.where(Ticket.status.in_(statuses))
    return query


def parse_enum_list(name: str, enum_type) -> list:
    """?name=a,b → enum members; an unknown value is a 400 naming the parameter."""
    raw = request.args.get(name, "")
    values = [v for v in raw.split(",") if v]
    try:
        return [enum_type(v) for v in values]
    except ValueError:
        allowed = ", ".join(m.value for m in enum_type)
        raise InvalidInput("bad_choice", field=name, name=name, allowed=allowed) from None


def paged_tickets(query, *, events: bool = False, order=None) -> dict:
    """Run a ticket query one page at a time, newest first unless `order` says otherwise (history if `events`)."""
    page, per_page = page_args()
    session = get_session()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    options = [selectinload(Ticket.department), selectinload(Ticket.category),
               selectinload(Ticket.predicted_department), selectinload(Ticket.repeat_of)]
    if events:
        options.append(selectinload(Ticket.events).options(selectinload(TicketEvent.actor),
                                                           selectinload(TicketEvent.department)))
    rows = session.scalars(
        query.options(*options)
        .order_by(*(order or (Ticket.created_at.desc(), Ticket.id.desc())))
        .offset((page - 1) * per_page).limit(per_page)
    ).all()
    user, tz = current_user(), policy().tz
    return {
        "items": [ticket_json(t, user, tz, events=events) for t in rows],
        "page": page, "per_page": per_page, "total": total,
    }


@bp.get("/tickets")
@api_login_required(*STAFF, Role.DEPARTMENT)
def index():
    """Tickets, filtered by status, appeal type, district, department or caller phone, paged."""
    query = list_query(current_user(), parse_enum_list("status", TicketStatus))
    appeal_types = parse_enum_list("appeal_type", AppealType)
    if appeal_types:
        query = query.where(Ticket.appeal_type.in_(appeal_types))
    if district := request.args.get("district"):
        query = query.where(Ticket.district == district)
    if code := request.args.get("department"):
        query = query.where(Ticket.department_id == find_department(code).id)
    if phone := request.args.get("caller_phone"):
        if current_user().role == Role.DEPARTMENT:
            raise InvalidInput("phone_search_not_allowed", field="caller_phone")
        query = query.where(Ticket.caller_phone == phone)
    return jsonify(paged_tickets(query))
