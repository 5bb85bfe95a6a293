"""红绿黑旗 counts per unit, and the 疑难 (difficult) flag on a ticket."""
from __future__ import annotations

from flask import jsonify

from models import Role

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..services import workflow
from ..services.cycle import flags
from . import bp
from .common import committed, current_user, find_ticket, parse_body, policy
from .cycle_common import own_unit
from . import responses
from .openapi import register
from .schemas import ReasonRequest


@bp.get("/flags")
@api_login_required(Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT)
def flag_counts():
    """Open work orders (dispatched or signed) per unit by flag, at this moment; a department sees its own."""
    now = clock.now()
    body = flags.count_by_department(get_session(), now, own_unit(), policy().cycle_rules)
    if own_unit() is not None:
        body["city"] = None
    return jsonify(as_of=now.astimezone(policy().tz).isoformat(), **body)


@bp.post("/tickets/<ticket:number>/difficult")
@api_login_required(Role.SUPERVISOR, Role.DISPATCHER)
def flag_difficult(number: str):
    """疑难工单: flag the ticket for the director's supervision, with a reason."""
    body = parse_body(ReasonRequest)
    ticket = find_ticket(number)
    workflow.flag_difficult(get_session(), ticket, body.reason, current_user(), clock.now())
    return committed(ticket)


register("get", "/flags", "Open work orders per unit by flag (红绿黑旗) at this moment",
         "dispatcher, supervisor, admin; departments: own line", response=responses.Flags)
register("post", "/tickets/{number}/difficult", "Flag a ticket as difficult (疑难), with a reason",
         "supervisor, dispatcher", ReasonRequest, response=responses.TicketWithEvents)
