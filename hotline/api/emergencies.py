"""Emergency hand-offs as supervisors list them."""
from flask import jsonify, request

from models import Role

from ..auth import api_login_required
from ..presentation import ticket_json
from ..services import emergency
from . import bp
from .common import current_user, paged, policy
from . import responses
from .openapi import PAGE, param, register


@bp.get("/emergencies")
@api_login_required(Role.SUPERVISOR, Role.ADMIN, Role.OPERATOR, Role.DISPATCHER)
def emergencies():
    """Calls handed to 110 / 119 / 120 / 122 …, newest first (?service=)."""
    service = request.args.get("service") or None
    if service is not None:
        emergency.check_service(service, policy(), field="service")
    rows, meta = paged(emergency.handed_off(service))
    return jsonify(items=[ticket_json(t, current_user(), policy(), events=False) for t in rows], **meta)


register("get", "/emergencies", "Calls handed to an emergency service (?service=110)",
         "supervisor, admin, operator, dispatcher", None,
         query=(param("service", {"type": "string"}, "110, 119, 120, 122 or a utility's line"), *PAGE),
         response=responses.TicketPage)
