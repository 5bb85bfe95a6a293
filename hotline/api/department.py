"""A unit's work: its inbox, sign, return, extension request, reply."""
from flask import jsonify, request

from models import Role, TicketStatus

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..services import search, workflow
from . import bp
from .common import committed, current_user, find_ticket, parse_body, policy
from .schemas import ExtensionCreate, ReplyRequest, ReturnRequest
from .tickets import found_tickets, parse_enum_list


@bp.get("/department/tickets")
@api_login_required(Role.DEPARTMENT)
def inbox():
    """The unit's own tickets (and those it co-handles), newest first, optionally by status and handler
    (?handler=me|none), paged (?page= or ?after=<number>)."""
    return jsonify(found_tickets(search.search_where(current_user(), statuses=parse_enum_list("status", TicketStatus),
                                                     handler=request.args.get("handler"))))


@bp.post("/tickets/<ticket:number>/sign")
@api_login_required(Role.DEPARTMENT)
def sign(number: str):
    """签收."""
    ticket = find_ticket(number)
    workflow.sign(get_session(), ticket, current_user(), clock.now())
    return committed(ticket)


@bp.post("/tickets/<ticket:number>/return")
@api_login_required(Role.DEPARTMENT)
def return_(number: str):
    """退单, with a reason."""
    body = parse_body(ReturnRequest)
    ticket = find_ticket(number)
    workflow.return_ticket(get_session(), ticket, body.reason, current_user(), policy(), clock.now(),
                           reason_code=body.reason_code)
    return committed(ticket)


@bp.post("/tickets/<ticket:number>/extension")
@api_login_required(Role.DEPARTMENT)
def extension(number: str):
    """延期申请: ask once for more working days."""
    body = parse_body(ExtensionCreate)
    ticket = find_ticket(number)
    workflow.request_extension(get_session(), ticket, body.reason, body.working_days, current_user(), policy(),
                               clock.now())
    return committed(ticket)


@bp.post("/tickets/<ticket:number>/reply")
@api_login_required(Role.DEPARTMENT)
def reply(number: str):
    """办结回复."""
    body = parse_body(ReplyRequest)
    ticket = find_ticket(number)
    workflow.reply(get_session(), ticket, body.reply, current_user(), clock.now(), policy=policy())
    return committed(ticket)
