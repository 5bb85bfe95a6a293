"""一企一档: one history of all the appeals of an enterprise, as JSON or a page."""
from __future__ import annotations

from flask import Response, jsonify, render_template

from models import Role

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..presentation import iso, ticket_json
from ..services.cycle import enterprise
from ..services.errors import InvalidInput
from . import bp
from .common import current_user, policy
from .cycle_common import format_arg, own_unit
from . import responses
from .openapi import choice, param, register

LABELS = {
    "appeal": {"consultation": "咨询", "help": "求助", "complaint": "投诉", "report": "举报", "suggestion": "建议",
               "praise": "表扬"},
    "status": {"pending_dispatch": "待派单", "dispatched": "已派单", "signed": "已签收", "replied": "已答复",
               "closed": "已办结"},
    "flag": {"green": "绿旗", "yellow": "黄旗", "red": "红旗", "black": "黑旗"},
    "satisfaction": {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"},
}


@bp.get("/enterprises/<credit_code>")
@api_login_required(Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT)
def enterprise_history(credit_code: str):
    """Every appeal of the enterprise, newest first, with totals (?format=html for the page)."""
    output = format_arg()
    if output not in ("json", "html"):
        raise InvalidInput("bad_choice", field="format", name="format", allowed=["json", "html"])
    history = enterprise.history(get_session(), credit_code, clock.now(), own_unit(), policy().cycle_rules)
    tz = policy().tz
    if output == "html":
        def local(moment):
            """A moment as local wall-clock time for the page."""
            return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else "—"

        return Response(render_template("reports/enterprise.html", history=history, local=local, labels=LABELS),
                        mimetype="text/html")
    user = current_user()
    return jsonify(
        credit_code=history["credit_code"], name=history["name"], names=history["names"],
        first_appeal_at=iso(history["first_appeal_at"], tz), last_appeal_at=iso(history["last_appeal_at"], tz),
        totals=history["totals"], tickets=[ticket_json(t, user, policy(), events=False) for t in history["tickets"]],
    )


register("get", "/enterprises/{credit_code}", "一企一档: every appeal of the enterprise with totals "
         "(?format=html for the page)", "staff; departments: their own unit's appeals",
         query=(param("format", choice(["json", "html"]), "json by default"),),
         response=responses.EnterpriseHistory, media=("application/json", "text/html"))
