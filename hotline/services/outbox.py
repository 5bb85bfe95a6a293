"""The notification outbox: rows written in the transaction of the event they report, sent later by `deliver`.

Delivery is at least once and, in practice, once: a host claims a row by compare-and-set on a lease
(PostgreSQL also skips rows another host has locked), sends it, then marks it sent; only a host that
dies between sending and marking leaves a row that is sent again after its lease.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import (
    EventAction,
    NotifyChannel,
    NotifyTarget,
    OutboxMessage,
    OutboxStatus,
    Ticket,
    TicketEvent,
    TicketGrade,
    TicketStatus,
)

from .errors import InvalidInput, InvalidTransition, NotFound

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# Which events a unit must hear about, and under which kind.
UNIT_KINDS = {
    EventAction.ROUTED: "new_ticket",
    EventAction.ASSIGNED: "new_ticket",
    EventAction.REOPENED: "reopened",
    EventAction.ESCALATED: "urged",  # 催办
    EventAction.EXTENSION_APPROVED: "extension_decided",
    EventAction.EXTENSION_REJECTED: "extension_decided",
    EventAction.PAUSE_APPROVED: "pause_decided",  # 挂起
    EventAction.PAUSE_REJECTED: "pause_decided",
    EventAction.RESUMED: "resumed",  # the daily job's resume at the approved end, with the moved deadlines
}
# A co-handling unit (协办) hears of what starts a handling round, in which it is asked for its part again.
CO_UNIT_KINDS = {
    EventAction.ROUTED: "new_ticket",
    EventAction.ASSIGNED: "new_ticket",
    EventAction.REOPENED: "reopened",
}
# ... and which the caller hears about by SMS.
CALLER_KINDS = {
    EventAction.CREATED: "receipt",
    EventAction.REPLIED: "reply",
    EventAction.ANSWERED_ON_CALL: "reply",
}


@dataclass(frozen=True)
class DeliveryRules:
    """How often and how patiently messages are retried (OUTBOX_* settings)."""

    max_attempts: int = 5
    backoff_seconds: int = 60
    lease_seconds: int = 300
    batch: int = 50


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def unit_payload(ticket: Ticket, kind: str, note: str = "", data: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a unit is told: the work order, never the caller's identity."""
    return {
        "kind": kind, "number": ticket.number, "title": ticket.title, "status": ticket.status.value,
        "department": ticket.department.code if ticket.department else None,
        "sign_by": _iso(ticket.sign_by), "reply_by": _iso(ticket.reply_by), "note": note[:500],
        **(data or {}),
    }


def _targets(session: Session, department_id: int | None) -> list[NotifyTarget]:
    """The unit's own targets plus the system-wide ones."""
    owner = NotifyTarget.department_id.is_(None)
    if department_id is not None:
        owner = or_(owner, NotifyTarget.department_id == department_id)
    return list(session.scalars(select(NotifyTarget).where(NotifyTarget.active.is_(True), owner)
                                .order_by(NotifyTarget.id)))


def _message(ticket: Ticket, kind: str, channel: NotifyChannel, recipient: str, payload: dict, now: datetime,
             secret: str = "", dedupe_key: str | None = None) -> OutboxMessage:
    return OutboxMessage(ticket=ticket, kind=kind, channel=channel, recipient=recipient, secret=secret,
                         payload=payload, dedupe_key=dedupe_key, status=OutboxStatus.PENDING, attempts=0,
                         next_attempt_at=now, created_at=now, last_error="")


def on_event(session: Session, ticket: Ticket, event: TicketEvent) -> None:
    """Write the outbox rows an event calls for (workflow.record calls this in the event's transaction)."""
    now = event.at
    unit_kind = UNIT_KINDS.get(event.action)
    automatic = bool((event.data or {}).get("automatic"))
    # A unit hears of the system's resume (the approved end passed), not of its own; of a person's decision only.
    skip = not automatic if event.action == EventAction.RESUMED else automatic
    if unit_kind and ticket.department_id is not None and not skip:
        decided = unit_kind in ("extension_decided", "pause_decided")
        payload = unit_payload(ticket, unit_kind, event.note, {"decision": event.action.value} if decided else None)
        for target in _targets(session, ticket.department_id):
            session.add(_message(ticket, unit_kind, target.channel, target.address, payload, now, target.secret))
    _tell_co_units(session, ticket, event)
    caller_kind = CALLER_KINDS.get(event.action)
    if caller_kind and ticket.caller_phone:
        payload = {"kind": caller_kind, "number": ticket.number}
        if caller_kind == "reply":
            payload["reply"] = ticket.reply[:500]
        session.add(_message(ticket, caller_kind, NotifyChannel.SMS, ticket.caller_phone, payload, now))


