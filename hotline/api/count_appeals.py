"""申诉/核减: units appeal an item counted against them in a published month; supervisors decide."""
from flask import jsonify, request

from models import CountAppealStatus, Role

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..services import count_appeals
from . import bp
from .common import current_user, paged, parse_body, policy
from . import responses
from .openapi import PAGE, choices, param, register
from .schemas import CountAppealCreate, DecisionRequest
from .tickets import parse_enum_list


@bp.get("/appeals")
@api_login_required(Role.DEPARTMENT, Role.SUPERVISOR, Role.ADMIN)
def appeals():
    """Appeals, newest first (?status=&period=); a unit sees its own only."""
    statuses = parse_enum_list("status", CountAppealStatus)
    query = count_appeals.listing(current_user(), statuses[0] if statuses else None, request.args.get("period"))
    rows, meta = paged(query)
    tz = policy().tz
    return jsonify(items=[count_appeals.appeal_line(a, tz) for a in rows], **meta)


@bp.post("/appeals")
@api_login_required(Role.DEPARTMENT)
def file_appeal():
    """File an appeal against one item of one of the unit's work orders in a published month."""
    body = parse_body(CountAppealCreate)
    session = get_session()
    appeal = count_appeals.file_appeal(session, body.ticket, body.period, body.item, body.reason, current_user(),
                                       policy(), clock.now())
    session.commit()
    return jsonify(count_appeals.appeal_line(appeal, policy().tz)), 201


def _decide(appeal_id: int, accept: bool):
    """Accept or reject the appeal."""
    body = parse_body(DecisionRequest)
    session = get_session()
    appeal = count_appeals.decide(session, appeal_id, accept, current_user(), policy(), clock.now(), body.note)
    session.commit()
    return jsonify(count_appeals.appeal_line(appeal, policy().tz))


@bp.post("/appeals/<int:appeal_id>/accept")
@api_login_required(Role.SUPERVISOR)
def accept_appeal(appeal_id: int):
    """The item leaves the unit's line: the month gets a new revision."""
    return _decide(appeal_id, True)


@bp.post("/appeals/<int:appeal_id>/reject")
@api_login_required(Role.SUPERVISOR)
def reject_appeal(appeal_id: int):
    """The item stays counted."""
    return _decide(appeal_id, False)


register("get", "/appeals", "Count appeals (申诉/核减), newest first", "department (own), supervisor, admin", None,
         query=(param("status", choices(CountAppealStatus)), param("period", {"type": "string"}, "YYYY-MM"), *PAGE),
         response=responses.Rows)
register("post", "/appeals", "Appeal an item counted against the unit in a published month", "department",
         CountAppealCreate, status=(201,), response={"type": "object"})
register("post", "/appeals/{appeal_id}/accept", "Accept: the item is excluded; a new report revision is published",
         "supervisor", DecisionRequest, response={"type": "object"})
register("post", "/appeals/{appeal_id}/reject", "Reject the appeal", "supervisor", DecisionRequest,
         response={"type": "object"})
