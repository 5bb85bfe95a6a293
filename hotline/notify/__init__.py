"""Notification channels (e-mail over SMTP, signed webhooks, a pluggable SMS gateway) and the delivery loop.

Nothing here imports Flask: the CLI builds the channels from the settings and runs `deliver_due`.
"""
from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker
from werkzeug.utils import import_string

from models import NotifyChannel, OutboxMessage

from ..services import outbox
from .email import SmtpEmail
from .render import Rendered, render
from .webhook import Webhook

log = logging.getLogger(__name__)


class Sender(Protocol):
    """A channel: send one message or raise."""

    def send(self, message: OutboxMessage, rendered: Rendered) -> None: ...


def build_channels(config: Mapping[str, Any]) -> dict[NotifyChannel, Sender]:
    """The channels the settings describe (SMTP_*, WEBHOOK_TIMEOUT, SMS_CHANNEL)."""
    return {
        NotifyChannel.EMAIL: SmtpEmail(config["SMTP_HOST"], int(config["SMTP_PORT"]), config["MAIL_FROM"],
                                       config["SMTP_USERNAME"], config["SMTP_PASSWORD"], bool(config["SMTP_STARTTLS"])),
        NotifyChannel.WEBHOOK: Webhook(float(config["WEBHOOK_TIMEOUT"])),
        NotifyChannel.SMS: import_string(config["SMS_CHANNEL"].replace(":", "."))(),
    }


def rules_from_settings(config: Mapping[str, Any]) -> outbox.DeliveryRules:
    """The OUTBOX_* settings."""
    return outbox.DeliveryRules(
        max_attempts=int(config["OUTBOX_MAX_ATTEMPTS"]), backoff_seconds=int(config["OUTBOX_BACKOFF_SECONDS"]),
        lease_seconds=int(config["OUTBOX_LEASE_SECONDS"]), batch=int(config["OUTBOX_BATCH"]),
    )


def deliver_due(make_session: sessionmaker[Session], channels: Mapping[NotifyChannel, Sender],
                rules: outbox.DeliveryRules, now: Callable[[], datetime], tz: ZoneInfo,
                host: str | None = None) -> dict[str, int]:
    """Write the near-deadline notices, then send what is due; one transaction per message."""
    host = host or f"{socket.gethostname()}:{id(channels)}"
    with make_session() as session:
        warned = outbox.enqueue_deadline_warnings(session, now())
        session.commit()
        claimed = outbox.claim_due(session, host, now(), rules)
        session.commit()
    counts = {"warned": warned, "sent": 0, "failed": 0, "dead": 0}
    for message_id in claimed:
        with make_session() as session:
            message = session.get(OutboxMessage, message_id)
            try:
                channels[message.channel].send(message, render(message, tz))
            except Exception as exc:  # any failure of a channel is a retry, never a lost message
                outbox.mark_failed(message, f"{type(exc).__name__}: {exc}", now(), rules)
                counts["dead" if message.status.value == "dead" else "failed"] += 1
                log.warning("outbox message %s (%s) failed, attempt %s", message.id, message.channel.value,
                            message.attempts)
            else:
                outbox.mark_sent(message, now())
                counts["sent"] += 1
            session.commit()
    return counts


def deliver_forever(run_once: Callable[[], dict[str, int]], interval: float) -> None:
    """`deliver --loop`: run, then sleep when there was nothing to send."""
    while True:
        counts = run_once()
        if not any(counts[k] for k in ("sent", "failed", "dead")):
            time.sleep(interval)
