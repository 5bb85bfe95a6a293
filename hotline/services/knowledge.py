"""The knowledge base (知识库): seeded from the bundled Q&A, edited by admins, searched on the call (即来即办)."""
from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from classifier import KnowledgeBase
from models import KBEntry, User

from .errors import InvalidInput, NotFound


def seed_knowledge(session: Session, csv_path: Path) -> int:
    """Import the bundled questions and answers once (nothing happens if the base has entries)."""
    if session.scalar(select(func.count()).select_from(KBEntry)):
        return 0
    with open(csv_path, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("text", "").strip() and r.get("answer", "").strip()]
    session.add_all(
        KBEntry(question=r["text"].strip(), answer=r["answer"].strip(), department=r["label"].strip(), source=r["id"])
        for r in rows
    )
    session.flush()
    return len(rows)


@dataclass(frozen=True)
class KBResult:
    """One search hit as the operator sees it."""

    entry: KBEntry
    score: float


class KnowledgeIndex:
    """A BM25 index over the active entries, rebuilt when any host has changed the base."""

    def __init__(self) -> None:
        self._index: KnowledgeBase | None = None
        self._stamp: tuple | None = None
        self._lock = threading.Lock()

    def _current_stamp(self, session: Session) -> tuple:
        """Changes anywhere (any host) show up as a new count or a newer updated_at."""
        return tuple(session.execute(
            select(func.count(KBEntry.id), func.max(KBEntry.updated_at), func.max(KBEntry.id))
            .where(KBEntry.active.is_(True))
        ).one())

    def _ensure(self, session: Session) -> KnowledgeBase:
        """The index for the base as it is now."""
        stamp = self._current_stamp(session)
        with self._lock:
            if self._index is None or stamp != self._stamp:
                rows = session.execute(
                    select(KBEntry.id, KBEntry.question, KBEntry.answer, KBEntry.department)
                    .where(KBEntry.active.is_(True)).order_by(KBEntry.id)
                ).all()
                self._index, self._stamp = KnowledgeBase([tuple(r) for r in rows]), stamp
            return self._index

    def search(self, session: Session, query: str, limit: int = 5) -> list[KBResult]:
        """Entries best answering `query`, best first; an empty query finds nothing."""
        if not query.strip():
            return []
        hits = self._ensure(session).search(query, limit=limit)
        entries = {e.id: e for e in session.scalars(select(KBEntry).where(KBEntry.id.in_([int(h.id) for h in hits])))}
        return [KBResult(entries[int(h.id)], h.score) for h in hits if int(h.id) in entries]


def save_entry(session: Session, actor: User, now: datetime, *, question: str, answer: str, department: str,
               entry_id: int | None = None, active: bool = True) -> KBEntry:
    """Add an entry, or change one (entry_id); the index picks the change up on its next search."""
    for field, value in (("question", question), ("answer", answer), ("department", department)):
        if not value.strip():
            raise InvalidInput("required", field=field, name=field)
    if entry_id is None:
        entry = KBEntry(source="admin")
        session.add(entry)
    else:
        entry = session.get(KBEntry, entry_id)
        if entry is None:
            raise NotFound("record_not_found", field="id", kind="kb_entry", id=entry_id)
    entry.question, entry.answer, entry.department, entry.active = question.strip(), answer.strip(), department.strip(), active
    entry.updated_at, entry.updated_by_id = now, actor.id
    session.flush()
    return entry
