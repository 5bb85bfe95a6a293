"""Reference data and service status: departments, categories, health, the OpenAPI document."""
from flask import Blueprint, current_app, jsonify

from .. import clock
from ..auth import api_login_required
from ..db import get_session, ping
from ..routing_setup import get_engine
from ..services import directory
from ..services.cycle import holidays
from . import bp
from .common import policy
from .openapi import build_openapi

health_bp = Blueprint("health", __name__)


@bp.get("/departments")
@api_login_required()
def departments():
    """Every unit with its code, kind and parent."""
    rows = directory.departments(get_session())
    return jsonify(departments=[
        {"code": d.code, "name": d.name, "kind": d.kind.value, "parent": d.parent.code if d.parent else None,
         "active": d.active}
        for d in rows
    ])


@bp.get("/categories")
@api_login_required()
def categories():
    """The catalogue."""
    rows = directory.categories(get_session())
    return jsonify(categories=[{"name": c.name, "description": c.description, "active": c.active} for c in rows])


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API."""
    return jsonify(build_openapi())


def calendar_status() -> dict:
    """Whether the holiday schedule of this year (and, in December, next year) is known."""
    unknown = holidays.unknown_years(policy(), clock.now())
    status: dict = {"ok": not unknown, "unknown_years": unknown}
    if unknown:
        status["warning"] = (
            f"no holiday schedule for {', '.join(map(str, unknown))}: counting Monday–Friday plus the admin's "
            "overrides until it is entered (admin → holidays)"
        )
    return status


@health_bp.get("/healthz")
def healthz():
    """Database, model and calendar status; 503 only when the database is down (no model still serves)."""
    body: dict = {"database": {"ok": True}, "model": current_app.extensions["hotline.routing"].status()}
    try:
        ping()
        body["model"] = get_engine().status()  # also follows an activation made on another host
        body["calendar"] = calendar_status()
    except Exception as exc:  # report, don't crash: this is what the load balancer polls
        body["database"] = {"ok": False, "reason": type(exc).__name__}
        return jsonify(body), 503
    body["ok"] = body["model"]["ok"] and body["calendar"]["ok"]
    return jsonify(body)
