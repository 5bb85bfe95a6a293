"""每月一通报 and 每年一考核: live figures, published snapshots (revisions), CSV / XLSX / HTML exports.

Supervisors and admins see every unit; a department user sees its own unit's line only (no city line).
"""
from __future__ import annotations

import copy
from typing import Any

from flask import Response, jsonify
from sqlalchemy.exc import IntegrityError

from models import ReportKind, Role

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..services.cycle import assessment, periods, reports, snapshots
from ..services.errors import InvalidInput, InvalidTransition
from . import bp
from .common import current_user, parse_body, policy
from .cycle_common import flag_arg, format_arg, int_arg, own_unit
from .cycle_schemas import PublishRequest
from .openapi import register
from .report_formats import as_csv, as_html, as_xlsx

READERS = (Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT)
PERIOD_KIND = {ReportKind.MONTHLY: "monthly", ReportKind.ANNUAL: "annual"}


def _parse_period(kind: ReportKind, label: str) -> periods.Period:
    """The report's period; one that has not started yet is a 400 (there is nothing to count)."""
    period = periods.parse(PERIOD_KIND[kind], label, policy().tz)
    if clock.now() < period.start:
        raise InvalidInput("period_not_started", field="period", period=period.label)
    return period


def _live(kind: ReportKind, period: periods.Period, department_id: int | None) -> dict[str, Any]:
    """The figures as they stand now."""
    if kind == ReportKind.ANNUAL:
        return assessment.compute(get_session(), period, policy(), clock.now(), department_id)
    return reports.compute(get_session(), period, clock.now(), policy().cycle_rules.assessment_weights, department_id)


def _own_line_only(body: dict[str, Any]) -> dict[str, Any]:
    """A published report cut down to the department user's own line."""
    code = current_user().department.code if current_user().department else None
    body["departments"] = [line for line in body["departments"] if line["department"]["code"] == code]
    body["city"] = None
    return body


def _show(kind: ReportKind, label: str) -> Response | tuple:
    """The latest published revision (or ?revision=n), else the live figures; ?live=1 forces live."""
    period = _parse_period(kind, label)
    live, revision, output = flag_arg("live"), int_arg("revision"), format_arg()
    if live and revision is not None:
        raise InvalidInput("live_or_revision", field="revision")
    session, tz = get_session(), policy().tz
    snapshot = None if live else snapshots.find(session, kind, period.label, revision)
    if snapshot is not None:
        body = copy.deepcopy(snapshot.data)
        if own_unit() is not None:
            body = _own_line_only(body)
        body["published"] = snapshots.publication(snapshot, tz)
    else:
        body = _live(kind, period, own_unit())
        body["published"] = None
    body["source"] = "snapshot" if snapshot is not None else "live"
    body["revisions"] = [snapshots.publication(s, tz) for s in snapshots.revisions(session, kind, period.label)]
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
    period = _parse_period(kind, label)
    now = clock.now()
    if not period.is_over(now):
        raise InvalidInput("period_not_over", field="period", period=period.label, ends=period.end.isoformat())
    session = get_session()
    body = _live(kind, period, None)
    snapshot = snapshots.publish(session, kind, period.label, body, now, current_user(), now, note)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise InvalidTransition("publish_conflict", period=period.label) from None
    published = {**body, "published": snapshots.publication(snapshot, policy().tz), "source": "snapshot"}
    published["revisions"] = [snapshots.publication(s, policy().tz)
                              for s in snapshots.revisions(session, kind, period.label)]
    return jsonify(published), 201


@bp.get("/reports/monthly/<period>")
@api_login_required(*READERS)
def monthly(period: str):
    """每月一通报 of YYYY-MM (?live=1, ?revision=n, ?format=json|csv|xlsx|html)."""
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
         "else live; ?live=1, ?revision=n, ?format=json|csv|xlsx|html", "supervisor, admin; departments: own line")
register("post", "/reports/monthly/{period}/publish", "Publish the finished month as a frozen snapshot (revision n)",
         "supervisor", PublishRequest)
register("get", "/assessment/{year}", "Annual assessment (每年一考核) of YYYY: scores from the response, solved and "
         "satisfaction rates, ranked; ?live=1, ?revision=n, ?format=…", "supervisor, admin; departments: own line")
register("post", "/assessment/{year}/publish", "Publish the finished year's assessment as a frozen snapshot",
         "supervisor", PublishRequest)
