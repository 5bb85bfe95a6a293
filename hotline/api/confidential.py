"""保密 over the API: centre staff ask for a confidential caller's identity, and each ask is an event."""
from __future__ import annotations

from flask import jsonify

from models import Role

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..services import confidentiality
from . import bp
from .common import current_user, find_ticket
from .openapi import register

CENTRE = (Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN)


@bp.post("/tickets/<ticket:number>/identity")
@api_login_required(*CENTRE)
def reveal_identity(number: str):
    """The caller's name, phone and address; for a confidential caller the look is recorded (who, when)."""
    session = get_session()
    ticket = find_ticket(number)
    shown = confidentiality.reveal_identity(session, ticket, current_user(), clock.now())
    session.commit()
    return jsonify(number=ticket.number, confidential=ticket.confidential, caller_name=shown.name,
                   caller_phone=shown.phone, address=shown.address, district=ticket.district)


register("post", "/tickets/{number}/identity",
         "A confidential caller's identity (保密): name, phone, address; every call is an event on the ticket",
         "operator, dispatcher, supervisor, admin (never a unit)",
         response={"type": "object", "required": ["number", "confidential", "caller_name"]})
