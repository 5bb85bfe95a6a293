"""分级解决 and the work inside a unit: grade and co-units, a co-unit's reply, the handler, internal notes."""
from flask import jsonify

from models import Role, TicketNote

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..presentation import event_json, iso
from ..services import grading, handlers, ticket_notes
from . import bp
from .common import committed, current_user, find_ticket, parse_body, policy
from . import responses
from .openapi import register
from .schemas import GradeRequest, HandlerRequest, NoteCreate, ReplyRequest

CENTRE = (Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN)


@bp.post("/tickets/<ticket:number>/grade")
@api_login_required(Role.DISPATCHER, Role.SUPERVISOR)
def grade(number: str):
    """Set or change the ABCD grade (C with its lead and co-handling units)."""
    body = parse_body(GradeRequest)
    ticket = find_ticket(number)
    grading.set_grade(get_session(), ticket, body.grade, current_user(), clock.now(), lead=body.lead,
                      co_units=body.co_units)
    return committed(ticket)


@bp.post("/tickets/<ticket:number>/co-reply")
@api_login_required(Role.DEPARTMENT)
def co_reply(number: str):
    """协办回复: a co-handling unit replies its part."""
    body = parse_body(ReplyRequest)
    ticket = find_ticket(number)
    grading.reply_part(get_session(), ticket, body.reply, current_user(), clock.now())
    return committed(ticket)


@bp.post("/tickets/<ticket:number>/handler")
@api_login_required(Role.DEPARTMENT)
def handler(number: str):
    """Take, assign or reassign the ticket to one handler of the unit ({username} or {round_robin: true})."""
    body = parse_body(HandlerRequest)
    ticket = find_ticket(number)
    handlers.assign_handler(get_session(), ticket, current_user(), clock.now(), username=body.username,
                            round_robin=body.round_robin)
    return committed(ticket)


def note_json(note: TicketNote) -> dict:
    """One internal note."""
    return {
        "id": note.id, "at": iso(note.at, policy().tz), "author": note.author.username,
        "author_name": note.author.display_name,
        "department": note.department.code if note.department else None,  # None: the centre wrote it
        "body": note.body,
    }


@bp.get("/tickets/<ticket:number>/notes")
@api_login_required(*CENTRE, Role.DEPARTMENT)
def notes(number: str):
    """The ticket's internal notes and its 催办 (the daily job's ESCALATED events)."""
    found = ticket_notes.conversation(get_session(), find_ticket(number))
    tz = policy().tz
    return jsonify(notes=[note_json(n) for n in found.notes], urges=[event_json(e, tz) for e in found.urges])


@bp.post("/tickets/<ticket:number>/notes")
@api_login_required(*CENTRE, Role.DEPARTMENT)
def add_note(number: str):
    """Write an internal note (centre ↔ unit)."""
    body = parse_body(NoteCreate)
    note = ticket_notes.add_note(get_session(), find_ticket(number), body.body, current_user(), clock.now())
    get_session().commit()
    return jsonify(note_json(note)), 201


TICKET = {"response": responses.TicketWithEvents}
register("post", "/tickets/{number}/grade", "Set or change the ABCD grade (C: lead and co_units)",
         "dispatcher, supervisor", GradeRequest, **TICKET)
register("post", "/tickets/{number}/co-reply", "A co-handling unit (协办) replies its part", "department",
         ReplyRequest, **TICKET)
register("post", "/tickets/{number}/handler", "Take or assign to a handler of the unit (username or round_robin)",
         "department", HandlerRequest, **TICKET)
register("get", "/tickets/{number}/notes", "Internal notes and 催办 of a ticket", "staff; departments see their own",
         response={"type": "object", "required": ["notes", "urges"]})
register("post", "/tickets/{number}/notes", "Write an internal note", "staff; departments see their own",
         NoteCreate, status=(201,), response={"type": "object"})
