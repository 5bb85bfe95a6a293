"""Requests whose caller has already hung up are not processed (issue 9 item 2, "where the stack allows it").

Under overload a request can wait in the listen backlog, or for a worker's thread, longer than its client
waits for it. gunicorn's workers (sync and gthread) expose the request's socket (``gunicorn.socket``); before a write
(POST/PUT/PATCH/DELETE) is processed, one non-blocking peek tells whether the client has closed its side:
then nothing is saved and the worker moves on. What this cannot see — a caller who hangs up while the
request is being processed, or a proxy in between that keeps its own connection open — is answered by
the Idempotency-Key: the client's retry gets the ticket that was saved, never a second (docs/scale.md).
"""
from __future__ import annotations

import logging
import socket

from flask import Flask, Response, request

log = logging.getLogger(__name__)
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CLIENT_CLOSED = 499  # nginx's code for "client closed request": logged, never read by anyone


def has_hung_up(sock: socket.socket | None) -> bool:
    """Whether the peer has closed the connection (an orderly FIN or a reset), without consuming any byte."""
    if sock is None:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False  # open, nothing more sent: the normal case
    except OSError:
        return True  # reset by the peer


def init_app(app: Flask) -> None:
    """Refuse to start a write for a client that is gone."""

    @app.before_request
    def _skip_if_gone() -> Response | None:
        if request.method in WRITES and has_hung_up(request.environ.get("gunicorn.socket")):
            log.warning("client gone before %s %s was processed: skipped", request.method, request.path)
            return Response(status=CLIENT_CLOSED)
        return None
