"""合并件回访 on the callback page: merged duplicates' callers, called once their original is closed."""
from __future__ import annotations

from flask import Flask, flash, redirect, url_for

from models import Role, Satisfaction

from ..db import get_session
from ..services import merged_callbacks
from .auth import current_user, login_required
from .common import find_ticket, now, perform, policy, safe_next
from .forms import CallbackForm
from .supervisor import bp


def merged_due() -> list[tuple]:
    """(ticket, its callback form) for each merged caller to call back, for the callback page."""
    return [(t, CallbackForm(formdata=None, prefix=f"mcb{t.number}")) for t in merged_callbacks.list_due(get_session())]


@bp.post("/merged-callbacks/<number>")
@login_required(Role.SUPERVISOR)
def record_merged_callback(number: str):
    """Record the callback to a merged duplicate's caller."""
    ticket = find_ticket(number, current_user())
    form = CallbackForm(prefix=f"mcb{number}")
    if form.validate_on_submit():
        reached = form.reached.data == "1"
        error = perform(lambda: merged_callbacks.record(
            get_session(), ticket, current_user(), policy(), now(), reached=reached,
            solved=(form.solved.data == "1") if reached else None,
            satisfaction=Satisfaction(form.satisfaction.data) if reached else None, comment=form.comment.data or ""),
            form, redirecting=True)
        if error is None:
            flash(f"合并件 {number} 的来电人回访已记录。", "success")
        return redirect(safe_next(form.next.data, url_for(".callbacks")))
    flash("；".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for(".callbacks"))


def init_app(app: Flask) -> None:
    """The callback page's list of merged callers."""
    app.jinja_env.globals.update(merged_callbacks_due=merged_due)
