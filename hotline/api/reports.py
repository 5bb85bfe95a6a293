"""每月一通报 and 每年一考核: live figures, published snapshots (revisions), CSV / XLSX / HTML exports.

Supervisors and admins see every unit; a department user sees its own unit's line only (no city line).
"""
from __future__ import annotations

from flask import Response, jsonify, request

from models import ReportKind, Role

from .. import clock
from ..services.practice_rules import HOSTED_CHANNELS
from ..auth import api_login_required
from ..db import get_session
from ..report_formats import as_csv, as_html, as_xlsx
from ..services.cycle import publishing
from ..services.errors import InvalidInput
from . import bp
from .common import current_user, parse_body, policy
from .cycle_common import flag_arg, format_arg, int_arg, own_unit
from .cycle_schemas import PublishRequest
from . import responses
from .openapi import DOWNLOADS, REPORT_QUERY, choice, param, register

READERS = (Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT)


def _show(kind: ReportKind, label: str) -> Response | tuple:
    """The latest published revision (or ?revision=n), else the live figures; ?live=1 forces live."""
    live, revision, output = flag_arg("live"), int_arg("revision"), format_arg()
    if live and revision is not None:
        raise InvalidInput("live_or_revision", field="revision")
    body = publishing.show(get_session(), kind, label, policy(), clock.now(), live_figures=live, revision=revision,
                           department_id=own_unit(), channel=request.args.get("channel"))
    if output == "csv":
        return as_csv(body)
    if output == "xlsx":
        return as_xlsx(body)
    if output == "html":
        return Response(as_html(body), mimetype="text/html")
    return jsonify(body)


def _publish(kind: ReportKind, label: str):
    """Freeze the live figures of a finished period as its next revision."""
    note = parse_body(PublishRequest).note
    published = publishing.publish(get_session(), kind, label, policy(), clock.now(), current_user(), note)
    get_session().commit()
    return jsonify(published), 201


@bp.get("/reports/monthly/<period>")
@api_login_required(*READERS)
def monthly(period: str):
    """每月一通报 of YYYY-MM (?live=1, ?revision=n, ?format=json|csv|xlsx|html, ?channel=leader_day|entrepreneur_day)."""
    return _show(ReportKind.MONTHLY, period)


@bp.post("/reports/monthly/<period>/publish")
@api_login_required(Role.SUPERVISOR)
def publish_monthly(period: str):
    """Publish the month's figures as a frozen snapshot (revision n)."""
    return _publish(ReportKind.MONTHLY, period)


@bp.get("/assessment/<year>")
@api_login_required(*READERS)
def annual(year: str):
    """每年一考核 of YYYY: score and rank per unit (?live=1, ?revision=n, ?format=…)."""
    return _show(ReportKind.ANNUAL, year)


@bp.post("/assessment/<year>/publish")
@api_login_required(Role.SUPERVISOR)
def publish_annual(year: str):
    """Publish the year's assessment as a frozen snapshot (revision n)."""
    return _publish(ReportKind.ANNUAL, year)


register("get", "/reports/monthly/{period}", "Monthly report (每月一通报) of YYYY-MM: the latest published revision, "
         "else live", "supervisor, admin; departments: own line",
         query=(*REPORT_QUERY, param("channel", choice(HOSTED_CHANNELS), "one hosted channel's section")),
         response=responses.Report,
         media=("application/json", *DOWNLOADS))
register("post", "/reports/monthly/{period}/publish", "Publish the finished month as a frozen snapshot (revision n)",
         "supervisor", PublishRequest, response=responses.Published, status=(201,))
register("get", "/assessment/{year}", "Annual assessment (每年一考核) of YYYY: scores from the response, solved and "
         "satisfaction rates, ranked", "supervisor, admin; departments: own line", query=REPORT_QUERY,
         response=responses.Report, media=("application/json", *DOWNLOADS))
register("post", "/assessment/{year}/publish", "Publish the finished year's assessment as a frozen snapshot",
         "supervisor", PublishRequest, response=responses.Published, status=(201,))
