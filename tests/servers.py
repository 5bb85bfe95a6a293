"""Real servers on 127.0.0.1 for the interface tests: the app itself, an HTTP receiver, an SMTP server."""
from __future__ import annotations

import http.server
import socket
import threading
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller
from werkzeug.serving import make_server


@contextmanager
def live_app(app):
    """Serve `app` with werkzeug on 127.0.0.1 on a free port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


class Receiver:
    """An HTTP server recording every POST; it answers 500 to the first `fail` of them, then 200."""

    def __init__(self, fail: int = 0, body: bytes = b"") -> None:
        self.fail = fail
        self.body = body  # what a GET answers (a photo for media_url, say)
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.failed = 0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.failed < receiver.fail:
                    receiver.failed += 1
                    self.send_response(500)
                else:
                    receiver.posts.append((dict(self.headers), data))
                    self.send_response(200)
                self.end_headers()

            def do_GET(self):  # noqa: N802
                self.send_response(200)
                self.end_headers()
                self.wfile.write(receiver.body)

            def log_message(self, *args):  # keep the test output clean
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


class _Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@contextmanager
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1; yields (port, list of received messages)."""
    inbox = _Inbox()
    # aiosmtpd checks it is up by connecting to its port, so it needs a real one, not 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox.messages
    finally:
        controller.stop()
