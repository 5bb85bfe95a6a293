"""分级解决 and the work inside a unit on the ticket pages: grade and co-units, a co-unit's part, handler, notes.

The forms sit on the centre's and the unit's ticket pages (templates _grade.html, _handler.html,
_ticket_notes.html); each posts here, runs one service, and goes back to the page it came from with the
outcome (or the refusal, in Chinese) at the top.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from wtforms import BooleanField, HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from models import Department, DepartmentKind, EventAction, Role, Ticket, TicketGrade, User

from ..db import get_session
from ..services import directory, grading, handlers, ticket_notes, workflow
from .auth import current_user, login_required
from .common import find_ticket, now, perform, safe_next
from .forms import STRIP, Select, WebForm
from .labels import choices

bp = Blueprint("coordination", __name__, url_prefix="/coordination")
ANYONE = (Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT)
GRADERS = (Role.DISPATCHER, Role.SUPERVISOR)  # as POST /api/v1/tickets/<n>/grade


class GradeForm(WebForm):
    """分级: the grade, and for C the co-handling units (the lead is the ticket's unit)."""

    grade = Select("分级", choices=choices("grade"), validators=[DataRequired("请选择分级")])
    co_units = SelectMultipleField("协办单位", choices=[], validate_choice=False)
    next = HiddenField()


class PartForm(WebForm):
    """协办意见: a co-handling unit's part of the reply."""

    reply = TextAreaField("协办意见", filters=STRIP, validators=[
        DataRequired("请填写协办意见"), Length(max=5000, message="协办意见最多 5000 字")])
    next = HiddenField()


class HandlerForm(WebForm):
    """承办人: one of the unit's handlers, or the next in turn."""

    username = StringField("承办人", filters=STRIP, validators=[Optional()])
    round_robin = BooleanField("轮流分配")
    next = HiddenField()


class NoteForm(WebForm):
    """内部备注 between the centre and the unit."""

    body = TextAreaField("备注", filters=STRIP, validators=[
        DataRequired("请填写备注内容"), Length(max=ticket_notes.MAX_NOTE_CHARS, message="备注最多 2000 字")])
    next = HiddenField()


def _back(ticket: Ticket, form) -> Any:
    """The page the form was on (the ticket's page of the user's role by default)."""
    default = url_for("department.ticket" if current_user().role == Role.DEPARTMENT else "tickets.detail",
                      number=ticket.number)
    return redirect(safe_next(form.next.data, default))


def _run(number: str, form, action, done: str):
    """Validate the form, run the service once, flash the outcome or the refusal, and go back."""
    ticket = find_ticket(number, current_user())
    if form.validate_on_submit():
        perform(lambda: action(ticket, form), done=done.format(number=ticket.number), redirecting=True)
    else:
        for errors in form.errors.values():
            flash("；".join(errors), "error")
    return _back(ticket, form)


@bp.post("/<number>/grade")
@login_required(*GRADERS)
def grade(number: str):
    """Set or change the grade."""
    return _run(number, GradeForm(), lambda t, f: grading.set_grade(
        get_session(), t, TicketGrade(f.grade.data), current_user(), now(),
        co_units=[code for code in f.co_units.data if code] if f.grade.data == "C" else ()),
        "工单 {number} 的分级已保存。")


@bp.post("/<number>/co-reply")
@login_required(Role.DEPARTMENT)
def co_reply(number: str):
    """A co-handling unit replies its part."""
    return _run(number, PartForm(), lambda t, f: grading.reply_part(
        get_session(), t, f.reply.data, current_user(), now()), "工单 {number} 的协办意见已提交。")


@bp.post("/<number>/handler")
@login_required(Role.DEPARTMENT)
def handler(number: str):
    """Take the ticket, give it to a handler of the unit, or to the next in turn."""
    return _run(number, HandlerForm(), lambda t, f: handlers.assign_handler(
        get_session(), t, current_user(), now(), username=None if f.round_robin.data else (f.username.data or None),
        round_robin=bool(f.round_robin.data)), "工单 {number} 的承办人已更新。")


@bp.post("/<number>/notes")
@login_required(*ANYONE)
def add_note(number: str):
    """Write an internal note."""
    return _run(number, NoteForm(), lambda t, f: ticket_notes.add_note(
        get_session(), t, f.body.data, current_user(), now()), "备注已添加。")


def grade_view(ticket: Ticket) -> dict[str, Any]:
    """What the ticket pages show of the grade, and the form a dispatcher or supervisor changes it with."""
    user: User = current_user()
    view: dict[str, Any] = {"co_unit": grading.co_unit_of(ticket, user) if user.role == Role.DEPARTMENT else None,
                            "supervised_by": grading.supervised_by(ticket.grade)}
    if user.role in GRADERS and workflow.allows(ticket, EventAction.GRADED):
        form = GradeForm(formdata=None, grade=ticket.grade.value,
                         co_units=[c.department.code for c in ticket.co_units])
        units: list[Department] = directory.departments(get_session(), order="code")
        view["units"] = [(d.code, d.name) for d in units
                         if d.active and d.kind != DepartmentKind.CENTRE and d.id != ticket.department_id]
        view["form"] = form
    if view["co_unit"] is not None and not grading.part_given(view["co_unit"], ticket) \
            and workflow.allows(ticket, EventAction.CO_UNIT_REPLIED):
        view["part"] = PartForm(formdata=None)
    return view


def handler_view(ticket: Ticket) -> dict[str, Any]:
    """The unit's handlers to choose from, when the viewer's unit leads the ticket and it may change hands."""
    user: User = current_user()
    if user.role != Role.DEPARTMENT or ticket.department_id != user.department_id \
            or not workflow.allows(ticket, EventAction.HANDLER_ASSIGNED):
        return {}
    return {"form": HandlerForm(formdata=None), "handlers": handlers.active_handlers(get_session(), ticket.department_id)}


def notes_view(ticket: Ticket) -> dict[str, Any]:
    """The ticket's notes and 催办, and the note form while the ticket is open."""
    found = ticket_notes.conversation(get_session(), ticket)
    form = None if ticket.status.value == "closed" else NoteForm(formdata=None)
    return {"notes": found.notes, "urges": found.urges, "form": form}


def init_app(app) -> None:
    """Register the blueprint and the ticket pages' helpers."""
    app.register_blueprint(bp)
    app.jinja_env.globals.update(grade_view=grade_view, handler_view=handler_view, notes_view=notes_view)
