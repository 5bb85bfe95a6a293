"""Turn every error into a clear answer: JSON under /api/, a page elsewhere; never a bare 500."""
from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from .services.errors import DomainError

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    """API callers get JSON; people get a page."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, code: str, message: str, field: str | None = None,
                   details: list | None = None, current_status: str | None = None,
                   ) -> tuple[Response, int] | tuple[str, int]:
    """One error shape for the whole API: {error, message, field?, details?, current_status?}."""
    if _wants_json():
        body: dict = {"error": code, "message": message}
        if field:
            body["field"] = field
        if details:
            body["details"] = details
        if current_status:
            body["current_status"] = current_status
        return jsonify(body), status
    return render_template("error.html", status=status, message=message), status


def validation_details(exc: ValidationError) -> list[dict]:
    """Pydantic's errors as [{field, message}], with dotted field names."""
    return [
        {"field": ".".join(str(part) for part in err["loc"]) or "body", "message": err["msg"]}
        for err in exc.errors(include_url=False)
    ]


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        return error_response(exc.status, exc.code, exc.message, exc.field,
                              current_status=getattr(exc, "current_status", None))

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError):
        details = validation_details(exc)
        first = details[0] if details else {"field": "body", "message": "invalid"}
        return error_response(400, "invalid_input", f"{first['field']}: {first['message']}", first["field"], details)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        return error_response(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"), exc.description or "")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "an internal error occurred; nothing was saved")
