"""派单员: the manual queue (low confidence, no rule, returned, repeats), one-click assignment, merging repeats."""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from flask import Blueprint, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Category, Department, EventAction, Role, Ticket, TicketEvent, TicketStatus

from ..db import get_session
from ..routing_setup import get_engine
from ..services import workflow
from ..services.errors import InvalidInput, NotFound
from ..services.repeats import find_repeats
from ..services.routing import RouteCandidate, category_of_department, resolve_departments
from .auth import current_user, login_required
from .common import find_ticket, now, paginate, perform, policy, safe_next
from .forms import AssignForm, FilterForm, MergeForm, Select
from .labels import choices

bp = Blueprint("dispatcher", __name__, url_prefix="/dispatcher")
log = logging.getLogger(__name__)


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


def candidates_for(ticket: Ticket) -> list[RouteCandidate]:
    """The router's top three for the ticket now (rules may have changed since intake); none if it fails."""
    try:
        return get_engine().route(get_session(), ticket.content, ticket.address, ticket.district).candidates
    except Exception:  # the queue must show even when the model cannot answer
        log.exception("routing candidates failed for %s", ticket.number)
        return []


def page_candidates(tickets: list[Ticket]) -> dict[int, list[RouteCandidate]]:
    """Each ticket's top three from intake with the unit today's rules give: one rules query per district.

    A ticket saved without candidates (the model was down) is asked again, alone.
    """
    by_district: dict[str | None, list[Ticket]] = defaultdict(list)
    for ticket in tickets:
        by_district[ticket.district].append(ticket)
    found: dict[int, list[RouteCandidate]] = {}
    for district, group in by_district.items():
        categories = sorted({c["category"] for t in group for c in t.route_candidates or []})
        units = resolve_departments(get_session(), categories, district)
        for ticket in group:
            found[ticket.id] = (
                [RouteCandidate(c["category"], units.get(c["category"]), c["probability"]) for c in ticket.route_candidates]
                if ticket.route_candidates else candidates_for(ticket)
            )
    return found


def return_events(ticket_ids: list[int]) -> dict[int, list[TicketEvent]]:
    """Each ticket's returns (退单) with the unit and reason, oldest first, in one query."""
    events: dict[int, list[TicketEvent]] = {}
    if ticket_ids:
        rows = get_session().scalars(
            select(TicketEvent).options(selectinload(TicketEvent.department))
            .where(TicketEvent.ticket_id.in_(ticket_ids), TicketEvent.action == EventAction.RETURNED)
            .order_by(TicketEvent.id)
        )
        for event in rows:
            events.setdefault(event.ticket_id, []).append(event)
    return events


def queue_query(form: QueueFilter):
    """Tickets waiting for a person: urgent first, then oldest first."""
    query = (select(Ticket).options(selectinload(Ticket.repeat_of), selectinload(Ticket.predicted_department))
             .where(Ticket.status == TicketStatus.PENDING_DISPATCH))
    kind = form.value("kind")
    if kind == "returned":
        query = query.where(Ticket.return_count > 0)
    elif kind == "repeat":
        query = query.where(Ticket.repeat_of_id.is_not(None))
    elif kind == "new":
        query = query.where(Ticket.return_count == 0)
    for name in ("urgency", "appeal_type", "district"):
        if value := form.value(name):
            query = query.where(getattr(Ticket, name) == value)
    # "urgent" sorts after "normal", so descending puts urgent calls on top.
    return query.order_by(Ticket.urgency.desc(), Ticket.created_at, Ticket.id)


@bp.get("/")
@login_required(Role.DISPATCHER)
def queue():
    """The manual queue, one page at a time, each ticket with its candidates and return reasons."""
    form = QueueFilter(request.args)
    form.district.choices += [(d, d) for d in get_engine().gazetteer.districts]
    valid = form.validate()
    page = paginate(queue_query(form), form.value("page")) if valid else None
    if page is not None:
        returns = return_events([t.id for t in page.items])
        candidates = page_candidates(page.items)
        page.items = [QueueRow(t, candidates[t.id], returns.get(t.id, [])) for t in page.items]
    return render_template("dispatcher/queue.html", form=form, page=page), 200 if valid else 400


