"""When the database is unreachable or drops its connections: 503 with Retry-After, never a 500."""
from __future__ import annotations

import logging

from flask import Flask, request
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, PendingRollbackError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from .errors import request_error

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5  # a restart of PostgreSQL, or a fail-over, takes seconds

# Connection lost, refused or not obtainable from the pool: the request can succeed on a retry. A pending
# rollback is a lost connection seen again after a step that may fail (routing, repeat check) caught the first.
OUTAGES = (OperationalError, DisconnectionError, InterfaceError, PoolTimeout, PendingRollbackError)


def init_app(app: Flask) -> None:
    """Register the 503 answer for database outages."""

    def _database_unavailable(exc: Exception):
        """The request's transaction is rolled back at teardown; the pool reconnects (pre-ping) next time."""
        # The class only: the driver's message can quote the statement's values (personal data).
        log.warning("database unavailable on %s %s: %s", request.method, request.path, type(exc).__name__)
        response, status = request_error("database_unavailable")
        if isinstance(response, str):
            return response, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response, status

    for outage in OUTAGES:
        app.register_error_handler(outage, _database_unavailable)
