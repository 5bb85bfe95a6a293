"""合并件回访 over the API: merged duplicates' callers to call back once the original closed, and their outcome."""
from __future__ import annotations

from flask import jsonify

from models import Role

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..services import merged_callbacks
from . import bp
from .common import committed, current_user, find_ticket, parse_body, policy
from . import responses
from .openapi import PAGE, register
from .schemas import CallbackCreate
from .tickets import paged_tickets


@bp.get("/callbacks/merged")
@api_login_required(Role.SUPERVISOR)
def merged_due():
    """Merged duplicates whose original is closed and whose caller is still to be reached, paged."""
    return jsonify(paged_tickets(merged_callbacks.due()))


@bp.post("/tickets/<ticket:number>/merged-callback")
@api_login_required(Role.SUPERVISOR)
def merged_callback(number: str):
    """Record the callback to a merged duplicate's caller (409 unless it was merged and the original is closed)."""
    body = parse_body(CallbackCreate)
    ticket = find_ticket(number)
    merged_callbacks.record(get_session(), ticket, current_user(), policy(), clock.now(), reached=body.reached,
                            solved=body.solved, satisfaction=body.satisfaction, comment=body.comment)
    return committed(ticket)


register("get", "/callbacks/merged", "Merged duplicates' callers to call back, their original closed (合并件回访)",
         "supervisor", query=PAGE, response=responses.TicketPage)
register("post", "/tickets/{number}/merged-callback",
         "Record the callback to a merged duplicate's caller (reached, solved, satisfaction); no status change",
         "supervisor", CallbackCreate, response=responses.TicketWithEvents)
