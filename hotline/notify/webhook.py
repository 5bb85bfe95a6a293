"""Webhooks: an HTTP POST of the message as JSON, signed with HMAC-SHA256 over the body."""
from __future__ import annotations

import hashlib
import hmac
import json
import urllib.request

from models import OutboxMessage

from .render import Rendered

SIGNATURE_HEADER = "X-Hotline-Signature"


def signature(secret: str, body: bytes) -> str:
    """The signature header's value: `sha256=` and the hex HMAC of the body under the target's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Webhook:
    """POSTs to the target's URL; any answer but 2xx raises (urllib raises HTTPError for them)."""

    def __init__(self, timeout: float = 10) -> None:
        self.timeout = timeout

    def send(self, message: OutboxMessage, rendered: Rendered) -> None:
        """Send the payload and its text; the delivery id lets the receiver drop a redelivery."""
        body = json.dumps({"id": message.id, **(message.payload or {}), "subject": rendered.subject,
                           "text": rendered.text}, ensure_ascii=False).encode()
        request = urllib.request.Request(message.recipient, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "X-Hotline-Event": message.kind,
            "X-Hotline-Delivery": str(message.id), SIGNATURE_HEADER: signature(message.secret, body),
        })
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (admin-set URL)
            response.read()
