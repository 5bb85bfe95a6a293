"""Rate limits per client address (Flask-Limiter; RATELIMIT_STORAGE_URL shares the counts between hosts)."""
from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def status_lookup_rate() -> str:
    """STATUS_LOOKUP_RATE, e.g. "10 per minute"."""
    return current_app.config["STATUS_LOOKUP_RATE"]


def init_app(app: Flask) -> None:
    """Attach the limiter with the configured storage."""
    app.config["RATELIMIT_STORAGE_URI"] = app.config["RATELIMIT_STORAGE_URL"]
    limiter.init_app(app)
