"""Admin pages for the interfaces: Open311 client systems, notification targets, dead-lettered notifications."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from models import Role

from ..db import get_session
from ..services import directory, open311, outbox
from ..services.errors import DomainError
from .auth import login_required
from .common import now
from .messages import zh_error

bp = Blueprint("interfaces_admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required(Role.ADMIN)
def _admins_only():
    """Every page here is the admin's."""


@bp.route("/open311", methods=["GET", "POST"])
def open311_clients():
    """Client systems; creating one shows its api_key once."""
    session = get_session()
    api_key, status = None, 200
    if request.method == "POST":
        try:
            _client, api_key = open311.create_client(session, request.form.get("name", ""), now())
            session.commit()
        except DomainError as exc:
            session.rollback()
            flash(zh_error(exc), "error")
            status = 400
    return render_template("admin/open311.html", clients=open311.list_clients(session), api_key=api_key), status


@bp.route("/notify", methods=["GET", "POST"])
def notify_targets():
    """Where units' notifications go: e-mail addresses and signed webhooks, per unit or system-wide."""
    session = get_session()
    status = 200
    if request.method == "POST":
        try:
            department_id = directory.department_id(session, request.form.get("department") or None)
            outbox.add_target(session, department_id, request.form.get("channel", ""),
                              request.form.get("address", ""), request.form.get("secret", ""))
            session.commit()
            return redirect(url_for(".notify_targets"))
        except DomainError as exc:
            session.rollback()
            flash(zh_error(exc), "error")
            status = 400
    departments = [d for d in directory.departments(session, order="code") if d.active]
    return render_template("admin/notify.html", targets=outbox.targets(session), departments=departments), status


@bp.post("/notify/<int:target_id>/active")
def notify_target_active(target_id: int):
    """Switch a target on or off."""
    session = get_session()
    outbox.set_target_active(session, target_id, request.form.get("active") == "1")
    session.commit()
    return redirect(url_for(".notify_targets"))


@bp.get("/outbox")
def dead_letters():
    """Notifications that failed every attempt."""
    return render_template("admin/outbox.html", messages=outbox.dead_letters(get_session()),
                           backlog=outbox.backlog(get_session()))


@bp.post("/outbox/<int:message_id>/retry")
def retry(message_id: int):
    """Send a dead-lettered notification again."""
    session = get_session()
    outbox.requeue(session, message_id, now())
    session.commit()
    flash(f"通知 {message_id} 已重新排队发送。", "success")
    return redirect(url_for(".dead_letters"))
