"""Failed logins are throttled per username and per client address (Flask-Limiter), on the API and the pages.

The counters live in HOTLINE_RATELIMIT_STORAGE_URL (e.g. redis://…) so every host behind the balancer sees
the same failures; memory:// (the embedded default) counts per process. Only failures count (a 401): a
successful login costs nothing, and a blocked username or address gets 429 with the wait in Retry-After.
"""
from __future__ import annotations

import time
from typing import Any

from flask import Flask, current_app, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

from .errors import request_error
from .input_guard import json_body

# The views that check a password: the API's token endpoint and the login page.
LOGIN_ENDPOINTS = ("api.token", "auth.login")


def submitted_username() -> str:
    """The username a login request names (JSON body or form), as the login compares it."""
    body: Any = json_body() if request.is_json else request.form
    name = body.get("username") if isinstance(body, dict) or hasattr(body, "getlist") else None
    return name.strip()[:64] if isinstance(name, str) else ""


def _failed(response) -> bool:
    """Only a refused password counts against the limits."""
    return response.status_code == 401


def _too_many(exc: RateLimitExceeded):
    """429 saying how long to wait, as JSON or a Chinese page, with Retry-After."""
    current = current_app.extensions["hotline.limiter"].current_limit
    wait = max(1, int(current.reset_at - time.time())) if current else 60
    if request.endpoint in LOGIN_ENDPOINTS:
        response, status = request_error("too_many_logins", seconds=wait)
    else:  # another limit (the citizens' status lookup) ran out
        response, status = request_error("too_many_requests")
    return response, status, {"Retry-After": str(wait)}


def init_app(app: Flask) -> None:
    """Create the app's limiter and put the login limits on the login views (registered before this)."""
    if app.config["TRUSTED_PROXIES"]:
        # Behind nginx every request comes from 127.0.0.1: take the client from X-Forwarded-For instead.
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["RATELIMIT_STORAGE_URL"])
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)  # a storage outage must not stop staff logging in
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter = Limiter(get_remote_address, app=app, default_limits=[])
    app.extensions["hotline.limiter"] = limiter
    per_username = limiter.shared_limit(
        app.config["LOGIN_FAILURES_PER_USERNAME"], scope="login-username",
        key_func=lambda: "username:" + submitted_username(), methods=["POST"], deduct_when=_failed)
    per_address = limiter.shared_limit(
        app.config["LOGIN_FAILURES_PER_ADDRESS"], scope="login-address",
        key_func=get_remote_address, methods=["POST"], deduct_when=_failed)
    for endpoint in LOGIN_ENDPOINTS:
        app.view_functions[endpoint] = per_address(per_username(app.view_functions[endpoint]))
    app.register_error_handler(RateLimitExceeded, _too_many)
