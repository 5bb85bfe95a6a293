"""挂起: a unit asks to pause a ticket's clock, a supervisor decides, the unit resumes."""
from flask import jsonify

from models import Role

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..presentation import iso
from ..services import pauses
from . import bp
from .common import committed, current_user, find_ticket, paged, parse_body, policy
from . import responses
from .openapi import PAGE, register
from .schemas import DecisionRequest, PauseCreate


@bp.post("/tickets/<ticket:number>/pause")
@api_login_required(Role.DEPARTMENT)
def request_pause(number: str):
    """Ask to pause the ticket's clock: reason, note, at most how many working days."""
    body = parse_body(PauseCreate)
    ticket = find_ticket(number)
    pauses.request_pause(get_session(), ticket, body.reason, body.note, body.working_days, current_user(), policy(),
                         clock.now())
    return committed(ticket)


def _decide(number: str, approve: bool):
    """Approve or reject the ticket's pending pause request."""
    body = parse_body(DecisionRequest)
    ticket = find_ticket(number)
    pauses.decide_pause(get_session(), ticket, approve, current_user(), policy(), clock.now(), body.note)
    return committed(ticket)


@bp.post("/tickets/<ticket:number>/pause/approve")
@api_login_required(Role.SUPERVISOR)
def approve_pause(number: str):
    """The clock stops now, until the unit resumes or the approved working days run out."""
    return _decide(number, True)


@bp.post("/tickets/<ticket:number>/pause/reject")
@api_login_required(Role.SUPERVISOR)
def reject_pause(number: str):
    """The clock keeps running."""
    return _decide(number, False)


@bp.post("/tickets/<ticket:number>/resume")
@api_login_required(Role.DEPARTMENT, Role.SUPERVISOR)
def resume_clock(number: str):
    """The clock runs again; the deadlines move by the working time paused."""
    ticket = find_ticket(number)
    pauses.resume(get_session(), ticket, current_user(), policy(), clock.now())
    return committed(ticket)


@bp.get("/pauses")
@api_login_required(Role.SUPERVISOR, Role.ADMIN)
def pending_pauses():
    """Pause requests waiting for a decision, oldest first."""
    rows, meta = paged(pauses.pending())
    tz = policy().tz
    return jsonify(items=[{
        "id": p.id, "ticket": p.ticket.number, "department": p.department.code, "reason": p.reason.value,
        "note": p.note, "working_days": p.working_days, "requested_at": iso(p.requested_at, tz)} for p in rows], **meta)


TICKET = {"response": responses.TicketWithEvents}
register("post", "/tickets/{number}/pause", "Ask to pause the clock (挂起): reason, note, working_days", "department",
         PauseCreate, **TICKET)
register("post", "/tickets/{number}/pause/approve", "Approve the pending pause: the clock stops", "supervisor",
         DecisionRequest, **TICKET)
register("post", "/tickets/{number}/pause/reject", "Reject the pending pause", "supervisor", DecisionRequest, **TICKET)
register("post", "/tickets/{number}/resume", "Resume the clock; deadlines move by the paused working time",
         "department, supervisor", None, **TICKET)
register("get", "/pauses", "Pause requests waiting for a decision", "supervisor, admin", None, query=PAGE,
         response=responses.Rows)
