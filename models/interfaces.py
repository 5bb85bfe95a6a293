"""Rows behind the interfaces to citizens and other systems: Open311 clients, attachments, the outbox."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .department import Department
from .ticket import Ticket
from .user import User


class Open311Client(Base):
    """A client system allowed to POST service requests; only a hash of its api_key is kept."""

    __tablename__ = "open311_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The intake's actor: tickets and events name the client system that filed them.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Open311Request(Base):
    """What GeoReport v2 adds to a ticket filed through it: the client, its token, the point and media URL."""

    __tablename__ = "open311_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("open311_clients.id"))
    service_code: Mapped[str] = mapped_column(String(32))
    lat: Mapped[Optional[float]]
    long: Mapped[Optional[float]]
    media_url: Mapped[str] = mapped_column(String(500), default="")

    ticket: Mapped[Ticket] = relationship()
    client: Mapped[Open311Client] = relationship()


class Attachment(Base):
    """A photo or PDF on a ticket; the file lives under ATTACHMENT_DIR, named by its SHA-256."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(64))  # sniffed from the bytes, never the name
    size: Mapped[int]
    filename: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(16))  # intake / reply / open311 / upload
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship()

    @property
    def is_image(self) -> bool:
        """Whether a thumbnail can be made."""
        return self.content_type.startswith("image/")


class NotifyChannel(enum.StrEnum):
    """How a notification travels."""

    EMAIL = "email"
    WEBHOOK = "webhook"
    SMS = "sms"


class NotifyTarget(Base):
    """Where a unit's (or, without a unit, the whole system's) notifications go: an address or a URL."""

    __tablename__ = "notify_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("departments.id"), index=True)
    channel: Mapped[NotifyChannel] = mapped_column(enum_column(NotifyChannel))
    address: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(128), default="")  # signs a webhook's body (HMAC-SHA256)
    active: Mapped[bool] = mapped_column(default=True)

    department: Mapped[Optional[Department]] = relationship()


class OutboxStatus(enum.StrEnum):
    """Where a notification is in its delivery."""

    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"  # failed OUTBOX_MAX_ATTEMPTS times: shown to the admin


class OutboxMessage(Base):
    """One notification to send, written in the transaction of the event it reports."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # new_ticket, deadline_near, urged, extension_decided, receipt, reply
    channel: Mapped[NotifyChannel] = mapped_column(enum_column(NotifyChannel))
    recipient: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(128), default="")
    ticket_id: Mapped[Optional[int]] = mapped_column(ForeignKey("tickets.id"), index=True)
    # What happened, without the caller's identity; the text is rendered when it is sent.
    payload: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    # Set for notifications a periodic scan writes (a deadline near): a second scan adds no second row.
    dedupe_key: Mapped[Optional[str]] = mapped_column(String(200), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(enum_column(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    # Compare-and-set lease: the host that set it sends the row; another may take it once it has passed.
    claimed_by: Mapped[Optional[str]] = mapped_column(String(100))
    claimed_until: Mapped[Optional[datetime]]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    sent_at: Mapped[Optional[datetime]]

    ticket: Mapped[Optional[Ticket]] = relationship()