def _tell_co_units(session: Session, ticket: Ticket, event: TicketEvent) -> None:
    """Each co-handling unit gets the lead unit's new-work notice: when it is added (分级 C), and each new round."""
    if event.action == EventAction.GRADED:
        added = set((event.data or {}).get("co_units_added", ()))
        units, kind = [c for c in ticket.co_units if c.department.code in added], "new_ticket"
    elif event.action in CO_UNIT_KINDS and ticket.department_id is not None and ticket.grade == TicketGrade.C:
        units, kind = list(ticket.co_units), CO_UNIT_KINDS[event.action]
    else:
        return
    for co_unit in units:
        # Only the unit's own targets: the system-wide ones already heard of the ticket through its lead unit.
        payload = unit_payload(ticket, kind, event.note, {"co_unit": co_unit.department.code})
        for target in _targets(session, co_unit.department_id):
            if target.department_id is not None:
                session.add(_message(ticket, kind, target.channel, target.address, payload, now=event.at,
                                     secret=target.secret))


def on_urged(session: Session, ticket_ids: list[int], phase: str, now: datetime) -> None:
    """催办 written in bulk by the daily job: tell each unit whose deadline was missed.

    The targets are read once per unit, not once per ticket: a first run escalates thousands of tickets.
    """
    targets: dict[int | None, list[NotifyTarget]] = {}
    for ticket in session.scalars(select(Ticket).where(Ticket.id.in_(ticket_ids))):
        payload = unit_payload(ticket, "urged", f"{phase} deadline missed (催办)", {"deadline": phase})
        if ticket.department_id not in targets:
            targets[ticket.department_id] = _targets(session, ticket.department_id)
        for target in targets[ticket.department_id]:
            session.add(_message(ticket, "urged", target.channel, target.address, payload, now, target.secret))


def enqueue_deadline_warnings(session: Session, now: datetime) -> int:
    """A deadline is near (80 % of the time used, the yellow flag): tell the unit once per deadline."""
    t = Ticket
    phases = {
        "sign": (t.sign_warn_at, t.sign_by, (TicketStatus.DISPATCHED,)),
        "reply": (t.reply_warn_at, t.reply_by, (TicketStatus.DISPATCHED, TicketStatus.SIGNED)),
    }
    rows = []
    for phase, (warn, due, statuses) in phases.items():
        near = session.scalars(select(Ticket).where(
            t.status.in_(statuses), t.department_id.is_not(None), warn <= now, due > now, t.paused_at.is_(None)))
        for ticket in near:
            deadline = ticket.sign_by if phase == "sign" else ticket.reply_by
            payload = unit_payload(ticket, "deadline_near", "", {"deadline": phase})
            for target in _targets(session, ticket.department_id):
                rows.append({
                    "kind": "deadline_near", "channel": target.channel, "recipient": target.address,
                    "secret": target.secret, "ticket_id": ticket.id, "payload": payload,
                    "dedupe_key": f"deadline_near:{ticket.id}:{phase}:{_iso(deadline)}:{target.id}",
                    "status": OutboxStatus.PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now,
                    "last_error": "",
                })
    if not rows:
        return 0
    # Hosts scan at the same time: the unique dedupe key keeps one row per deadline and target.
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    added = session.execute(dialect.insert(OutboxMessage).values(rows).on_conflict_do_nothing(
        index_elements=["dedupe_key"]).returning(OutboxMessage.id))
    return len(added.all())  # rowcount is no help here: psycopg reports -1 for a multi-row insert


