"""Response headers a city's security review asks for, and the session cookie's flags."""
from __future__ import annotations

from flask import Flask, Response, request

# No inline script anywhere: pages load app.js / operator.js from /static. Inline *styles* stay allowed (a few
# style attributes, the standalone report's <style>); they cannot run code.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _secure_headers(response: Response) -> Response:
    """Every answer gets the headers; all but static files are no-store (pages and JSON show callers' data)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask, embedded: bool) -> None:
    """Add the headers to every response; the cookie is Secure unless this is the embedded default."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    if app.config.get("SESSION_COOKIE_SECURE") is None:
        # The embedded default is run on a laptop over plain http; anything with a database server is behind TLS.
        app.config["SESSION_COOKIE_SECURE"] = not embedded
    app.after_request(_secure_headers)
