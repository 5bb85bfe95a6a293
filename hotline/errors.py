"""Turn every error into a clear answer: JSON under /api/, a page elsewhere; never a bare 500."""
from __future__ import annotations

import logging
import traceback

from flask import Flask, Response, jsonify, render_template, request
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from .services.errors import REQUEST_ERRORS, DomainError, Param, render
from .web.messages import zh

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """API callers get JSON; people get a page."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, code: str, message: str, field: str | None = None,
                   params: dict[str, Param] | None = None,
                   details: list | None = None) -> tuple[Response, int] | tuple[str, int]:
    """One error shape for the whole API: {error, message, field?, params?, details?}; pages say it in Chinese."""
    if wants_json():
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
               413: "request_entity_too_large", 415: "unsupported_media_type", 429: "too_many_requests",
               500: "internal_error"}
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
            response, status = request_error(code, method=request.method)
        elif code is None:
            response, status = request_error("http_error", http_status=status, status=status)
        else:
            response, status = request_error(code)
        # The exception's own headers matter: a 405 says which methods are allowed (Allow).
        headers = [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]
        return response, status, headers

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.error("unhandled error on %s %s: %s", request.method, request.path, private_safe(exc))
        return request_error("internal_error")
