"""Turn every error into a clear answer: JSON under /api/, a page elsewhere; never a bare 500."""
from __future__ import annotations

import logging
import traceback

from flask import Flask, Response, jsonify, render_template, request
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from .services.errors import DomainError

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """API callers get JSON; people get a page."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, code: str, message: str, field: str | None = None,
                   details: list | None = None) -> tuple[Response, int] | tuple[str, int]:
    """One error shape for the whole API: {error, message, field?, details?}."""
    if wants_json():
        body: dict = {"error": code, "message": message}
        if field:
            body["field"] = field
        if details:
            body["details"] = details
        return jsonify(body), status
    return render_template("error.html", status=status, message=message), status


def validation_details(exc: ValidationError) -> list[dict]:
    """Pydantic's errors as [{field, message}], with dotted field names."""
    return [
        {"field": ".".join(str(part) for part in err["loc"]) or "body", "message": err["msg"]}
        for err in exc.errors(include_url=False)
    ]


def private_safe(exc: BaseException) -> str:
    """The error and where it happened, without the values it was about (callers' phones, names, addresses).

    The engine hides SQL parameters, but a driver's message can still quote a value ("Key (…)=(…)"), and any
    exception's text may carry what the citizen said: only the class, the SQL and the stack are logged.
    """
    what = type(exc).__name__
    if isinstance(exc, DBAPIError):
        what = f"{what} ({type(exc.orig).__name__}, SQLSTATE {getattr(exc.orig, 'sqlstate', None)}) in: {exc.statement}"
    return what + "\n" + "".join(traceback.format_tb(exc.__traceback__))


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        return error_response(exc.status, exc.code, exc.message, exc.field)

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError):
        details = validation_details(exc)
        first = details[0] if details else {"field": "body", "message": "invalid"}
        return error_response(400, "invalid_input", f"{first['field']}: {first['message']}", first["field"], details)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        response, status = error_response(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"),
                                          exc.description or "")
        # The exception's own headers matter: a 405 says which methods are allowed (Allow).
        headers = [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]
        return response, status, headers

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.error("unhandled error on %s %s: %s", request.method, request.path, private_safe(exc))
        return error_response(500, "internal_error", "an internal error occurred; nothing was saved")
