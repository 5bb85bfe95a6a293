"""Running a list query one page at a time in the database (LIMIT/OFFSET and a COUNT), never the whole list."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select


@dataclass
class Rows:
    """One page of a query's rows, and how many rows there are in all (up to the cap, if one was given)."""

    items: list[Any]
    page: int
    per_page: int
    total: int
    capped: bool = False  # there are more than `total` rows


def page_of(session: Session, query: Select, page: int, per_page: int, *, cap: int | None = None,
            scalars: bool = True) -> Rows:
    """Page `page` (from 1) of `query`; with `cap`, counting stops after cap rows (a capped COUNT stays fast)."""
    counted = query.order_by(None)
    if cap is not None:
        counted = counted.limit(cap + 1)
    total = session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    rows = query.offset((page - 1) * per_page).limit(per_page)
    items = list(session.scalars(rows)) if scalars else list(session.execute(rows))
    if cap is not None and total > cap:
        return Rows(items, page, per_page, cap, capped=True)
    return Rows(items, page, per_page, total)
