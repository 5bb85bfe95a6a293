"""回访/督办: the daily callback list, extension approvals, hot-spot alerts (reports: supervisor_reports.py)."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from wtforms import StringField
from wtforms.validators import Optional, Regexp

from models import Role, Satisfaction, Ticket, TicketStatus

from ..db import get_session
from ..services import alerts, directory, workflow
from ..services import callbacks as callback_lists
from ..services import extensions as extension_lists
from ..services.errors import NotFound
from .auth import current_user, login_required
from .common import find_ticket, now, page_error, paginate, perform, policy, safe_next
from .dashboards import supervisor_panel
from .forms import STRIP, BulkAcknowledgeForm, ButtonForm, CallbackForm, DecisionForm, FilterForm, Select

bp = Blueprint("supervisor", __name__, url_prefix="/supervisor")


class CallbackFilter(FilterForm):
    """Which callbacks to show."""

    scope = Select("范围", choices=[("today", "今日应回访（含逾期）"), ("all", "全部待回访")], default="today")
    department = Select("承办单位", choices=[("", "全部")], validate_choice=False, default="")
    number = StringField("工单编号", filters=STRIP, validators=[Optional(), Regexp(r"^\d{4,20}$", message="工单编号是一串数字")])


def callback_query(form: CallbackFilter):
    """Replied tickets awaiting their callback (today's, or all), the most overdue first."""
    before = callback_lists.end_of_day(policy(), now()) if (form.value("scope") or "today") == "today" else None
    return callback_lists.due(before=before, department_code=form.value("department"), number=form.value("number"))


def _callbacks_page(bound: CallbackForm | None = None, bound_number: str | None = None, status: int = 200):
    """The callback list; a form that failed keeps what was typed, with the message next to the field.

    A failed entry is re-shown on the list it was typed on (its filters and page come back with the form's
    `next`), so the supervisor keeps their place and the cursor lands on the field to correct.
    """
    here = request.full_path
    args = request.args
    if bound is not None:
        here = safe_next(bound.next.data, url_for(".callbacks"))
        args = MultiDict(parse_qsl(urlsplit(here).query))
    form = CallbackFilter(args)
    form.department.choices += [(d.code, d.name) for d in directory.departments(get_session(), order="code")
                                if d.active]
    valid = form.validate()
    page = paginate(callback_query(form), form.value("page")) if valid else None
    forms, attempts = {}, {}
    if page is not None:
        attempts = callback_lists.unreached_counts(get_session(), [t.id for t in page.items])
        for ticket in page.items:
            forms[ticket.number] = (bound if ticket.number == bound_number
                                    else CallbackForm(formdata=None, prefix=f"cb{ticket.number}"))
    if bound is not None and bound_number not in forms:
        page_error(f"工单 {bound_number} 不在当前列表中：" + "；".join(e for errs in bound.errors.values() for e in errs))
    return render_template("supervisor/callbacks.html", form=form, page=page, forms=forms, attempts=attempts,
                           max_attempts=policy().max_callback_attempts, failed=bound is not None,
                           here=here, **supervisor_panel()), (status if valid else 400)


@bp.get("/")
@login_required(Role.SUPERVISOR)
def callbacks():
    """每日一回访: today's list with the caller's number and the unit's reply."""
    return _callbacks_page()


def _outcome(ticket: Ticket) -> str:
    """What the callback did to the ticket, in words for the confirmation message."""
    if ticket.status == TicketStatus.CLOSED:
        return "无法联系，已归档" if ticket.callback_unreachable else "已办结归档"
    if ticket.status == TicketStatus.REPLIED:
        return "未接通，稍后再拨"
    return "未解决或不满意，已转重办"


@bp.post("/callbacks/<number>")
@login_required(Role.SUPERVISOR)
def record_callback(number: str):
    """Record one callback: reached, solved, satisfaction (a few keystrokes per row)."""
    ticket = find_ticket(number, current_user())
    form = CallbackForm(prefix=f"cb{number}")
    if form.validate_on_submit():
        reached = form.reached.data == "1"

        def _record() -> None:
            """Record the attempt; solved and satisfaction only when the caller was reached."""
            workflow.record_callback(
                get_session(), ticket, current_user(), policy(), now(), reached=reached,
                solved=(form.solved.data == "1") if reached else None,
                satisfaction=Satisfaction(form.satisfaction.data) if reached else None,
                comment=form.comment.data or "")

        error = perform(_record, form)
        if error is None:
            flash(f"工单 {number} 回访已记录：{_outcome(ticket)}。", "success")
            return redirect(safe_next(form.next.data, url_for(".callbacks")))
        return _callbacks_page(form, number, error.status)
    return _callbacks_page(form, number, 400)


@bp.get("/extensions")
@login_required(Role.SUPERVISOR)
def extensions():
    """延期审批: pending requests, oldest first."""
    return _extensions_page()


def _extensions_page(bound: DecisionForm | None = None, bound_number: str | None = None, status: int = 200):
    """The pending extension requests, one page at a time."""
    form = FilterForm(request.args)
    valid = form.validate()
    page = paginate(extension_lists.pending(), form.value("page")) if valid else None
    forms = {}
    for request_ in page.items if page else []:
        number = request_.ticket.number
        forms[number] = bound if number == bound_number else DecisionForm(formdata=None, prefix=f"ex{number}")
    return render_template("supervisor/extensions.html", form=form, page=page, forms=forms,
                           here=request.full_path), (status if valid else 400)


@bp.post("/extensions/<number>/<decision>")
@login_required(Role.SUPERVISOR)
def decide_extension(number: str, decision: str):
    """Approve or reject a unit's extension request."""
    if decision not in ("approve", "reject"):
        return redirect(url_for(".extensions"))
    ticket = find_ticket(number, current_user())
    form = DecisionForm(prefix=f"ex{number}")
    if form.validate_on_submit():
        approve = decision == "approve"
        done = f"工单 {number} 的延期申请已{'批准' if approve else '驳回'}。"
        error = perform(lambda: workflow.decide_extension(get_session(), ticket, approve, current_user(), policy(),
                                                          now(), form.note.data or ""), form, done=done)
        if error is None:
            return redirect(safe_next(form.next.data, url_for(".extensions")))
        return _extensions_page(form, number, error.status)
    return _extensions_page(form, number, 400)


class AlertFilter(FilterForm):
    """Open alerts only, or all."""

    show = Select("显示", choices=[("open", "未处理"), ("all", "全部")], default="open")


@bp.get("/alerts")
@login_required(Role.SUPERVISOR)
def alert_list():
    """热点预警: many tickets of one category in one district within hours, newest first."""
    form = AlertFilter(request.args)
    valid = form.validate()
    query = alerts.listed(open_only=(form.value("show") or "open") == "open")
    page = paginate(query, form.value("page")) if valid else None
    return render_template("supervisor/alerts.html", form=form, page=page, button=ButtonForm(formdata=None),
                           bulk=BulkAcknowledgeForm(formdata=None), here=request.full_path), 200 if valid else 400


@bp.post("/alerts/ack")
@login_required(Role.SUPERVISOR)
def acknowledge_alerts():
    """Mark the hot spots ticked on the list as seen, all at once."""
    form = BulkAcknowledgeForm()
    if form.validate_on_submit():
        ids = form.alert_ids.data or []
        perform(lambda: alerts.acknowledge_many(get_session(), ids, current_user().id, now(),
                                                limit=int(current_app.config["BULK_MAX"])),
                done=f"已将 {len(set(ids))} 条预警标记为已处理。", redirecting=True)
    else:
        flash("；".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(safe_next(form.next.data, url_for(".alert_list")))


@bp.post("/alerts/<int:alert_id>/ack")
@login_required(Role.SUPERVISOR)
def acknowledge_alert(alert_id: int):
    """Mark a hot spot as seen."""
    alerts.find(get_session(), alert_id)  # a 404 page for an unknown alert
    form = ButtonForm()
    if form.validate_on_submit():
        perform(lambda: alerts.acknowledge(get_session(), alert_id, current_user().id, now()), done="预警已标记为已处理。",
                redirecting=True)
    return redirect(safe_next(request.form.get("next"), url_for(".alert_list")))
