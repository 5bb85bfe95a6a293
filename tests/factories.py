"""Build rows directly (flush, never commit), for tests that set up history rather than walk the API."""
from __future__ import annotations

import csv
import itertools
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AppealType, Department, Ticket, TicketStatus

_numbers = itertools.count(1)


def department(session: Session, code: str) -> Department:
    """A demo department by code."""
    return session.scalar(select(Department).where(Department.code == code))


def make_ticket(session: Session, created_at: datetime, **fields) -> Ticket:
    """A ticket with sensible defaults; any column can be given."""
    values = dict(
        number=f"T{next(_numbers):012d}", status=TicketStatus.PENDING_DISPATCH, appeal_type=AppealType.COMPLAINT,
        caller_phone="13800000000", content="测试工单内容", created_at=created_at,
    )
    values.update(fields)
    ticket = Ticket(**values)
    session.add(ticket)
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
