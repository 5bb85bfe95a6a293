"""Intake and lookup: route a text, create a ticket, read one, list them."""
from __future__ import annotations

import re
from datetime import date

from flask import jsonify, request

from models import AppealType, Channel, Role, TicketStatus

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..presentation import department_json, iso, ticket_json
from ..routing_setup import get_engine
from ..services import directory, search, suggestions
from ..services.errors import InvalidInput
from ..services.intake import NewTicket, register_call
from ..services.paging import COUNT_CAP, page_of
from ..services.routing import RouteResult
from . import bp
from .common import current_user, find_ticket, page_args, parse_body, policy
from .schemas import RouteRequest, SimilarRequest, TicketCreate

STAFF = (Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN)
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_QUERY = 100  # characters of ?q=, as the page's search box


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
    result = suggestions.route_text(get_session(), get_engine(), policy(), body.content, body.address, body.district)
    return jsonify(route_json(result))


@bp.post("/tickets/similar")
@api_login_required(Role.OPERATOR, Role.DISPATCHER)
def similar():
    """Earlier tickets this appeal would repeat (same caller or same place, same problem): shown before saving."""
    body = parse_body(SimilarRequest)
    district, found = suggestions.similar_tickets(
        get_session(), get_engine(), policy(), clock.now(), content=body.content, caller_phone=body.caller_phone,
        address=body.address, district=body.district)
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
    session = get_session()
    intake = register_call(session, NewTicket(**body.model_dump()), current_user(), get_engine(), policy(),
                           clock.now(), idempotency_key=idempotency_key())
    session.commit()
    response = jsonify(ticket_json(intake.ticket, current_user(), policy()))
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


@bp.get("/tickets/<ticket:number>")
@api_login_required(*STAFF, Role.DEPARTMENT)
def show(number: str):
    """One ticket with its history."""
    return jsonify(ticket_json(find_ticket(number), current_user(), policy()))


def parse_enum_list(name: str, enum_type) -> list:
    """?name=a,b → enum members; an unknown value is a 400 naming the parameter."""
    raw = request.args.get(name, "")
    values = [v for v in raw.split(",") if v]
    try:
        return [enum_type(v) for v in values]
    except ValueError:
        allowed = ", ".join(m.value for m in enum_type)
        raise InvalidInput("bad_choice", field=name, name=name, allowed=allowed) from None


def paged_tickets(query, *, events: bool = False, extra=None) -> dict:
    """Run a ticket query one page at a time (with the history if `events`) as the API's list body.

    Counts stop at COUNT_CAP (`total_capped`). `extra(tickets)` may give more keys for each ticket of the page,
    by ticket id.
    """
    page, per_page = page_args()
    query = query.options(*search.list_options(events=events))
    return tickets_body(page_of(get_session(), query, page, per_page, cap=COUNT_CAP), extra=extra, events=events)


def found_tickets(where: list, *, searched: str | None = None) -> dict:
    """The tickets the user may see that match `where` (search.search_where), newest first, as the API's list
    body, paged by number or by keyset: `?after=<number>` gives the page after that ticket (an index range
    however deep), and `next_after` names the next one. Counts stop at COUNT_CAP (`total_capped`).

    A search (`searched`: its ?q=, maybe empty) is paged as the page pages it: at most search.MAX_PAGE pages,
    its count capped (``capped`` says there are more), a few matches sorted rather than read in order.
    """
    page, per_page = page_args()
    cap, few = COUNT_CAP, False
    if searched is not None:
        if page > search.MAX_PAGE:
            raise InvalidInput("out_of_range", field="page", name="page", minimum=1, maximum=search.MAX_PAGE)
        cap, few = search.count_cap(searched), True
    rows = search.found_page(get_session(), current_user(), where, page=page, per_page=per_page, cap=cap,
                             after=request.args.get("after") or None, few=few)
    body = tickets_body(rows)
    if searched is not None:
        body["capped"] = rows.capped
    body["next_after"] = rows.items[-1].number if len(rows.items) == per_page else None
    return body


def tickets_body(rows, *, extra=None, events: bool = False) -> dict:
    """A page of tickets as the API's list body."""
    user, rules = current_user(), policy()
    more = extra(rows.items) if extra else {}
    return {
        "items": [ticket_json(t, user, rules, events=events, extra=more.get(t.id)) for t in rows.items],
        "page": rows.page, "per_page": rows.per_page, "total": rows.total, "total_capped": rows.capped,
    }


def parse_day(name: str) -> date | None:
    """?name=YYYY-MM-DD → a date; a malformed or impossible one is a 400 naming the parameter."""
    raw = request.args.get(name)
    if not raw:
        return None
    if not DAY.fullmatch(raw):
        raise InvalidInput("bad_format", field=name, name=name, example="2026-11-16", value=raw)
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput("impossible_date", field=name, name=name, example="2026-11-16", value=raw,
                           problem=str(exc)) from None


def parse_choice(name: str, allowed: tuple[str, ...]) -> str | None:
    """?name=one of `allowed`, or None; anything else is a 400 naming the parameter."""
    raw = request.args.get(name) or None
    if raw is not None and raw not in allowed:
        raise InvalidInput("bad_choice", field=name, name=name, allowed=", ".join(allowed))
    return raw


@bp.get("/tickets")
@api_login_required(*STAFF, Role.DEPARTMENT)
def index():
    """Tickets found by ?q= (number, phone, name, words) and filtered, newest first, paged."""
    code = request.args.get("department")
    if code:
        directory.active_department(get_session(), code)  # an unknown unit is a 400, not an empty list
    start, end = parse_day("created_from"), parse_day("created_to")
    q = request.args.get("q", "")
    if len(q) > MAX_QUERY:
        raise InvalidInput("too_long", field="q", name="q", limit=MAX_QUERY)
    rules = policy()
    return jsonify(found_tickets(search.search_where(
        current_user(), q=q.strip() or None, statuses=parse_enum_list("status", TicketStatus),
        appeal_types=parse_enum_list("appeal_type", AppealType), channels=parse_enum_list("channel", Channel),
        district=request.args.get("district"), category=request.args.get("category"),
        department_code=code, caller_phone=request.args.get("caller_phone"),
        period=search.Period(start, end, rules.tz) if start or end else None,
        flag=parse_choice("flag", search.FLAGS), now=clock.now(), rules=rules.cycle_rules),
        searched=q.strip()))
