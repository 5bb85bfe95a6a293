"""Keep the routing engine and knowledge index on the app; the model loads on first use, not at start-up."""
from __future__ import annotations

import logging
import time
from pathlib import Path

from flask import Flask, current_app

import models

from .db import get_session
from .services.knowledge import KnowledgeIndex
from .services.model_store import active_version
from .services.places import EMPTY, load_gazetteer
from .services.routing import RoutingEngine

log = logging.getLogger(__name__)
SYNC_SECONDS = 30  # how soon every host follows an admin's activation or a new gazetteer


def init_app(app: Flask) -> None:
    """Prepare the engine without loading the model (a missing model leaves the service up, routing by hand)."""
    threshold = app.config["AUTO_DISPATCH_THRESHOLD"]
    app.extensions["hotline.routing"] = RoutingEngine.from_directory(
        Path(app.config["MODEL_DIR"]), EMPTY, float(threshold) if threshold is not None else None, lazy=True
    )
    app.extensions["hotline.routing.synced"] = 0.0
    app.extensions["hotline.kb"] = KnowledgeIndex(app.extensions["hotline.sessionmaker"])


def warm_up(app: Flask) -> None:
    """Build now what the first call would otherwise wait for (gunicorn --preload: once in the master, shared
    by the forked workers): the model (and jieba's dictionary), the gazetteer and the knowledge-base index.
    """
    app.extensions["hotline.routing"].router  # noqa: B018 - the property loads it
    try:
        with app.app_context():
            get_engine()  # reads the active version and the gazetteer
            with app.extensions["hotline.sessionmaker"]() as session:
                app.extensions["hotline.kb"].warm(session)
                # One suggestion, read-only, so the queries a call runs are compiled before the fork too.
                from .services.policy import load_policy
                from .services.suggestions import suggest

                suggest(session, get_engine(), app.extensions["hotline.kb"], load_policy(session, app.config),
                        models.utcnow(), content="小区路灯不亮", caller_phone="13800000000")
                session.rollback()
    except Exception:  # a database not there yet must not stop the start: the first request builds them instead
        log.warning("could not prepare the gazetteer and the knowledge index at start-up", exc_info=True)
    finally:
        # No connection of the master's crosses the fork (each worker opens its own: hotline/db.py).
        app.extensions["hotline.engine"].dispose()


def get_engine() -> RoutingEngine:
    """The app's routing engine, following the database every 30 s: the active version and the gazetteer."""
    engine: RoutingEngine = current_app.extensions["hotline.routing"]
    if time.monotonic() - current_app.extensions["hotline.routing.synced"] > SYNC_SECONDS:
        current_app.extensions["hotline.routing.synced"] = time.monotonic()
        session = get_session()
        engine.gazetteer = load_gazetteer(session)
        wanted = active_version(session)
        if wanted and (engine.router is None or engine.router.version != wanted):
            engine.activate(wanted)
    return engine


def force_sync() -> None:
    """Make the next get_engine() read the active version and the gazetteer at once (after a change here)."""
    current_app.extensions["hotline.routing.synced"] = 0.0


def get_kb() -> KnowledgeIndex:
    """The app's knowledge-base index."""
    return current_app.extensions["hotline.kb"]
