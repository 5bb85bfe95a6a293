"""Structured logs: with LOG_FORMAT=json, one JSON object per line, each request logged once with its id.

The request line carries the request id (X-Request-ID, or one made here), the user's id, the endpoint,
the status and the duration: never the query string, the body or a header, where phones, names,
passwords and tokens travel.
"""
from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request, session
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
request_log = logging.getLogger("hotline.request")


class RequestContext(logging.Filter):
    """Add the request id and user id to every record logged during a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id")
            user = g.get("user")
            record.user_id = user.id if user is not None else session.get("uid")
        return True


class JsonLines(logging.StreamHandler):
    """The handler LOG_FORMAT=json installs on the root logger (one per process)."""


def json_handler(stream=None) -> JsonLines:
    """A handler writing one JSON object per line."""
    handler = JsonLines(stream or sys.stderr)
    handler.setFormatter(JsonFormatter("{asctime}{levelname}{name}{message}", style="{",
                                       rename_fields={"levelname": "level", "name": "logger"}))
    handler.addFilter(RequestContext())
    return handler


def init_app(app: Flask) -> None:
    """Give each request an id (echoed in X-Request-ID) and, in JSON mode, log each request once."""
    json_mode = app.config["LOG_FORMAT"] == "json"
    if json_mode:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if not isinstance(handler, JsonLines) and type(handler) is logging.StreamHandler:
                root.removeHandler(handler)  # basicConfig's text handler: the lines must all be JSON
        if not any(isinstance(h, JsonLines) for h in root.handlers):
            root.addHandler(json_handler())
        request_log.setLevel(logging.INFO)

    @app.before_request
    def _begin():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        g.log_started = time.perf_counter()

    @app.after_request
    def _end(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if json_mode:
            request_log.info("request", extra={
                "method": request.method, "endpoint": request.endpoint, "path": request.url_rule.rule
                if request.url_rule else None, "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.get("log_started", time.perf_counter())) * 1000, 1),
            })
        return response
