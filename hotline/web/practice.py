"""回头看 and 集中交办 pages: the supervisor's re-visit list and batches, and each unit's own batches."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from models import Role

from ..db import get_session
from ..services import batches as batch_service
from ..services import directory, revisits as revisit_service
from ..services.cycle import periods
from ..services.errors import DomainError
from ..services.practice_rules import HOSTED_CHANNELS
from .auth import current_user, login_required
from .common import find_ticket, now, paginate, perform, policy, safe_next
from .forms import BatchForm, ButtonForm, FilterForm, RevisitForm

bp = Blueprint("practice", __name__)


@bp.app_context_processor
def hosted_channels() -> dict:
    """The channels whose calls name a host (the call form shows the field for them only)."""
    return {"hosted_channels": [channel.value for channel in HOSTED_CHANNELS]}


def _revisits_page(bound: RevisitForm | None = None, bound_number: str | None = None, status: int = 200):
    """The re-visits waiting for their call, a form per row (a failed one keeps what was typed)."""
    form = FilterForm(request.args)
    valid = form.validate()
    page = paginate(revisit_service.listed(), form.value("page")) if valid else None
    forms = {}
    for revisit in page.items if page else []:
        number = revisit.ticket.number
        forms[number] = bound if number == bound_number else RevisitForm(formdata=None, prefix=f"rv{number}")
    return render_template("supervisor/revisits.html", form=form, page=page, forms=forms,
                           here=request.full_path), (status if valid else 400)


@bp.get("/supervisor/revisits")
@login_required(Role.SUPERVISOR)
def revisits():
    """回头看: closed tickets drawn for a call weeks later, the longest waiting first."""
    return _revisits_page()


@bp.post("/supervisor/revisits/<number>")
@login_required(Role.SUPERVISOR)
def record_revisit(number: str):
    """Record one re-visit: held, or not (the ticket goes back to the unit that closed it)."""
    ticket = find_ticket(number, current_user())
    form = RevisitForm(prefix=f"rv{number}")
    if not form.validate_on_submit():
        return _revisits_page(form, number, 400)
    held = form.held.data == "1"
    done = f"工单 {number} 回头看已记录：" + ("整改有效。" if held else "问题反弹，已转原承办单位重办。")
    error = perform(lambda: revisit_service.record(get_session(), ticket, held, form.comment.data or "",
                                                   current_user(), policy(), now()), form, done=done)
    if error is None:
        return redirect(safe_next(form.next.data, url_for(".revisits")))
    return _revisits_page(form, number, error.status)


def _month(text: str | None) -> periods.Period:
    """The month asked for (?period=YYYY-MM), this month by default; a bad one is a 400 page."""
    try:
        if text:
            return periods.parse("monthly", text, policy().tz)
    except DomainError:
        abort(400)
    return periods.containing("monthly", now(), policy().tz)


def _batches_page(form: BatchForm | None = None, status: int = 200):
    """The month's repeat clusters to hand over, the hand-over form, and every batch."""
    period = _month(request.args.get("period"))
    filters = FilterForm(request.args)
    valid = filters.validate()
    form = form or BatchForm(formdata=None)
    form.department.choices += [(d.code, d.name) for d in directory.departments(get_session(), order="code")
                                if d.active]
    clusters = batch_service.clusters(get_session(), period, policy())
    page = paginate(batch_service.listed(), filters.value("page")) if valid else None
    return render_template("supervisor/batches.html", period=period, clusters=clusters, form=form, page=page,
                           previous=period.previous().label, now=now()), (status if valid else 400)


@bp.get("/supervisor/batches")
@login_required(Role.SUPERVISOR)
def batches():
    """集中交办: the month's repeat clusters (one matter, many calls) and the batches handed over."""
    return _batches_page()


@bp.post("/supervisor/batches")
@login_required(Role.SUPERVISOR)
def create_batch():
    """Hand the checked tickets to one unit as a batch with a deadline."""
    form = BatchForm()
    form.department.choices += [(d.code, d.name) for d in directory.departments(get_session(), order="code")]
    if not form.validate_on_submit():
        return _batches_page(form, 400)
    created = []
    error = perform(lambda: created.append(batch_service.create(
        get_session(), form.department.data or "", form.tickets.data or [], form.deadline.data, form.note.data or "",
        current_user(), policy(), now())), form)
    if error is not None:
        return _batches_page(form, error.status)
    batch = created[0]
    flash(f"已交办批次 {batch.id}：{len(batch.items)} 张工单交{batch.department.name}办理。", "success")
    return redirect(url_for(".batch", batch_id=batch.id))


def _own_unit() -> int | None:
    """A unit's user sees its own batches only."""
    user = current_user()
    return user.department_id if user.role == Role.DEPARTMENT else None


@bp.get("/batches/<int:batch_id>")
@login_required(Role.SUPERVISOR, Role.DEPARTMENT)
def batch(batch_id: int):
    """One batch: its tickets, how many are still open, and (for the supervisor) 销号."""
    found = batch_service.find(get_session(), batch_id, _own_unit())
    return render_template("supervisor/batch.html", batch=found, open_count=batch_service.open_count(found),
                           button=ButtonForm(formdata=None), now=now())


@bp.post("/batches/<int:batch_id>/close")
@login_required(Role.SUPERVISOR)
def close_batch(batch_id: int):
    """销号: close the batch once every ticket in it is closed."""
    found = batch_service.find(get_session(), batch_id)
    if ButtonForm().validate_on_submit():
        perform(lambda: batch_service.close(get_session(), found, current_user(), now()),
                done=f"交办批次 {batch_id} 已销号。", redirecting=True)
    return redirect(url_for(".batch", batch_id=batch_id))


@bp.get("/department/batches")
@login_required(Role.DEPARTMENT)
def unit_batches():
    """The unit's own batches, newest first."""
    filters = FilterForm(request.args)
    valid = filters.validate()
    page = paginate(batch_service.listed(department_id=_own_unit()), filters.value("page")) if valid else None
    return render_template("department/batches.html", page=page, now=now()), 200 if valid else 400
