"""SMS: an interface a city implements for its gateway; the default only writes to the log."""
from __future__ import annotations

import logging

from models import OutboxMessage

from .render import Rendered

log = logging.getLogger(__name__)


class LogSms:
    """Writes each SMS to the log instead of sending it (no phone number: only its last two digits)."""

    def send(self, message: OutboxMessage, rendered: Rendered) -> None:
        """Log the message; a gateway class has the same method and raises when the gateway refuses."""
        log.info("SMS (not sent: no gateway configured) to a phone ending %s, outbox %s: %s",
                 message.recipient[-2:], message.id, rendered.text)