def claim_due(session: Session, host: str, now: datetime, rules: DeliveryRules) -> list[int]:
    """Claim up to `batch` messages due now for `host`; each id is claimed by one host only."""
    m = OutboxMessage
    free = or_(m.claimed_until.is_(None), m.claimed_until < now)
    query = (select(m.id).where(m.status == OutboxStatus.PENDING, m.next_attempt_at <= now, free)
             .order_by(m.next_attempt_at, m.id).limit(rules.batch))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed = []
    for message_id in session.scalars(query).all():
        taken = session.execute(
            update(m).where(m.id == message_id, m.status == OutboxStatus.PENDING, free)
            .values(claimed_by=host, claimed_until=now + timedelta(seconds=rules.lease_seconds))
            .execution_options(synchronize_session=False))
        if taken.rowcount == 1:  # compare-and-set: another host's claim made it 0
            claimed.append(message_id)
    return claimed


def mark_sent(message: OutboxMessage, now: datetime) -> None:
    """The channel accepted the message."""
    message.status = OutboxStatus.SENT
    message.attempts += 1
    message.sent_at = now
    message.claimed_until = None
    message.last_error = ""


def mark_failed(message: OutboxMessage, error: str, now: datetime, rules: DeliveryRules) -> None:
    """Retry later with a doubled wait, or dead-letter after `max_attempts` failures."""
    message.attempts += 1
    message.last_error = error[:1000]
    message.claimed_until = None
    if message.attempts >= rules.max_attempts:
        message.status = OutboxStatus.DEAD
    else:
        message.next_attempt_at = now + timedelta(seconds=rules.backoff_seconds * 2 ** (message.attempts - 1))


def requeue(session: Session, message_id: int, now: datetime) -> OutboxMessage:
    """The admin sends a dead-lettered message again, from a fresh count."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("record_not_found", field="id", kind="outbox_message", id=message_id)
    if message.status != OutboxStatus.DEAD:
        raise InvalidTransition("outbox_not_dead", id=message_id, status=message.status.value)
    message.status, message.attempts, message.next_attempt_at = OutboxStatus.PENDING, 0, now
    return message


def dead_letters(session: Session, limit: int = 100) -> list[OutboxMessage]:
    """The messages that failed every attempt, newest first."""
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.DEAD)
                                .order_by(OutboxMessage.id.desc()).limit(limit)))


def backlog(session: Session) -> dict[tuple[str, str], int]:
    """Messages by (status, channel), for the metrics."""
    rows = session.execute(select(OutboxMessage.status, OutboxMessage.channel, func.count())
                           .where(OutboxMessage.status != OutboxStatus.SENT)
                           .group_by(OutboxMessage.status, OutboxMessage.channel))
    return {(status.value, channel.value): count for status, channel, count in rows}


def add_target(session: Session, department_id: int | None, channel: str, address: str,
               secret: str = "") -> NotifyTarget:
    """A unit's (or the system's, without a unit) e-mail address or webhook URL; a 400 names a bad field."""
    if channel not in (NotifyChannel.EMAIL.value, NotifyChannel.WEBHOOK.value):  # SMS goes to the caller's phone
        raise InvalidInput("bad_choice", field="channel", name="channel", allowed=["email", "webhook"])
    kind = NotifyChannel(channel)
    address = address.strip()
    if kind == NotifyChannel.EMAIL and not EMAIL.fullmatch(address):
        raise InvalidInput("bad_format", field="address", name="address", example="unit@example.gov.cn", value=address)
    if kind == NotifyChannel.WEBHOOK and not address.startswith(("http://", "https://")):
        raise InvalidInput("bad_format", field="address", name="address", example="https://unit.example/hook", value=address)
    if kind == NotifyChannel.WEBHOOK and len(secret) < 16:
        raise InvalidInput("secret_too_short", field="secret", minimum=16)
    target = NotifyTarget(department_id=department_id, channel=kind, address=address[:500], secret=secret[:128])
    session.add(target)
    session.flush()
    return target


def targets(session: Session) -> list[NotifyTarget]:
    """Every notification target, system-wide first."""
    return list(session.scalars(select(NotifyTarget).order_by(NotifyTarget.department_id.is_not(None),
                                                              NotifyTarget.department_id, NotifyTarget.id)))


def set_target_active(session: Session, target_id: int, active: bool) -> NotifyTarget:
    """Switch a target on or off (rows already written keep their recipient)."""
    target = session.get(NotifyTarget, target_id)
    if target is None:
        raise NotFound("record_not_found", field="id", kind="notify_target", id=target_id)
    target.active = active
    return target
