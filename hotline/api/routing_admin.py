"""Model versions (GET /models, activate one) and hot-spot alerts."""
from __future__ import annotations

from pathlib import Path

from flask import current_app, jsonify

from models import Role

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..presentation import iso
from ..routing_setup import force_sync, get_engine
from ..services import alerts as hotspots
from ..services.model_quality import overview
from ..services.model_store import activate_version, describe_version
from . import bp
from .common import current_user, paged, parse_body, policy
from .schemas import BulkAcknowledgeRequest


@bp.get("/models")
@api_login_required(Role.ADMIN, Role.SUPERVISOR)
def list_models():
    """Every model version on disk with its metrics; which one routes now."""
    engine = get_engine()
    active = engine.router.version if engine.router else None
    page = overview(get_session(), Path(current_app.config["MODEL_DIR"]), active, clock.now())
    return jsonify(load_error=engine.load_error, **page)


@bp.post("/models/<version>/activate")
@api_login_required(Role.ADMIN)
def activate_model(version: str):
    """Put another version in service, on every host (they follow the database within 30 s)."""
    root = Path(current_app.config["MODEL_DIR"])
    session = get_session()
    activate_version(session, get_engine(), root, version, current_user().id, clock.now())
    session.commit()
    force_sync()
    return jsonify(describe_version(root / version, version))


@bp.get("/alerts")
@api_login_required(Role.SUPERVISOR, Role.ADMIN, Role.DISPATCHER)
def alerts():
    """Hot spots of the last days, newest first."""
    rows, meta = paged(hotspots.listed())
    tz = policy().tz
    return jsonify(**meta, alerts=[
        {"id": a.id, "kind": a.kind, "category": a.category, "district": a.district, "count": a.ticket_count,
         "window_start": iso(a.window_start, tz), "window_end": iso(a.window_end, tz),
         "acknowledged": a.acknowledged_at is not None}
        for a in rows
    ])


@bp.post("/alerts/acknowledge")
@api_login_required(Role.SUPERVISOR)
def acknowledge_alerts():
    """Mark hot spots as seen (all the ids given, or none if one is unknown)."""
    body = parse_body(BulkAcknowledgeRequest)
    rows = hotspots.acknowledge_many(get_session(), body.alert_ids, current_user().id, clock.now(),
                                     limit=int(current_app.config["BULK_MAX"]))
    get_session().commit()
    return jsonify(acknowledged=[a.id for a in rows])
