"""The dispatcher's queue and manual assignment."""
from flask import jsonify
from sqlalchemy import select

from models import Category, Role, Ticket, TicketStatus

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..services import workflow
from ..services.errors import InvalidInput
from ..services.routing import category_of_department
from . import bp
from .common import current_user, find_department, find_ticket, parse_body, policy
from .schemas import AssignRequest
from .serialize import ticket_json
from .tickets import paged_tickets


@bp.get("/dispatch/queue")
@api_login_required(Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN)
def queue():
    """Tickets waiting for a person to dispatch (low confidence, no rule, or returned), with their history."""
    return jsonify(paged_tickets(select(Ticket).where(Ticket.status == TicketStatus.PENDING_DISPATCH), events=True))


@bp.post("/tickets/<number>/assign")
@api_login_required(Role.DISPATCHER)
def assign(number: str):
    """Send a ticket to a unit (a correction of the router's proposal is a training label)."""
    body = parse_body(AssignRequest)
    session = get_session()
    ticket = find_ticket(number)
    department = find_department(body.department)
    if body.category:
        category = session.scalar(select(Category).where(Category.name == body.category))
        if category is None:
            raise InvalidInput("unknown_category", field="category", value=body.category)
    else:
        # The final category is the training label: infer it from the unit when only one category maps there.
        category = category_of_department(session, department)
    workflow.dispatch(session, ticket, department, category, policy(), clock.now(),
                      actor=current_user(), note=body.note)
    session.commit()
    return jsonify(ticket_json(ticket, current_user(), policy().tz))
