"""Model versions (GET /models, activate one) and hot-spot alerts."""
from __future__ import annotations

import json
from pathlib import Path

from flask import current_app, jsonify
from sqlalchemy import select

from models import Alert, Role, Setting

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..routing_setup import ACTIVE_MODEL_KEY, force_sync, get_engine
from ..services.errors import InvalidInput, NotFound
from ..services.routing import available_versions
from . import bp
from .common import current_user, policy
from .serialize import iso

def model_summary(path: Path, active: str | None) -> dict:
    """A model version's metadata as the admin page shows it."""
    try:
        meta = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {"version": path.name, "active": False, "error": f"unreadable metadata: {exc}"}
    return {
        "version": path.name,
        "active": path.name == active,
        "created_at": meta.get("created_at"),
        "threshold": meta.get("threshold"),
        "target_precision": meta.get("target_precision"),
        "metrics": {k: v for k, v in (meta.get("held_out") or {}).items() if isinstance(v, (int, float))},
        "precision": meta.get("precision"),
        "coverage": meta.get("coverage"),
        "n_train": meta.get("n_train"),
        "labels": meta.get("labels"),
        "data_sha256": meta.get("data_sha256"),
        "source": meta.get("source", "bundled"),
    }


@bp.get("/models")
@api_login_required(Role.ADMIN, Role.SUPERVISOR)
def list_models():
    """Every model version on disk with its metrics; which one routes now."""
    engine = get_engine()
    active = engine.router.version if engine.router else None
    root = Path(current_app.config["MODEL_DIR"])
    return jsonify(active=active, load_error=engine.load_error,
                   models=[model_summary(root / v, active) for v in reversed(available_versions(root))])


@bp.post("/models/<version>/activate")
@api_login_required(Role.ADMIN)
def activate_model(version: str):
    """Put another version in service, on every host (they follow the database within 30 s)."""
    root = Path(current_app.config["MODEL_DIR"])
    if version not in available_versions(root):
        raise NotFound(f"no model version {version}", field="version")
    engine = get_engine()
    engine.activate(version)
    if engine.router is None:
        raise InvalidInput(f"model {version} cannot be loaded: {engine.load_error}", field="version")
    session = get_session()
    setting = session.get(Setting, ACTIVE_MODEL_KEY) or Setting(key=ACTIVE_MODEL_KEY)
    setting.value, setting.updated_at, setting.updated_by_id = version, clock.now(), current_user().id
    session.add(setting)
    session.commit()
    force_sync()
    return jsonify(model_summary(root / version, version))


@bp.get("/alerts")
@api_login_required(Role.SUPERVISOR, Role.ADMIN, Role.DISPATCHER)
def alerts():
    """Hot spots of the last days, newest first."""
    rows = get_session().scalars(select(Alert).order_by(Alert.window_end.desc()).limit(100))
    tz = policy().tz
    return jsonify(alerts=[
        {"id": a.id, "kind": a.kind, "category": a.category, "district": a.district, "count": a.ticket_count,
         "window_start": iso(a.window_start, tz), "window_end": iso(a.window_end, tz),
         "acknowledged": a.acknowledged_at is not None}
        for a in rows
    ])
