"""A ticket's photos and PDFs: list, upload (multipart `file`), download, thumbnail."""
from __future__ import annotations

from flask import jsonify, request

from models import Role

from ..attachment_views import send, upload
from ..auth import api_login_required
from ..db import get_session
from ..services import attachments, confidentiality
from . import bp
from .common import current_user, find_ticket, policy
from . import responses
from .openapi import register
from ..presentation import iso

ANYONE = (Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT)


def attachment_json(attachment) -> dict:
    """An attachment's facts; a confidential caller's file names are not a unit's to read (保密)."""
    hidden = attachment.ticket.confidential and confidentiality.is_unit(current_user())
    return {"id": attachment.id, "content_type": attachment.content_type, "size": attachment.size,
            "filename": "" if hidden else attachment.filename, "source": attachment.source,
            "created_at": iso(attachment.created_at, policy().tz)}


@bp.get("/tickets/<ticket:number>/attachments")
@api_login_required(*ANYONE)
def attachment_list(number: str):
    """The ticket's attachments."""
    ticket = find_ticket(number)
    return jsonify([attachment_json(a) for a in attachments.of_ticket(get_session(), ticket)])


@bp.post("/tickets/<ticket:number>/attachments")
@api_login_required(*ANYONE)
def attachment_upload(number: str):
    """Add a photo or PDF (checked by its content) to a ticket the user may see."""
    session = get_session()
    attachment = upload(session, find_ticket(number), current_user(), request.files.get("file"))
    session.commit()
    return jsonify(attachment_json(attachment)), 201


@bp.get("/tickets/<ticket:number>/attachments/<int:attachment_id>")
@api_login_required(*ANYONE)
def attachment_file(number: str, attachment_id: int):
    """The file itself."""
    return send(get_session(), find_ticket(number), attachment_id)


@bp.get("/tickets/<ticket:number>/attachments/<int:attachment_id>/thumbnail")
@api_login_required(*ANYONE)
def attachment_thumbnail(number: str, attachment_id: int):
    """A small JPEG of a photo."""
    return send(get_session(), find_ticket(number), attachment_id, thumbnail=True)


register("get", "/tickets/{number}/attachments", "The ticket's photos and PDFs", "anyone who may see the ticket",
         response=responses.Attachments)
register("post", "/tickets/{number}/attachments", "Add a photo or PDF (multipart `file`; typed by its content)",
         "anyone who may see the ticket", status=(201,), response=responses.Attachment,
         form={"type": "object", "required": ["file"],
               "properties": {"file": {"type": "string", "format": "binary"}}})
register("get", "/tickets/{number}/attachments/{attachment_id}", "The file", "anyone who may see the ticket",
         media=("image/jpeg", "image/png", "application/pdf"))
register("get", "/tickets/{number}/attachments/{attachment_id}/thumbnail", "A photo's thumbnail (JPEG)",
         "anyone who may see the ticket", media=("image/jpeg",))
