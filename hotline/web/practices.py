"""挂起 (unit asks, supervisor decides, unit resumes), 申诉/核减 (unit files, supervisor decides), emergency list."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from wtforms import StringField

from models import CountAppealItem, CountAppealStatus, PauseReason, Role

from ..db import get_session
from ..services import count_appeals, emergency, pauses
from .auth import current_user, login_required
from .common import find_ticket, now, paginate, perform, policy, safe_next
from .department import _ticket_page  # the unit's ticket page, re-rendered with the pause form's messages
from .forms import STRIP, ButtonForm, DecisionForm, FilterForm, Select
from .labels import choices
from .practice_forms import AppealForm, PauseForm

bp = Blueprint("practices", __name__)


# ---- 挂起, on the unit's ticket page -------------------------------------------------------------------------

@bp.post("/department/tickets/<number>/pause")
@login_required(Role.DEPARTMENT)
def request_pause(number: str):
    """申请挂起: reason, note, at most how many working days; a supervisor decides."""
    ticket = find_ticket(number, current_user())
    form = PauseForm(prefix="pause")
    if form.validate_on_submit():
        error = perform(lambda: pauses.request_pause(
            get_session(), ticket, PauseReason(form.reason.data), form.note.data, form.working_days.data,
            current_user(), policy(), now()), form, done=f"工单 {number} 的挂起申请已提交，等待督办审批。")
        if error is None:
            return redirect(url_for("department.ticket", number=number))
        return _ticket_page(ticket, error.status, pause=form)
    return _ticket_page(ticket, 400, pause=form)


def _resume(number: str, page: str):
    """恢复计时 (the same service for the unit and a supervisor); back to the ticket page `page`."""
    ticket = find_ticket(number, current_user())
    if ButtonForm().validate_on_submit():
        perform(lambda: pauses.resume(get_session(), ticket, current_user(), policy(), now()),
                done=f"工单 {number} 已恢复计时，办结时限已顺延。", redirecting=True)
    return redirect(url_for(page, number=number))


@bp.post("/department/tickets/<number>/resume")
@login_required(Role.DEPARTMENT)
def resume(number: str):
    """恢复计时: the deadlines move by the working time paused."""
    return _resume(number, "department.ticket")


@bp.post("/supervisor/tickets/<number>/resume")
@login_required(Role.SUPERVISOR)
def supervisor_resume(number: str):
    """A supervisor restarts a paused ticket's clock from the ticket page (the citizen's answer came to the centre)."""
    return _resume(number, "tickets.detail")


# ---- 挂起审批, for supervisors ----------------------------------------------------------------------------------

def _pauses_page(bound: DecisionForm | None = None, bound_number: str | None = None, status: int = 200):
    """The pending pause requests, one page at a time."""
    form = FilterForm(request.args)
    valid = form.validate()
    page = paginate(pauses.pending(), form.value("page")) if valid else None
    forms = {}
    for pause in page.items if page else []:
        number = pause.ticket.number
        forms[number] = bound if number == bound_number else DecisionForm(formdata=None, prefix=f"pa{number}")
    return render_template("practices/pauses.html", form=form, page=page, forms=forms,
                           here=request.full_path), (status if valid else 400)


@bp.get("/supervisor/pauses")
@login_required(Role.SUPERVISOR)
def pause_requests():
    """挂起审批: pending requests, oldest first."""
    return _pauses_page()


@bp.post("/supervisor/pauses/<number>/<decision>")
@login_required(Role.SUPERVISOR)
def decide_pause(number: str, decision: str):
    """Approve (the clock stops now) or reject a unit's pause request."""
    if decision not in ("approve", "reject"):
        return redirect(url_for(".pause_requests"))
    ticket = find_ticket(number, current_user())
    form = DecisionForm(prefix=f"pa{number}")
    if form.validate_on_submit():
        approve = decision == "approve"
        error = perform(lambda: pauses.decide_pause(get_session(), ticket, approve, current_user(), policy(), now(),
                                                    form.note.data or ""), form,
                        done=f"工单 {number} 的挂起申请已{'批准，已停止计时' if approve else '驳回'}。")
        if error is None:
            return redirect(safe_next(form.next.data, url_for(".pause_requests")))
        return _pauses_page(form, number, error.status)
    return _pauses_page(form, number, 400)


