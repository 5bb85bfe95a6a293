"""What a citizen reaches without an account: the status lookup, as a page and as JSON."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from .api import responses
from .api.openapi import param, register
from .presentation import iso
from .db import get_session
from .limits import limiter, status_lookup_rate
from .services.errors import DomainError
from .services.policy import policy_from_settings
from .services.status_lookup import TicketStatusView, lookup
from .web.messages import zh_error

bp = Blueprint("public", __name__)


def _tz():
    """The city's time zone."""
    return policy_from_settings(current_app.config).tz


def status_json(view: TicketStatusView) -> dict:
    """The lookup's answer as JSON."""
    tz = _tz()
    return {
        "number": view.number, "status": view.status.value, "unit": view.unit,
        "created_at": iso(view.created_at, tz), "dispatched_at": iso(view.dispatched_at, tz),
        "reply_by": iso(view.reply_by, tz), "replied_at": iso(view.replied_at, tz),
        "closed_at": iso(view.closed_at, tz), "reply": view.reply,
    }


@bp.get("/api/v1/status")
@limiter.limit(status_lookup_rate)
def status_api():
    """GET /api/v1/status?number=&phone_tail=: a ticket's public status."""
    view = lookup(get_session(), request.args.get("number", ""), request.args.get("phone_tail", ""))
    return jsonify(status_json(view))


register("get", "/status", "A ticket's public status for ?number=&phone_tail= (last four digits); rate-limited",
         "anyone", query=(param("number", {"type": "string"}, "the ticket's number", required=True),
                          param("phone_tail", {"type": "string"}, "the caller's last four digits", required=True)),
         response=responses.PublicStatus, errors=(400, 404, 429, 503))


@bp.get("/status")
@limiter.limit(status_lookup_rate)
def status_page():
    """The lookup page: a form, and the answer under it."""
    number, tail = request.args.get("number", ""), request.args.get("phone_tail", "")
    view, message, code = None, None, 200
    if number or tail:
        try:
            view = lookup(get_session(), number, tail)
        except DomainError as exc:
            code, message = exc.status, zh_error(exc)
    return render_template("public/status.html", view=view, message=message, number=number, tail=tail), code
