"""Serving and uploading attachments, shared by the API and the pages: only to users who may see the ticket."""
from __future__ import annotations

from flask import send_file
from sqlalchemy.orm import Session

from models import Attachment, Role, Ticket, User

from . import clock
from .services import attachments
from .uploads import attachment_rules, read_upload

SOURCE_BY_ROLE = {Role.OPERATOR: "intake", Role.DEPARTMENT: "reply"}


def upload(session: Session, ticket: Ticket, user: User, file) -> Attachment:
    """Check and store an uploaded file on the ticket (the caller commits)."""
    data, filename = read_upload(file)
    return attachments.add(session, ticket, data, filename, SOURCE_BY_ROLE.get(user.role, "upload"), user,
                           attachment_rules(), clock.now())


def send(session: Session, ticket: Ticket, attachment_id: int, thumbnail: bool = False):
    """The file (or its thumbnail), with the sniffed type; never rendered as anything else by the browser."""
    attachment = attachments.get(session, ticket, attachment_id)
    rules = attachment_rules()
    if thumbnail:
        response = send_file(attachments.thumbnail(rules, attachment), mimetype="image/jpeg", max_age=3600)
    else:
        response = send_file(attachments.path_of(rules, attachment), mimetype=attachment.content_type,
                             as_attachment=not attachment.is_image,
                             download_name=attachment.filename or f"attachment-{attachment.id}", max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"  # never in a shared cache: it is a citizen's file
    return response
