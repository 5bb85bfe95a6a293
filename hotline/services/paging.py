"""Running a list query one page at a time in the database (LIMIT/OFFSET and a COUNT), never the whole list."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
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


def page_of(session: Session, query: Select, page: int, per_page: int, *, cap: int | None = None,
            scalars: bool = True, few_order: Sequence[Any] | None = None) -> Rows:
    """Page `page` (from 1) of `query`; with `cap`, counting stops after cap rows (a capped COUNT stays fast).

    `few_order` is the same order spelled so that no index can serve it: used when the count (which is
    taken first) says the rows are at most `cap`. Walking an index in the list's order only pays when
    matches are plentiful; for a few, or none, it may read the whole table, while sorting them is cheap.
    """
    counted = query.order_by(None)
    if cap is not None:
        counted = counted.limit(cap + 1)
    total = session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    if few_order is not None and cap is not None and total <= cap:
        query = query.order_by(None).order_by(*few_order)
    rows = query.offset((page - 1) * per_page).limit(per_page)
    items = list(session.scalars(rows)) if scalars else list(session.execute(rows))
    if cap is not None and total > cap:
        return Rows(items, page, per_page, cap, capped=True)
    return Rows(items, page, per_page, total)
