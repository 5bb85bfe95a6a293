"""回头看 (re-visits of closed tickets) and 集中交办 (batches of repeat complaints)."""
from __future__ import annotations

from typing import Any

from flask import jsonify, request

from models import Batch, BatchStatus, Revisit, Role

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..presentation import department_json, iso
from ..services import batches, revisits
from ..services.cycle import periods
from . import bp
from .common import current_user, find_ticket, paged, parse_body, policy
from .cycle_common import own_unit
from .cycle_schemas import BatchCreate, RevisitRequest
from . import responses
from .openapi import PAGE, choice, param, register


def revisit_json(revisit: Revisit) -> dict[str, Any]:
    """A re-visit: the ticket, the unit that closed it, and the verdict once called."""
    tz, ticket = policy().tz, revisit.ticket
    return {
        "id": revisit.id,
        "ticket": {"number": ticket.number, "title": ticket.title, "status": ticket.status.value,
                   "caller_name": ticket.caller_name, "caller_phone": ticket.caller_phone, "reply": ticket.reply},
        "department": department_json(revisit.department),
        "period": revisit.period,
        "closed_at": iso(revisit.closed_at, tz),
        "selected_at": iso(revisit.selected_at, tz),
        "status": revisit.status.value,
        "held": None if revisit.recorded_at is None else revisit.status.value == "held",
        "comment": revisit.comment,
        "recorded_at": iso(revisit.recorded_at, tz),
    }


def batch_json(batch: Batch) -> dict[str, Any]:
    """A batch with its tickets and how far it is from 销号."""
    tz, now = policy().tz, clock.now()
    return {
        "id": batch.id,
        "period": batch.period,
        "department": department_json(batch.department),
        "deadline": iso(batch.deadline, tz),
        "status": batch.status.value,
        "overdue": batch.status == BatchStatus.OPEN and now > batch.deadline,
        "open_tickets": batches.open_count(batch),
        "tickets": [{"number": item.ticket.number, "title": item.ticket.title, "status": item.ticket.status.value}
                    for item in batch.items],
        "note": batch.note,
        "created_at": iso(batch.created_at, tz),
        "created_by": batch.created_by.username,
        "closed_at": iso(batch.closed_at, tz),
        "closed_by": batch.closed_by.username if batch.closed_by else None,
    }


@bp.get("/revisits")
@api_login_required(Role.SUPERVISOR, Role.ADMIN)
def revisit_list():
    """The re-visit list: ?status=pending (default)|held|not_held|all, the longest waiting first."""
    status = request.args.get("status", "pending")
    found, meta = paged(revisits.listed(None if status == "all" else status))
    return jsonify(status=status, items=[revisit_json(r) for r in found], **meta)


@bp.post("/tickets/<ticket:number>/revisit")
@api_login_required(Role.SUPERVISOR)
def record_revisit(number: str):
    """Record the re-visit call: held, or not held (the ticket goes back to the unit that closed it)."""
    body = parse_body(RevisitRequest)
    session = get_session()
    revisit = revisits.record(session, find_ticket(number), body.held, body.comment, current_user(), policy(),
                              clock.now())
    session.commit()
    return jsonify(revisit_json(revisit))


@bp.get("/batches/clusters")
@api_login_required(Role.SUPERVISOR, Role.ADMIN)
def batch_clusters():
    """The repeat clusters of ?period=YYYY-MM (default: this month) to hand over."""
    period = periods.parse("monthly", request.args["period"], policy().tz) if "period" in request.args else \
        periods.containing("monthly", clock.now(), policy().tz)
    found = batches.clusters(get_session(), period, policy())
    return jsonify(period=period.label, items=[{
        "root": cluster.root.number, "title": cluster.root.title, "calls": len(cluster.tickets),
        "calls_in_period": cluster.calls_in_period, "open_batch": cluster.open_batch,
        "department": department_json(cluster.root.department),
        "open_tickets": [t.number for t in cluster.open_tickets]} for cluster in found])


@bp.get("/batches")
@api_login_required(Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT)
def batch_list():
    """Batches, newest first; ?status=open|closed. A unit sees its own only."""
    found, meta = paged(batches.listed(request.args.get("status"), own_unit()))
    return jsonify(items=[batch_json(b) for b in found], **meta)


@bp.post("/batches")
@api_login_required(Role.SUPERVISOR)
def create_batch():
    """Hand repeat complaints to one unit as a batch with a deadline (集中交办)."""
    body = parse_body(BatchCreate)
    session = get_session()
    batch = batches.create(session, body.department, body.tickets, body.deadline, body.note, current_user(), policy(),
                           clock.now())
    session.commit()
    return jsonify(batch_json(batch)), 201


@bp.get("/batches/<int:batch_id>")
@api_login_required(Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT)
def show_batch(batch_id: int):
    """One batch; a unit sees its own only."""
    return jsonify(batch_json(batches.find(get_session(), batch_id, own_unit())))


@bp.post("/batches/<int:batch_id>/close")
@api_login_required(Role.SUPERVISOR)
def close_batch(batch_id: int):
    """销号: close the batch once every ticket in it is closed."""
    session = get_session()
    batch = batches.close(session, batches.find(session, batch_id), current_user(), clock.now())
    session.commit()
    return jsonify(batch_json(batch))


register("get", "/revisits", "回头看 list: sampled closed tickets to call again, the longest waiting first",
         "supervisor, admin", query=(param("status", choice(["pending", "held", "not_held", "all"]), "pending by default"),
                                     *PAGE), response=responses.Rows)
register("post", "/tickets/{number}/revisit", "Record a re-visit: held, or not (reopens to the unit that closed it)",
         "supervisor", RevisitRequest, response={"type": "object"})
register("get", "/batches/clusters", "Repeat clusters (one matter, BATCH_MIN_CALLS calls or more) of a month",
         "supervisor, admin", query=(param("period", {"type": "string"}, "YYYY-MM; this month by default"),),
         response={"type": "object", "required": ["period", "items"]})
register("get", "/batches", "集中交办 batches, newest first", "supervisor, admin; departments: own unit's",
         query=(param("status", choice(["open", "closed"])), *PAGE), response=responses.Rows)
register("post", "/batches", "Hand tickets to one unit as a batch with a deadline", "supervisor", BatchCreate,
         status=(201,), response={"type": "object"})
register("get", "/batches/{batch_id}", "One batch with its tickets", "supervisor, admin; departments: own unit's",
         response={"type": "object"})
register("post", "/batches/{batch_id}/close", "Close a batch (销号); every ticket in it must be closed", "supervisor",
         response={"type": "object"})
