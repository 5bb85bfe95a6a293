"""整改清单 over the API: the responsible unit keeps its own rectification steps on its supervision cases."""
from __future__ import annotations

from flask import jsonify

from models import Role

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..services import rectification
from ..services.cycle import supervision
from . import bp
from .common import current_user, parse_body
from .cycle_schemas import RectificationUpdate
from . import responses
from .openapi import register
from .supervision import case_json


@bp.put("/supervision/<int:case_id>/rectification")
@api_login_required(Role.DEPARTMENT)
def update_rectification(case_id: int):
    """The unit's steps (action, deadline, done), replacing the list; another unit's case is a 404."""
    body = parse_body(RectificationUpdate)
    session = get_session()
    user = current_user()
    case = supervision.find(session, case_id, user.department_id)
    steps = [supervision.Step(s.action, s.deadline, s.done) for s in body.steps]
    rectification.update_steps(session, case, steps, user, clock.now())
    session.commit()
    return jsonify(case_json(case))


register("put", "/supervision/{case_id}/rectification",
         "The responsible unit's rectification steps (整改清单: action, deadline, done), replacing the list",
         "department (own unit's cases)", RectificationUpdate, response=responses.SupervisionCase)
