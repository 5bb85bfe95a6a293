"""Build rows for tests (flush, never commit): demo rows by name, and tickets at any stage of their life.

The stage builders (`received`, `dispatched`, `signed`, `replied`) go through `services.workflow` as the
service does, so a built ticket has its events, deadlines and flags; the test decides whether to commit.
"""
from __future__ import annotations

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.services import workflow
from hotline.services.policy import Policy
from models import AppealType, Channel, Department, EventAction, Ticket, TicketStatus, Urgency, User

CST = ZoneInfo("Asia/Shanghai")
CONTENT = "我家小区楼道的墙皮大面积脱落，物业一直不维修，存在安全隐患，请相关部门督促处理。"
REPLY = "已督促物业维修，墙皮已修复。"

_numbers = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A local (Asia/Shanghai) moment."""
    return datetime(year, month, day, hour, minute, tzinfo=CST)


def department(session: Session, code: str) -> Department:
    """A demo department by code."""
    return session.scalar(select(Department).where(Department.code == code))


def user(session: Session, username: str) -> User:
    """A demo user by name."""
    found = session.scalar(select(User).where(User.username == username))
    assert found is not None, username
    return found


def ticket_row(session: Session, number: str) -> Ticket:
    """The ticket's row, fresh from the database (what another request committed included)."""
    session.expire_all()
    return session.scalar(select(Ticket).where(Ticket.number == number))


def actions(ticket: Ticket) -> list[EventAction]:
    """What happened to the ticket, oldest first."""
    return [event.action for event in ticket.events]


def new_ticket(**fields) -> Ticket:
    """An unsaved ticket with sensible defaults; any column can be given."""
    values = dict(
        number=f"T{next(_numbers):012d}", status=TicketStatus.PENDING_DISPATCH, appeal_type=AppealType.COMPLAINT,
        urgency=Urgency.NORMAL, channel=Channel.PHONE, caller_phone="13800000000", content="测试工单内容",
        reopen_count=0, return_count=0, extension_count=0, repeat_count=0,
    )
    values.update(fields)
    return Ticket(**values)


def make_ticket(session: Session, created_at: datetime, **fields) -> Ticket:
    """A saved ticket with sensible defaults and no history; any column can be given."""
    ticket = new_ticket(created_at=created_at, **fields)
    session.add(ticket)
    session.flush()
    return ticket


def received(session: Session, now: datetime, **fields) -> Ticket:
    """A call the operator registered at `now`, waiting for dispatch (its `created` event written)."""
    ticket = new_ticket(created_at=now, content=CONTENT, **fields)
    workflow.receive(session, ticket, user(session, "operator"), now)
    session.flush()
    return ticket


def dispatched(session: Session, policy: Policy, now: datetime, code: str = "zjj", **fields) -> Ticket:
    """A call the dispatcher sent to unit `code` at `now`."""
    ticket = received(session, now, **fields)
    workflow.dispatch(session, ticket, department(session, code), None, policy, now,
                      actor=user(session, "dispatcher"))
    session.flush()
    return ticket


def signed(session: Session, policy: Policy, now: datetime, code: str = "zjj", **fields) -> Ticket:
    """A call unit `code` received and signed at `now`."""
    ticket = dispatched(session, policy, now, code, **fields)
    workflow.sign(session, ticket, user(session, code), now)
    session.flush()
    return ticket


def replied(session: Session, policy: Policy, now: datetime, code: str = "zjj", **fields) -> Ticket:
    """A call unit `code` received, signed and replied to at `now`."""
    ticket = signed(session, policy, now, code, **fields)
    workflow.reply(session, ticket, REPLY, user(session, code), now, policy=policy)
    session.flush()
    return ticket
