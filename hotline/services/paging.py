"""Running a list query one page at a time in the database, never the whole list.

Two ways: LIMIT/OFFSET with a COUNT (pages by number), and keyset paging for newest-first lists (the
page after a given row: an index range however deep, where an OFFSET reads every row it skips).
Counts stop at a cap: counting 5 M rows to print "5,012,345" costs seconds; "10,000+" costs milliseconds.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

# Counting stops here: "10000+ rows" is all a person needs, and a capped COUNT stays fast at millions of rows.
COUNT_CAP = 10_000


@dataclass
class Rows:
    """One page of a query's rows, and how many rows there are in all (up to the cap, if one was given)."""

    items: list[Any]
    page: int
    per_page: int
    total: int
    capped: bool = False  # there are more than `total` rows


def capped_count(session: Session, query: Select, cap: int | None) -> tuple[int, bool]:
    """How many rows `query` has, counting no further than `cap` + 1; and whether there are more than `cap`."""
    counted = query.order_by(None)
    if cap is not None:
        counted = counted.limit(cap + 1)
    total = session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    if cap is not None and total > cap:
        return cap, True
    return total, False


def page_of(session: Session, query: Select, page: int, per_page: int, *, cap: int | None = None,
            scalars: bool = True, few_order: Sequence[Any] | None = None) -> Rows:
    """Page `page` (from 1) of `query`; with `cap`, counting stops after cap rows (a capped COUNT stays fast).

    `few_order` is the same order spelled so that no index can serve it: used when the count (which is
    taken first) says the rows are at most `cap`. Walking an index in the list's order only pays when
    matches are plentiful; for a few, or none, it may read the whole table, while sorting them is cheap.
    """
    total, capped = capped_count(session, query, cap)
    if few_order is not None and cap is not None and not capped:
        query = query.order_by(None).order_by(*few_order)
    rows = query.offset((page - 1) * per_page).limit(per_page)
    items = list(session.scalars(rows)) if scalars else list(session.execute(rows))
    return Rows(items, page, per_page, total, capped)


def newest_after(created_at: ColumnElement, row_id: ColumnElement, after: tuple[datetime, int]) -> ColumnElement[bool]:
    """The rows after `after` = (created_at, id) in a newest-first order (created_at DESC, id DESC).

    Written as OR/AND rather than a row comparison so that both databases read it as a range of the
    (…, created_at) index.
    """
    moment, last_id = after
    return or_(created_at < moment, and_(created_at == moment, row_id < last_id))
