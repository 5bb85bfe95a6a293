"""Supervisors: extension decisions and the daily callback (每日一回访)."""
from flask import jsonify

from models import Role

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..services import callbacks as callback_lists
from ..services import workflow
from . import bp
from .common import committed, current_user, find_ticket, parse_body, policy
from .schemas import CallbackCreate, DecisionRequest
from .tickets import paged_tickets


def _decide(number: str, approve: bool):
    """Approve or reject the ticket's pending extension request."""
    body = parse_body(DecisionRequest)
    ticket = find_ticket(number)
    workflow.decide_extension(get_session(), ticket, approve, current_user(), policy(), clock.now(), body.note)
    return committed(ticket)


@bp.post("/tickets/<ticket:number>/extension/approve")
@api_login_required(Role.SUPERVISOR)
def approve_extension(number: str):
    """Grant the extension: reply-by moves by the requested working days."""
    return _decide(number, True)


@bp.post("/tickets/<ticket:number>/extension/reject")
@api_login_required(Role.SUPERVISOR)
def reject_extension(number: str):
    """Refuse the extension: the deadline stands."""
    return _decide(number, False)


@bp.get("/callbacks")
@api_login_required(Role.SUPERVISOR, Role.ADMIN)
def callbacks():
    """Replied tickets awaiting their callback, oldest reply first."""
    return jsonify(paged_tickets(callback_lists.awaiting()))


@bp.post("/tickets/<ticket:number>/callback")
@api_login_required(Role.SUPERVISOR)
def callback(number: str):
    """Record a callback attempt and its outcome."""
    body = parse_body(CallbackCreate)
    ticket = find_ticket(number)
    workflow.record_callback(get_session(), ticket, current_user(), policy(), clock.now(),
                             reached=body.reached, solved=body.solved, satisfaction=body.satisfaction,
                             comment=body.comment)
    return committed(ticket)
