"""The dispatcher's queue, manual assignment and merging repeats."""
from flask import current_app, jsonify

from models import Role

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..presentation import department_json
from ..routing_setup import get_engine
from ..services import dispatching
from . import bp
from .common import committed, current_user, find_ticket, parse_body, policy
from . import responses
from .openapi import register
from .schemas import AssignRequest, BulkAssignRequest, MergeRequest
from .tickets import paged_tickets


@bp.get("/dispatch/queue")
@api_login_required(Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN)
def queue():
    """Tickets waiting for a person to dispatch (low confidence, no rule, or returned), with their history.

    `offered` is the candidates in the order the dispatcher is offered them: a unit that returned it comes last.
    """
    def offered(tickets):
        found = dispatching.page_candidates(get_session(), get_engine(), tickets)
        return {ticket_id: {"offered": [
            {"category": c.category, "department": department_json(c.department), "probability": c.probability}
            for c in candidates]} for ticket_id, candidates in found.items()}

    return jsonify(paged_tickets(dispatching.waiting(), events=True, extra=offered))


@bp.post("/tickets/<ticket:number>/assign")
@api_login_required(Role.DISPATCHER)
def assign(number: str):
    """Send a ticket to a unit (a correction of the router's proposal is a training label)."""
    body = parse_body(AssignRequest)
    ticket = find_ticket(number)
    dispatching.assign(get_session(), ticket, body.department, body.category, current_user(), policy(), clock.now(),
                       note=body.note)
    return committed(ticket)


@bp.post("/dispatch/bulk-assign")
@api_login_required(Role.DISPATCHER)
def bulk_assign():
    """Send several queued tickets to one unit: all of them, or none if one has left the queue."""
    body = parse_body(BulkAssignRequest)
    tickets = dispatching.assign_many(get_session(), body.numbers, body.department, body.category, current_user(),
                                      policy(), clock.now(), limit=int(current_app.config["BULK_MAX"]))
    get_session().commit()
    return jsonify(assigned=[t.number for t in tickets], department=body.department)


@bp.post("/tickets/<ticket:number>/merge")
@api_login_required(Role.DISPATCHER)
def merge(number: str):
    """合并: close a repeat waiting for dispatch into the ticket it repeats."""
    body = parse_body(MergeRequest)
    ticket = find_ticket(number)
    dispatching.merge(get_session(), ticket, body.original, current_user(), clock.now(), note=body.note)
    return committed(ticket)


register("post", "/tickets/{number}/merge", "Merge a queued repeat into the ticket it repeats (合并)", "dispatcher",
         MergeRequest, response=responses.TicketWithEvents)
