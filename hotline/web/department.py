"""承办单位: the unit's inbox (flag, time left, sort, filter) and the ticket page (sign, return, extension, reply)."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from wtforms import StringField
from wtforms.validators import Length, Optional, Regexp

from models import Role, Ticket, User

from ..db import get_session
from ..services import grading, search, ticket_notes, workflow
from ..services.badges import badges_of
from ..services.pauses import of_ticket as pause_requests
from ..services.cycle.flags import flag_of
from .auth import current_user, login_required
from .common import Page, extension_requests, find_ticket, now, paged, perform, policy
from .forms import STRIP, ButtonForm, ExtensionForm, FilterForm, ReplyForm, ReturnForm, Select
from .labels import choices
from .practice_forms import PauseForm
from .dashboards import unit_panel

bp = Blueprint("department", __name__, url_prefix="/department")

SORTS = {
    "due": "办结时限（最紧的在前）",
    "sign": "签收时限（最紧的在前）",
    "flag": "旗色（黑红黄绿）",
    "new": "最新派来的在前",
    "old": "最早派来的在前",
}


class InboxFilter(FilterForm):
    """The inbox's filters and order, all from the query string."""

    status = Select("状态", choices=[
        ("open", "在办（待签收+办理中）"), ("dispatched", "待签收"), ("signed", "办理中"), ("replied", "已回复待回访"),
        ("closed", "已办结"), ("all", "全部"),
    ], default="open")
    flag = Select("旗色", choices=[("", "全部"), *choices("flag")], default="")
    urgency = Select("紧急程度", choices=[("", "全部"), *choices("urgency")], default="")
    appeal_type = Select("诉求类型", choices=[("", "全部"), *choices("appeal_type")], default="")
    number = StringField("工单编号", filters=STRIP, validators=[Optional(), Regexp(r"^\d{4,20}$", message="工单编号是一串数字")])
    q = StringField("查询", filters=STRIP, validators=[Optional(), Length(max=100, message="最多 100 字")],
                    render_kw={"type": "search", "placeholder": "编号、姓名、地址或内容中的词"})
    sort = Select("排序", choices=list(SORTS.items()), default="due")
    handler = Select("承办人", choices=[("", "全部"), ("me", "我的工单"), ("none", "未分配")], default="")


def inbox_page(form: InboxFilter, user: User) -> Page:
    """The page asked for of the unit's tickets matching the filters, in the chosen order."""
    return paged(lambda **paging: search.inbox_page(
        get_session(), user, now(), policy().cycle_rules, status=form.value("status") or "open",
        flag=form.value("flag"), urgency=form.value("urgency"), appeal_type=form.value("appeal_type"),
        number=form.value("number"), q=form.value("q"), sort=form.value("sort") or "due",
        handler=form.value("handler"), **paging), form.value("page"))


@bp.get("/")
@login_required(Role.DEPARTMENT)
def inbox():
    """The unit's own work orders with flag colour and time left, paged, sorted and filtered on the server."""
    form = InboxFilter(request.args)
    valid = form.validate()
    page = inbox_page(form, current_user()) if valid else None
    at = now()
    flags = {t.id: flag_of(t, at, policy().cycle_rules) for t in page.items} if page else {}
    # 催办 and notes per row (two grouped queries for the page), and the badges (one query per rule).
    marks = ticket_notes.markers(get_session(), [t.id for t in page.items], current_user().department_id) if page else {}
    badges = badges_of(get_session(), page.items) if page else {}
    awaited = grading.parts_awaited(page.items, current_user()) if page else set()
    return (render_template("department/inbox.html", form=form, page=page, flags=flags, marks=marks, badges=badges,
                            awaited=awaited,
                            **unit_panel()), 200 if valid else 400)


def _ticket_page(ticket: Ticket, status: int = 200, **forms):
    """The unit's page of one ticket: what to do next, deadlines, and the history."""
    forms.setdefault("ret", ReturnForm(formdata=None, prefix="ret"))
    forms.setdefault("ext", ExtensionForm(formdata=None, prefix="ext"))
    forms.setdefault("rep", ReplyForm(formdata=None, prefix="rep"))
    forms.setdefault("pause", PauseForm(formdata=None, prefix="pause"))
    extensions = extension_requests(ticket)
    return render_template("department/ticket.html", ticket=ticket, ticket_flag=flag_of(ticket, now(), policy().cycle_rules),
                           pauses=pause_requests(get_session(), ticket),
                           max_pause_days=policy().practice_rules.max_pause_working_days,
                           extensions=extensions, max_returns=policy().max_returns,
                           max_days=policy().max_extension_working_days, button=ButtonForm(formdata=None),
                           **forms), status


@bp.get("/tickets/<number>")
@login_required(Role.DEPARTMENT)
def ticket(number: str):
    """One of the unit's tickets (another unit's is a 404)."""
    return _ticket_page(find_ticket(number, current_user()))


def _act(number: str, form_key: str | None, form, action, done: str, back_to_inbox: bool = False):
    """Validate the form, run the workflow step, and go back to the ticket (or re-render it with the message)."""
    ticket = find_ticket(number, current_user())
    if form.validate_on_submit():
        error = perform(lambda: action(ticket, form), form, done=done.format(number=ticket.number))
        if error is None:
            # A returned ticket is no longer the unit's to see: back to the inbox.
            return redirect(url_for(".inbox") if back_to_inbox else url_for(".ticket", number=ticket.number))
        status = error.status
    else:
        status = 400
    return _ticket_page(ticket, status, **({form_key: form} if form_key else {}))


@bp.post("/tickets/<number>/sign")
@login_required(Role.DEPARTMENT)
def sign(number: str):
    """签收."""
    return _act(number, None, ButtonForm(), lambda t, f: workflow.sign(get_session(), t, current_user(), now()),
                "工单 {number} 已签收。")


@bp.post("/tickets/<number>/return")
@login_required(Role.DEPARTMENT)
def return_(number: str):
    """退单, with the reason."""
    return _act(number, "ret", ReturnForm(prefix="ret"), lambda t, f: workflow.return_ticket(
        get_session(), t, f.reason.data, current_user(), policy(), now(), reason_code=f.reason_code.data),
        "工单 {number} 已退回派单员。",
        back_to_inbox=True)


@bp.post("/tickets/<number>/extension")
@login_required(Role.DEPARTMENT)
def extension(number: str):
    """延期申请 (once per ticket)."""
    return _act(number, "ext", ExtensionForm(prefix="ext"), lambda t, f: workflow.request_extension(
        get_session(), t, f.reason.data, f.working_days.data, current_user(), policy(), now()),
        "工单 {number} 的延期申请已提交，等待督办审批。")


@bp.post("/tickets/<number>/reply")
@login_required(Role.DEPARTMENT)
def reply(number: str):
    """办结回复."""
    return _act(number, "rep", ReplyForm(prefix="rep"), lambda t, f: workflow.reply(
        get_session(), t, f.reply.data, current_user(), now(), policy=policy()), "工单 {number} 已办结回复。")
