"""派单员: the manual queue (low confidence, no rule, returned, repeats), one-click assignment, merging repeats."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from models import Role, Ticket, TicketEvent

from ..db import get_session
from ..routing_setup import get_engine
from ..services import dispatching
from ..services.routing import RouteCandidate
from .auth import current_user, login_required
from .common import find_ticket, now, paginate, perform, policy, safe_next
from .forms import AssignForm, BulkAssignForm, FilterForm, MergeForm, Select
from .labels import choices
from .dashboards import dispatcher_panel

bp = Blueprint("dispatcher", __name__, url_prefix="/dispatcher")


class QueueFilter(FilterForm):
    """Which part of the queue to work on."""

    kind = Select("类型", choices=[("", "全部"), ("returned", "退回件"), ("repeat", "疑似重复件"),
                                      ("new", "新件（未退回）")], default="")
    urgency = Select("紧急程度", choices=[("", "全部"), *choices("urgency")], default="")
    appeal_type = Select("诉求类型", choices=[("", "全部"), *choices("appeal_type")], default="")
    district = Select("属地", choices=[("", "全部")], validate_choice=False, default="")


@dataclass
class QueueRow:
    """A queued ticket with the router's candidates and the reasons units gave for returning it."""

    ticket: Ticket
    candidates: list[RouteCandidate] = field(default_factory=list)
    returns: list[TicketEvent] = field(default_factory=list)


def queue_query(form: QueueFilter):
    """Tickets waiting for a person: urgent first, then oldest first."""
    return dispatching.queue(kind=form.value("kind"), urgency=form.value("urgency"),
                             appeal_type=form.value("appeal_type"), district=form.value("district"))


@bp.get("/")
@login_required(Role.DISPATCHER)
def queue():
    """The manual queue, one page at a time, each ticket with its candidates and return reasons."""
    form = QueueFilter(request.args)
    form.district.choices += [(d, d) for d in get_engine().gazetteer.districts]
    valid = form.validate()
    page = paginate(queue_query(form), form.value("page")) if valid else None
    if page is not None:
        returns = dispatching.return_events(get_session(), [t.id for t in page.items])
        candidates = dispatching.page_candidates(get_session(), get_engine(), page.items)
        page.items = [QueueRow(t, candidates[t.id], returns.get(t.id, [])) for t in page.items]
    bulk = BulkAssignForm(formdata=None)
    _fill_assign_choices(bulk)
    return render_template("dispatcher/queue.html", form=form, page=page, bulk=bulk,
                           threshold=get_engine().threshold, **dispatcher_panel()), 200 if valid else 400


def _ticket_page(ticket: Ticket, assign: AssignForm | None = None, merge: MergeForm | None = None, status: int = 200):
    """The dispatcher's page of one ticket: candidates, assignment, merge, similar tickets, history."""
    session = get_session()
    assign = assign or AssignForm(formdata=None)
    merge = merge or MergeForm(formdata=None, original=ticket.repeat_of.number if ticket.repeat_of else "")
    _fill_assign_choices(assign)
    similar = dispatching.possible_repeats(session, ticket, policy(), now())
    returns = dispatching.return_events(session, [ticket.id]).get(ticket.id, [])
    return render_template("dispatcher/ticket.html", ticket=ticket,
                           candidates=dispatching.current_candidates(session, get_engine(), ticket),
                           returns=returns, similar=similar, assign=assign, merge=merge), status


def _fill_assign_choices(form: AssignForm | BulkAssignForm) -> None:
    """Active units and categories for the assignment form's select boxes."""
    departments, categories = dispatching.choices(get_session())
    form.department.choices = [("", "请选择…")] + [(d.code, d.name) for d in departments]
    form.category.choices = [("", "按单位推断")] + [(c.name, c.name) for c in categories]


@bp.get("/tickets/<number>")
@login_required(Role.DISPATCHER)
def ticket(number: str):
    """One queued (or any) ticket, to assign or merge."""
    return _ticket_page(find_ticket(number, current_user()))


@bp.post("/tickets/<number>/assign")
@login_required(Role.DISPATCHER)
def assign(number: str):
    """派单: one click from the queue (a candidate's button) or the ticket page's form."""
    ticket = find_ticket(number, current_user())
    form = AssignForm()
    _fill_assign_choices(form)
    if form.validate_on_submit():
        name = form.department.label_of(form.department.data)
        error = perform(lambda: dispatching.assign(
            get_session(), ticket, form.department.data, form.category.data or None, current_user(), policy(), now(),
            note=form.note.data or ""), form, done=f"工单 {ticket.number} 已派往{name}。")
        if error is None:
            return redirect(safe_next(form.next.data, url_for(".queue")))
        return _ticket_page(ticket, assign=form, status=error.status)
    return _ticket_page(ticket, assign=form, status=400)


@bp.post("/bulk-assign")
@login_required(Role.DISPATCHER)
def bulk_assign():
    """批量派单: the tickets ticked on the queue go to one unit, all of them or (if one is refused) none."""
    form = BulkAssignForm()
    _fill_assign_choices(form)
    back = safe_next(form.next.data, url_for(".queue"))
    if form.validate_on_submit():
        numbers = form.numbers.data or []
        name = form.department.label_of(form.department.data)
        perform(lambda: dispatching.assign_many(
            get_session(), numbers, form.department.data, form.category.data or None, current_user(), policy(), now(),
            limit=int(current_app.config["BULK_MAX"])), done=f"已将 {len(set(numbers))} 张工单派往{name}。",
            redirecting=True)
    else:
        flash("；".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(back)


@bp.post("/tickets/<number>/merge")
@login_required(Role.DISPATCHER)
def merge(number: str):
    """合并: close a repeat into its original ticket."""
    ticket = find_ticket(number, current_user())
    form = MergeForm()
    if form.validate_on_submit():
        error = perform(lambda: dispatching.merge(get_session(), ticket, form.original.data, current_user(), now(),
                                                  note=form.note.data or ""),
                        form, done=f"工单 {ticket.number} 已并入 {form.original.data}。")
        if error is None:
            return redirect(safe_next(form.next.data, url_for(".queue")))
        return _ticket_page(ticket, merge=form, status=error.status)
    return _ticket_page(ticket, merge=form, status=400)
