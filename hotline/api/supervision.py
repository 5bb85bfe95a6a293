"""每季一督办: supervision cases with their three lists (三单), and 销号 with a written resolution."""
from __future__ import annotations

from typing import Any

from flask import jsonify, request

from models import Role, SupervisionCase, SupervisionStatus

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..presentation import department_json, iso
from ..services.cycle import periods, supervision
from ..services.cycle.flags import flag_of
from ..services.errors import InvalidInput
from . import bp
from .common import current_user, paged, parse_body, policy
from .cycle_common import own_unit
from .cycle_schemas import CloseRequest, SupervisionUpdate
from . import responses
from .openapi import PAGE, choice, param, register


def case_json(case: SupervisionCase) -> dict[str, Any]:
    """A case as JSON: the ticket, the reasons, the level, the three lists and the outcome."""
    tz, now = policy().tz, clock.now()
    ticket = case.ticket
    flag = flag_of(ticket, now, policy().cycle_rules)
    return {
        "id": case.id,
        "quarter": case.quarter,
        "ticket": {"number": ticket.number, "title": ticket.title, "status": ticket.status.value,
                   "flag": flag.value if flag else None},
        "reasons": case.reasons,
        "level": case.level.value,
        "status": case.status.value,
        "deadline": iso(case.deadline, tz),
        "overdue": case.status == SupervisionStatus.OPEN and now > case.deadline,
        "lists": {
            "problem": case.problem,
            "responsibility": {"department": department_json(case.department), "person": case.responsible_person},
            "rectification": case.rectification,
        },
        "details": case.details,
        "opened_at": iso(case.opened_at, tz),
        "opened_by": case.opened_by.username if case.opened_by else None,
        "resolution": case.resolution,
        "closed_at": iso(case.closed_at, tz),
        "closed_by": case.closed_by.username if case.closed_by else None,
    }


@bp.get("/supervision")
@api_login_required(Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT)
def cases():
    """Cases of a quarter (?quarter=2026Q4), or every open case; ?status=open|closed. Departments: their own."""
    quarter = request.args.get("quarter")
    label = periods.parse("quarterly", quarter, policy().tz, field="quarter").label if quarter is not None else None
    status = request.args.get("status")
    if status is not None and status not in {s.value for s in SupervisionStatus}:
        raise InvalidInput("bad_choice", field="status", name="status", allowed=["open", "closed"])
    if label is None and status is None:
        status = SupervisionStatus.OPEN.value
    found, meta = paged(supervision.cases_query(label, SupervisionStatus(status) if status else None, own_unit()))
    return jsonify(quarter=label, status=status, items=[case_json(case) for case in found], **meta)


@bp.get("/supervision/<int:case_id>")
@api_login_required(Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT)
def show_case(case_id: int):
    """One case."""
    return jsonify(case_json(supervision.find(get_session(), case_id, own_unit())))


@bp.patch("/supervision/<int:case_id>")
@api_login_required(Role.SUPERVISOR)
def update_case(case_id: int):
    """Fill in the three lists (problem, responsible person, rectification steps) or change the level."""
    body = parse_body(SupervisionUpdate)
    session = get_session()
    case = supervision.find(session, case_id)
    steps = None
    if body.rectification is not None:
        steps = [supervision.Step(s.action, s.deadline, s.done) for s in body.rectification]
    supervision.update_lists(session, case, problem=body.problem, responsible_person=body.responsible_person,
                             level=body.level, steps=steps)
    session.commit()
    return jsonify(case_json(case))


@bp.post("/supervision/<int:case_id>/close")
@api_login_required(Role.SUPERVISOR)
def close_case(case_id: int):
    """销号: close with a written resolution, once every rectification step is done."""
    body = parse_body(CloseRequest)
    session = get_session()
    case = supervision.find(session, case_id)
    supervision.close(session, case, body.resolution, current_user(), clock.now(),
                      open_ticket_reason=body.open_ticket_reason)
    session.commit()
    return jsonify(case_json(case))


register("get", "/supervision", "Supervision cases (督办件) of a quarter, or every open one",
         "supervisor, admin; departments: own unit's",
         query=(param("quarter", {"type": "string", "pattern": "^[0-9]{4}Q[1-4]$"}, "e.g. 2026Q4"), param("status", choice(["open", "closed"])),
                *PAGE),
         response=responses.SupervisionPage)
register("get", "/supervision/{case_id}", "One supervision case with its three lists (三单)",
         "supervisor, admin; departments: own unit's", response=responses.SupervisionCase)
register("patch", "/supervision/{case_id}", "Fill in the three lists or change the level (分级)", "supervisor",
         SupervisionUpdate, response=responses.SupervisionCase)
register("post", "/supervision/{case_id}/close", "Close (销号) with a written resolution; every step must be done; "
         "while the ticket is not closed, open_ticket_reason says why (else 409 supervision_ticket_open)",
         "supervisor", CloseRequest, response=responses.SupervisionCase)
