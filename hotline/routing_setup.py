"""Load the routing engine and knowledge index once per process and keep them on the app."""
from __future__ import annotations

import time
from pathlib import Path

from flask import Flask, current_app

from models import Setting

from .db import get_session
from .services.knowledge import KnowledgeIndex
from .services.model_store import ACTIVE_MODEL_KEY
from .services.places import DEFAULT_GAZETTEER, Gazetteer
from .services.routing import RoutingEngine

SYNC_SECONDS = 30  # how soon every host follows an admin's activation


def init_app(app: Flask) -> None:
    """Load the gazetteer and the model (a missing model leaves the service up, routing by hand)."""
    gazetteer = Gazetteer.load(app.config.get("GAZETTEER") or DEFAULT_GAZETTEER)
    threshold = app.config["AUTO_DISPATCH_THRESHOLD"]
    app.extensions["hotline.routing"] = RoutingEngine.from_directory(
        Path(app.config["MODEL_DIR"]), gazetteer, float(threshold) if threshold is not None else None
    )
    app.extensions["hotline.routing.synced"] = 0.0
    app.extensions["hotline.kb"] = KnowledgeIndex()


def get_engine() -> RoutingEngine:
    """The app's routing engine, switched to the version the admin activated (checked every 30 s)."""
    engine: RoutingEngine = current_app.extensions["hotline.routing"]
    if time.monotonic() - current_app.extensions["hotline.routing.synced"] > SYNC_SECONDS:
        current_app.extensions["hotline.routing.synced"] = time.monotonic()
        setting = get_session().get(Setting, ACTIVE_MODEL_KEY)
        wanted = setting.value if setting else None
        if wanted and (engine.router is None or engine.router.version != wanted):
            engine.activate(wanted)
    return engine


def force_sync() -> None:
    """Make the next get_engine() read the active version at once (after an activation here)."""
    current_app.extensions["hotline.routing.synced"] = 0.0


def get_kb() -> KnowledgeIndex:
    """The app's knowledge-base index."""
    return current_app.extensions["hotline.kb"]
