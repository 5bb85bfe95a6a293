"""Build rows for tests (flush, never commit): demo rows by name, and tickets at any stage of their life.

The stage builders (`received`, `dispatched`, `signed`, `replied`) go through `services.workflow` as the
service does, so a built ticket has its events, deadlines and flags; the test decides whether to commit.
"""
from __future__ import annotations

import csv
import itertools
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
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


def city_package(folder: Path, **edits: Callable[[list[list[str]]], list[list[str]]] | None) -> Path:
    """A copy of the demo city's package in `folder`: each named file's rows (header first, none for a file the
    demo lacks) pass through its edit; an edit of None leaves that file out."""
    from hotline.services.demo import DEMO_CITY

    folder.mkdir(parents=True, exist_ok=True)
    for stem in sorted({p.stem for p in DEMO_CITY.glob("*.csv")} | set(edits)):
        source = DEMO_CITY / f"{stem}.csv"
        rows = []
        if source.exists():
            with open(source, encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle))
        edit = edits.get(stem, lambda same: same)
        if edit is None:
            continue
        with open(folder / f"{stem}.csv", "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(edit(rows))
    return folder


def replacing(old: str, new: str) -> Callable[[list[list[str]]], list[list[str]]]:
    """An edit changing every cell `old` into `new`."""
    return lambda rows: [[new if cell == old else cell for cell in row] for row in rows]


def appending(*extra: list[str]) -> Callable[[list[list[str]]], list[list[str]]]:
    """An edit adding rows at the end."""
    return lambda rows: rows + [list(row) for row in extra]


def dropping(first_cell: str) -> Callable[[list[list[str]]], list[list[str]]]:
    """An edit removing the rows whose first cell is `first_cell`."""
    return lambda rows: [row for row in rows if row[0] != first_cell]


def setting(first_cell: str, column: int, value: str) -> Callable[[list[list[str]]], list[list[str]]]:
    """An edit setting one cell of the row whose first cell is `first_cell`."""
    return lambda rows: [row[:column] + [value] + row[column + 1:] if row[0] == first_cell else row for row in rows]


def unit_user(session: Session, username: str, code: str = "zjj", *, active: bool = True,
              password_hash: str = "x") -> User:
    """Another handler of unit `code` (the demo city has one user per unit)."""
    from models import Role  # noqa: PLC0415  (only the handler tests need it)

    row = User(username=username, display_name=f"{username}办理人", password_hash=password_hash,
               role=Role.DEPARTMENT, department_id=department(session, code).id, active=active)
    session.add(row)
    session.flush()
    return row
