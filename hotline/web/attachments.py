"""Attachments on the ticket pages: thumbnails, downloads and an upload form, for users who may see the ticket."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from models import Role

from ..attachment_views import send, upload
from ..db import get_session
from ..services import attachments
from ..services.errors import DomainError
from .auth import current_user, login_required
from .common import find_ticket, safe_next
from .messages import zh_error

bp = Blueprint("attachments", __name__, url_prefix="/attachments")
ANYONE = (Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT)


def ticket_attachments(ticket) -> list:
    """The ticket's attachments, for the ticket pages' template."""
    return attachments.of_ticket(get_session(), ticket)


@bp.get("/<number>/<int:attachment_id>")
@login_required(*ANYONE)
def file(number: str, attachment_id: int):
    """Download or show an attachment."""
    return send(get_session(), find_ticket(number, current_user()), attachment_id)


@bp.get("/<number>/<int:attachment_id>/thumbnail")
@login_required(*ANYONE)
def thumbnail(number: str, attachment_id: int):
    """A photo's thumbnail."""
    return send(get_session(), find_ticket(number, current_user()), attachment_id, thumbnail=True)


@bp.post("/<number>")
@login_required(*ANYONE)
def add(number: str):
    """Upload a photo or PDF, then go back to the ticket page."""
    session = get_session()
    ticket = find_ticket(number, current_user())
    try:
        upload(session, ticket, current_user(), request.files.get("file"))
        session.commit()
        flash("附件已上传。", "success")
    except DomainError as exc:
        session.rollback()
        flash(zh_error(exc), "error")
    return redirect(safe_next(request.form.get("next"), url_for("web.index")))
