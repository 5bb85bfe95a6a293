"""One winner per action: a compare-and-set on a row's version before the transaction changes it.

Two requests acting on the same ticket at the same moment both read it in the same state; without
this, both pass the status check and both write (two signatures, a ticket closed and reopened). Each
action first bumps the row's version with ``UPDATE … WHERE id = :id AND version = :read``: on
PostgreSQL the loser waits on the winner's row lock and then matches no row; on SQLite writers are
serialised and the loser likewise matches none. Either way the loser learns it lost before it has
written anything, and its transaction is still usable to say what the row has become.

A row claimed once is held until the transaction ends, so later claims of it in the same transaction
are free; rows created in this transaction are nobody else's and need no claim.
"""
from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.orm.attributes import set_committed_value

_HELD = "hotline.claimed"
MAX_RETRIES = 20


def _held(session: Session) -> weakref.WeakSet:
    """The rows this session's transaction has claimed (or created)."""
    return session.info.setdefault(_HELD, weakref.WeakSet())


def hold_new(session: Session, row: Any) -> None:
    """Mark a row created in this transaction as held: no one else can see it yet."""
    _held(session).add(row)


def try_claim(session: Session, row: Any) -> bool:
    """Bump the row's version if nobody changed it since it was read; False (row refreshed) if someone did."""
    held = _held(session)
    state = inspect(row)
    if row in held or not state.persistent:
        return True
    model = type(row)
    read = row.version
    result = session.execute(
        update(model).where(model.id == row.id, model.version == read).values(version=read + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(row)  # what the winner made of it, for the caller's answer
        return False
    set_committed_value(row, "version", read + 1)
    held.add(row)
    return True


def bump(session: Session, model: type, row_id: int, **values: Any) -> Any:
    """Apply a change that commutes with others' (a counter) and claim the row, in one UPDATE … RETURNING.

    Nothing is read first, so nothing can be stale: the row comes back as it now is, held by this transaction.
    """
    row = session.scalars(
        update(model).where(model.id == row_id).values(version=model.version + 1, **values).returning(model),
        execution_options={"populate_existing": True, "synchronize_session": False},
    ).one()
    _held(session).add(row)
    return row


def lock(session: Session, row: Any) -> None:
    """Hold the row for a change that commutes with others' (a repeat counter): re-read and retry on a race."""
    for _ in range(MAX_RETRIES):
        if try_claim(session, row):
            return
    raise RuntimeError(f"could not lock {type(row).__name__} {row.id} after {MAX_RETRIES} tries")


@event.listens_for(Session, "after_transaction_end")
def _release(session: Session, transaction: SessionTransaction) -> None:
    """Claims last as long as the outermost transaction that made them."""
    if transaction.parent is None:
        session.info.pop(_HELD, None)
