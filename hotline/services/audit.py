"""The audit trail of admin changes: one row per changed row (who, when, what, before, after).

Recorded at flush time for the reference data an admin keeps (units, users, categories, routing rules,
holidays, the knowledge base, settings such as the time limits and the active model), so every path that
changes them (pages, API, CLI, a future one) is audited without each remembering to.
"""
from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from models import (
    AuditEntry,
    CalendarOverride,
    Category,
    Department,
    KBEntry,
    RoutingRule,
    Setting,
    User,
    utcnow,
)

AUDITED = (Department, User, Category, RoutingRule, CalendarOverride, KBEntry, Setting)
HIDDEN = {"password_hash": "(changed)"}  # the fact of a change, never the hash
IGNORED = {"session_generation"}  # a logout is not an admin change
ENTITIES = tuple(model.__tablename__ for model in AUDITED)


def set_actor(session: Session, user_id: int | None, username: str) -> None:
    """Name who makes this session's changes (the logged-in user; none for the CLI and jobs)."""
    session.info["audit_actor"] = (user_id, username)


def set_clock(session: Session, now: Callable[[], datetime]) -> None:
    """The clock the audit rows are stamped with (the app's, which tests pin)."""
    session.info["audit_clock"] = now


def _plain(value: Any) -> Any:
    """A column value as JSON can hold it."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _columns(obj: Any) -> list[str]:
    """The audited column attributes of a row."""
    return [attr.key for attr in inspect(obj).mapper.column_attrs if attr.key not in IGNORED]


def _snapshot(obj: Any) -> dict[str, Any]:
    """Every audited column of a row."""
    return {key: HIDDEN.get(key, _plain(getattr(obj, key))) for key in _columns(obj)}


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after) of the columns this flush changes."""
    state, before, after = inspect(obj), {}, {}
    for key in _columns(obj):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        before[key] = HIDDEN.get(key, _plain(old))
        after[key] = HIDDEN.get(key, _plain(new))
    return before, after


def _identity(obj: Any) -> str:
    """The row's primary key as text (a setting's key, a holiday's day, an id)."""
    return "/".join(str(_plain(part)) for part in inspect(obj).mapper.primary_key_from_instance(obj))


def _record(session: Session, _flush_context: Any) -> None:
    """Write the audit rows of this flush, in the same transaction (a rolled-back change leaves no row)."""
    rows: list[dict[str, Any]] = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if not isinstance(obj, AUDITED):
                continue
            if action == "create":
                before, after = None, _snapshot(obj)
            elif action == "delete":
                before, after = _snapshot(obj), None
            else:
                before, after = _changes(obj)
                if not after:
                    continue
            rows.append({"action": action, "entity": obj.__tablename__, "entity_id": _identity(obj),
                         "before": before, "after": after})
    if not rows:
        return
    actor_id, actor_name = session.info.get("audit_actor", (None, ""))
    at = session.info.get("audit_clock", utcnow)()
    session.execute(insert(AuditEntry), [{**row, "at": at, "actor_id": actor_id, "actor_name": actor_name}
                                         for row in rows])


def install(factory: sessionmaker) -> None:
    """Audit every session this factory makes."""
    event.listen(factory, "after_flush", _record)


def entries(session: Session, *, entity: str | None = None, actor: str | None = None,
            entity_id: str | None = None):
    """The audit rows, newest first, filtered by table, actor's username and row id (a query to page)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if actor:
        query = query.where(AuditEntry.actor_name == actor)
    if entity_id:
        query = query.where(AuditEntry.entity_id == entity_id)
    return query
