"""保密 on the pages: the caller as the reader may see them, and the centre's "reveal" action (an event)."""
from __future__ import annotations

from flask import Flask

from ..db import get_session
from ..services import confidentiality
from ..services.confidentiality import CallerView
from . import tickets
from .auth import current_user, login_required
from .common import find_ticket, now, perform


def caller_of(ticket) -> CallerView:
    """The caller as the logged-in reader may see them now (masked until revealed, for a confidential one)."""
    return confidentiality.caller_view(ticket, current_user())


def attachment_name(attachment) -> str:
    """An attachment's file name, unless it might name a confidential caller to a unit."""
    ticket = attachment.ticket
    return "" if ticket.confidential and confidentiality.is_unit(current_user()) else attachment.filename


@tickets.bp.post("/<number>/identity")
@login_required(*tickets.CENTRE)
def reveal_identity(number: str):
    """查看来电人信息: show a confidential caller's identity on the ticket page; the look is recorded."""
    ticket = find_ticket(number, current_user())
    shown: list[CallerView] = []
    error = perform(lambda: shown.append(confidentiality.reveal_identity(get_session(), ticket, current_user(), now())))
    # Rendered, not redirected: a reload of the ticket page shows the identity masked again.
    return tickets.detail_page(ticket, caller=shown[0] if shown else None, status=error.status if error else 200)


def init_app(app: Flask) -> None:
    """The template helpers the ticket pages use for the caller."""
    app.jinja_env.globals.update(caller_of=caller_of, attachment_name=attachment_name)
