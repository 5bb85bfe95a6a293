"""The 12345 hotline service: Flask application factory."""
from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import config as default_config

if TYPE_CHECKING:  # imported in create_app: the services and models import the package without Flask
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then HOTLINE_* environment variables, then `test_config`."""
    from flask import Flask

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(default_config.DEFAULTS)
    app.config.from_prefixed_env("HOTLINE")
    if test_config:
        app.config.from_mapping(test_config)
    embedded = _fill_instance_defaults(app)
    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app.json.ensure_ascii = False  # staff and their tools read Chinese, not \u escapes

    from . import (  # noqa: F401
        cli, client_gone, cycle_cli, db, errors, input_guard, interfaces_cli, limits, logs, metrics, outages, public, routing_setup,
        security, throttle,
    )
    from .open311 import bp as open311_bp
    from .api import bp as api_bp
    from .api.meta import health_bp
    from .services.policy import PolicyCache, policy_from_settings
    from .web import csrf, init_app as init_web

    policy_from_settings(app.config)  # a bad WORKING_HOURS, TIME_LIMITS, … stops start-up with its name
    app.extensions["hotline.policy"] = PolicyCache(app.config, float(app.config["POLICY_CACHE_SECONDS"]))
    db.init_app(app)
    routing_setup.init_app(app)
    errors.init_app(app)
    outages.init_app(app)
    client_gone.init_app(app)
    security.init_app(app, embedded)
    input_guard.init_app(app)  # before the blueprints: their <int:…> routes use its converter
    cli.init_app(app)
    cycle_cli.init_app(app)
    app.register_blueprint(api_bp)
    app.register_blueprint(health_bp)
    # Citizens and other systems (README: Open311, status lookup, metrics, logs).
    logs.init_app(app)
    metrics.init_app(app)
    limits.init_app(app)
    app.register_blueprint(open311_bp)
    app.register_blueprint(public.bp)
    init_web(app)
    # The JSON API authenticates each request by bearer token, not by cookie: nothing to forge there.
    csrf.exempt(api_bp)
    csrf.exempt(health_bp)
    csrf.exempt(open311_bp)  # client systems authenticate with their api_key, not a cookie
    throttle.init_app(app)  # wraps the login views, so after they are registered
    return app


def _fill_instance_defaults(app: Flask) -> bool:
    """Point the embedded defaults (SQLite file, model folder) into the instance folder; True if embedded."""
    instance = Path(app.instance_path)
    embedded = not app.config["DATABASE_URL"]
    if embedded:
        instance.mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'hotline.sqlite3'}"
    if not app.config["SECRET_KEY"]:
        if not embedded:
            # Several hosts must share one key, or tokens and sessions would work on one host only.
            raise RuntimeError("set HOTLINE_SECRET_KEY: it signs sessions and API tokens on every host")
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    if not app.config["MODEL_DIR"]:
        app.config["MODEL_DIR"] = str(instance / "models")
    return embedded


def _instance_secret(path: Path) -> str:
    """The embedded default's signing key: made once, random, readable by its owner only."""
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()
