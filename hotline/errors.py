"""Turn every error into a clear answer: JSON under /api/, a page elsewhere; never a bare 500."""
from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from .services.errors import REQUEST_ERRORS, DomainError, Param, render
from .web.messages import zh

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    """API callers get JSON; people get a page."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, code: str, message: str, field: str | None = None,
                   params: dict[str, Param] | None = None,
                   details: list | None = None) -> tuple[Response, int] | tuple[str, int]:
    """One error shape for the whole API: {error, message, field?, params?, details?}; pages say it in Chinese."""
    if _wants_json():
        body: dict = {"error": code, "message": message}
        if field:
            body["field"] = field
        if params:
            body["params"] = params
        if details:
            body["details"] = details
        return jsonify(body), status
    return render_template("error.html", status=status, message=zh(code, params)), status


def request_error(code: str, /, *, http_status: int | None = None,
                  **params: Param) -> tuple[Response, int] | tuple[str, int]:
    """The answer to a failure of the request itself (see REQUEST_ERRORS), by its code."""
    default_status, english = REQUEST_ERRORS[code]
    return error_response(http_status or default_status or 500, code, render(english, params), params=params)


def validation_details(exc: ValidationError) -> list[dict]:
    """Pydantic's errors as [{field, message}], with dotted field names."""
    return [
        {"field": ".".join(str(part) for part in err["loc"]) or "body", "message": err["msg"]}
        for err in exc.errors(include_url=False)
    ]


# werkzeug's HTTP errors by status; any other status is answered as http_error.
_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               413: "request_entity_too_large", 415: "unsupported_media_type", 500: "internal_error"}


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        return error_response(exc.status, exc.code, exc.message, exc.field, exc.params)

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError):
        details = validation_details(exc)
        first = details[0] if details else {"field": "body", "message": "invalid"}
        params: dict[str, Param] = {"name": first["field"], "problem": first["message"]}
        return error_response(400, "invalid_input", render(REQUEST_ERRORS["invalid_input"][1], params), first["field"],
                              params, details)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        code = _HTTP_CODES.get(status)
        if code == "method_not_allowed":
            return request_error(code, method=request.method)
        if code is None:
            return request_error("http_error", http_status=status, status=status)
        return request_error(code)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return request_error("internal_error")