def _ticket_page(ticket: Ticket, assign: AssignForm | None = None, merge: MergeForm | None = None, status: int = 200):
    """The dispatcher's page of one ticket: candidates, assignment, merge, similar tickets, history."""
    session = get_session()
    assign = assign or AssignForm(formdata=None)
    merge = merge or MergeForm(formdata=None, original=ticket.repeat_of.number if ticket.repeat_of else "")
    _fill_assign_choices(assign)
    similar = []
    if ticket.status == TicketStatus.PENDING_DISPATCH:
        similar = find_repeats(session, caller_phone=ticket.caller_phone, content=ticket.content,
                               district=ticket.district, now=now(), rules=policy().repeat_rules,
                               exclude_id=ticket.id, limit=5)
    returns = return_events([ticket.id]).get(ticket.id, [])
    return render_template("dispatcher/ticket.html", ticket=ticket, candidates=candidates_for(ticket),
                           returns=returns, similar=similar, assign=assign, merge=merge), status


def _fill_assign_choices(form: AssignForm) -> None:
    """Active units and categories for the assignment form's select boxes."""
    session = get_session()
    form.department.choices = [("", "请选择…")] + [
        (d.code, d.name) for d in session.scalars(select(Department).where(Department.active.is_(True))
                                                  .order_by(Department.kind, Department.code))
    ]
    form.category.choices = [("", "按单位推断")] + [
        (c.name, c.name) for c in session.scalars(select(Category).where(Category.active.is_(True))
                                                  .order_by(Category.name))
    ]


@bp.get("/tickets/<number>")
@login_required(Role.DISPATCHER)
def ticket(number: str):
    """One queued (or any) ticket, to assign or merge."""
    return _ticket_page(find_ticket(number, current_user()))


def _assign(ticket: Ticket, form: AssignForm) -> None:
    """Dispatch to the chosen unit; the category is the one chosen, else the unit's only one (a training label)."""
    session = get_session()
    department = session.scalar(select(Department).where(Department.code == form.department.data))
    if department is None or not department.active:
        raise InvalidInput("unknown_department", field="department", value=form.department.data)
    category = None
    if form.category.data:
        category = session.scalar(select(Category).where(Category.name == form.category.data))
        if category is None:
            raise InvalidInput("unknown_category", field="category", value=form.category.data)
    else:
        category = category_of_department(session, department)
    workflow.dispatch(session, ticket, department, category, policy(), now(), actor=current_user(),
                      note=form.note.data or "")


@bp.post("/tickets/<number>/assign")
@login_required(Role.DISPATCHER)
def assign(number: str):
    """派单: one click from the queue (a candidate's button) or the ticket page's form."""
    ticket = find_ticket(number, current_user())
    form = AssignForm()
    _fill_assign_choices(form)
    if form.validate_on_submit():
        name = form.department.label_of(form.department.data)
        error = perform(lambda: _assign(ticket, form), form, done=f"工单 {ticket.number} 已派往{name}。")
        if error is None:
            return redirect(safe_next(form.next.data, url_for(".queue")))
        return _ticket_page(ticket, assign=form, status=error.status)
    return _ticket_page(ticket, assign=form, status=400)


@bp.post("/tickets/<number>/merge")
@login_required(Role.DISPATCHER)
def merge(number: str):
    """合并: close a repeat into its original ticket."""
    ticket = find_ticket(number, current_user())
    form = MergeForm()
    if form.validate_on_submit():
        def _merge() -> None:
            """Find the original by its number (a 404 names the field), then merge."""
            original = get_session().scalar(select(Ticket).where(Ticket.number == form.original.data))
            if original is None:
                raise NotFound("ticket_not_found", field="original", number=form.original.data)
            workflow.merge_repeat(get_session(), ticket, original, current_user(), now(), note=form.note.data or "")

        error = perform(_merge, form, done=f"工单 {ticket.number} 已并入 {form.original.data}。")
        if error is None:
            return redirect(safe_next(form.next.data, url_for(".queue")))
        return _ticket_page(ticket, merge=form, status=error.status)
    return _ticket_page(ticket, merge=form, status=400)