# ---- 申诉/核减 ----------------------------------------------------------------------------------------------------

class AppealFilter(FilterForm):
    """Which appeals to list."""

    status = Select("状态", choices=[("", "全部"), *choices("count_appeal_status")], default="")
    period = StringField("月份", filters=STRIP)


def _appeals_page(template: str, filing: AppealForm | None = None, bound: DecisionForm | None = None,
                  bound_id: int | None = None, status: int = 200):
    """A list of appeals (a unit's own, or all for supervisors), with the filing or decision forms."""
    form = AppealFilter(request.args)
    valid = form.validate()
    chosen = form.value("status")
    query = count_appeals.listing(current_user(), CountAppealStatus(chosen) if chosen else None, form.value("period"))
    page = paginate(query, form.value("page")) if valid else None
    forms = {a.id: bound if a.id == bound_id else DecisionForm(formdata=None, prefix=f"ap{a.id}")
             for a in (page.items if page else [])}
    return render_template(template, form=form, page=page, forms=forms,
                           filing=filing or AppealForm(formdata=None, prefix="ap"),
                           window=policy().practice_rules.appeal_window_days,
                           here=request.full_path), (status if valid else 400)


@bp.get("/department/appeals")
@login_required(Role.DEPARTMENT)
def unit_appeals():
    """申诉/核减: the unit's own appeals, and the form to file one."""
    return _appeals_page("practices/unit_appeals.html")


@bp.post("/department/appeals")
@login_required(Role.DEPARTMENT)
def file_appeal():
    """File an appeal against an item counted against the unit in a published month."""
    form = AppealForm(prefix="ap")
    if form.validate_on_submit():
        error = perform(lambda: count_appeals.file_appeal(
            get_session(), form.ticket.data, form.period.data, CountAppealItem(form.item.data), form.reason.data,
            current_user(), policy(), now()), form, done=f"工单 {form.ticket.data} 的核减申请已提交，等待督办审核。")
        if error is None:
            return redirect(url_for(".unit_appeals"))
        return _appeals_page("practices/unit_appeals.html", filing=form, status=error.status)
    return _appeals_page("practices/unit_appeals.html", filing=form, status=400)


@bp.get("/supervisor/appeals")
@login_required(Role.SUPERVISOR)
def supervisor_appeals():
    """核减审核: every unit's appeals, pending first by filter."""
    return _appeals_page("practices/supervisor_appeals.html")


@bp.post("/supervisor/appeals/<int:appeal_id>/<decision>")
@login_required(Role.SUPERVISOR)
def decide_appeal(appeal_id: int, decision: str):
    """Accept (a new revision of the month is published) or reject an appeal."""
    if decision not in ("accept", "reject"):
        return redirect(url_for(".supervisor_appeals"))
    form = DecisionForm(prefix=f"ap{appeal_id}")
    if form.validate_on_submit():
        accept = decision == "accept"
        error = perform(lambda: count_appeals.decide(get_session(), appeal_id, accept, current_user(), policy(), now(),
                                                     form.note.data or ""), form,
                        done=f"核减申请 {appeal_id} 已{'通过，通报已发布新版本' if accept else '驳回'}。")
        if error is None:
            return redirect(safe_next(form.next.data, url_for(".supervisor_appeals")))
        return _appeals_page("practices/supervisor_appeals.html", bound=form, bound_id=appeal_id, status=error.status)
    return _appeals_page("practices/supervisor_appeals.html", bound=form, bound_id=appeal_id, status=400)


# ---- emergency hand-offs -------------------------------------------------------------------------------------------

class EmergencyFilter(FilterForm):
    """Which service's hand-offs to list."""

    service = Select("转接去向", choices=[("", "全部")], validate_choice=False, default="")


@bp.get("/supervisor/emergencies")
@login_required(Role.SUPERVISOR)
def emergencies():
    """应急转接: calls handed to 110 / 119 / 120 / 122 …, newest first."""
    form = EmergencyFilter(request.args)
    allowed = policy().practice_rules.emergency_services
    form.service.choices += [(s, s) for s in allowed]
    valid = form.validate() and (form.value("service") or "") in ("", *allowed)
    page = paginate(emergency.handed_off(form.value("service")), form.value("page")) if valid else None
    return render_template("practices/emergencies.html", form=form, page=page), 200 if valid else 400
