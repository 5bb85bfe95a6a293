"""The knowledge base (知识库): seeded from the bundled Q&A, edited by admins, searched on the call (即来即办)."""
from __future__ import annotations

import csv
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import classifier
from models import KBEntry, User

from .errors import InvalidInput, NotFound


# The bundled entries are Beijing's official answers (MSGABench): their source says so wherever they are shown.
BUNDLED_SOURCE = "MSGABench·北京"
BUNDLED_KB = Path(__file__).resolve().parents[2] / "data" / "msga_dept.csv"
QUESTION_MARKS = ("?", "？")


def exchanged_reason(question: str, answer: str) -> str | None:
    """Why a question reads like an answer (its cells exchanged), or None when it reads like a question."""
    question, answer = question.strip(), answer.strip()
    if any(mark in question for mark in QUESTION_MARKS):
        return None
    if answer.endswith(QUESTION_MARKS) and len(answer) < len(question):
        return ("the question reads like an answer: it has no question mark, and the shorter answer ends with one "
                "(question and answer exchanged?)")
    if len(question) > 4 * len(answer):
        return (f"the question reads like an answer: no question mark, and {len(question)} characters against the "
                f"answer's {len(answer)} (question and answer exchanged?)")
    return None


def bundled_count(session: Session) -> int:
    """How many active entries are the bundled Beijing ones (the pages say so until a city replaces them)."""
    return session.scalar(select(func.count()).select_from(KBEntry)
                          .where(KBEntry.active.is_(True), KBEntry.source.startswith(BUNDLED_SOURCE))) or 0


@dataclass(frozen=True)
class KnowledgeSeed:
    """What seeding the bundled base did: entries added, and rows refused with why."""

    added: int
    refused: list[str]


def seed_knowledge(session: Session, csv_path: Path) -> KnowledgeSeed:
    """Import the bundled questions and answers once (nothing happens if the base has entries).

    A row whose question reads like an answer is refused, and named in ``refused``; the others load.
    """
    if session.scalar(select(func.count()).select_from(KBEntry)):
        return KnowledgeSeed(0, [])
    entries, refused = [], []
    with open(csv_path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            question, answer = row.get("text", "").strip(), row.get("answer", "").strip()
            if not question or not answer:
                continue
            if reason := exchanged_reason(question, answer):
                refused.append(f"{csv_path.name}, row {line} ({row['id']}), column text: {reason}")
                continue
            entries.append(KBEntry(question=question, answer=answer, department=row["label"].strip(),
                                   source=f"{BUNDLED_SOURCE} {row['id']}"))
    session.add_all(entries)
    session.flush()
    return KnowledgeSeed(len(entries), refused)


QUERY_MAX_CHARS = 500


@dataclass(frozen=True)
class KBResult:
    """One search hit as the operator sees it."""

    entry: KBEntry
    score: float


class KnowledgeIndex:
    """A BM25 index over the active entries, rebuilt when any host has changed the base.

    The first index is built before it is used (at start-up under gunicorn --preload, so each forked worker
    starts with it). A later change is picked up in the background: searches go on with the index they have
    until the new one is ready, so no call waits for a rebuild.
    """

    def __init__(self, session_factory: Callable[[], Session] | None = None) -> None:
        self._index: classifier.KnowledgeBase | None = None
        self._stamp: tuple | None = None
        self._lock = threading.Lock()
        self._building: threading.Thread | None = None
        self.session_factory = session_factory  # for the background rebuild; without one, rebuilds are inline

    def _current_stamp(self, session: Session) -> tuple:
        """Changes anywhere (any host) show up as a new count or a newer updated_at."""
        return tuple(session.execute(
            select(func.count(KBEntry.id), func.max(KBEntry.updated_at), func.max(KBEntry.id))
            .where(KBEntry.active.is_(True))
        ).one())

    def _build(self, session: Session, stamp: tuple) -> None:
        """Index the active entries as they are at `stamp`."""
        rows = session.execute(
            select(KBEntry.id, KBEntry.question, KBEntry.answer, KBEntry.department)
            .where(KBEntry.active.is_(True)).order_by(KBEntry.id)
        ).all()
        index = classifier.KnowledgeBase([tuple(r) for r in rows])
        with self._lock:
            self._index, self._stamp = index, stamp

    def _build_in_background(self) -> None:
        """Rebuild from a session of its own, once at a time."""
        def work() -> None:
            with self.session_factory() as session:
                self._build(session, self._current_stamp(session))

        with self._lock:
            if self._building is not None and self._building.is_alive():
                return
            self._building = threading.Thread(target=work, name="kb-index", daemon=True)
            self._building.start()

    def warm(self, session: Session) -> None:
        """Build the index now (start-up)."""
        self._build(session, self._current_stamp(session))

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background rebuild to finish (tests, and a graceful shutdown)."""
        building = self._building
        if building is not None:
            building.join(timeout)

    def _ensure(self, session: Session) -> classifier.KnowledgeBase:
        """The index for the base as it is now, or the previous one while its successor is being built."""
        stamp = self._current_stamp(session)
        if self._index is None:
            with self._lock:
                first = self._index is None
            if first:
                self._build(session, stamp)
        elif stamp != self._stamp:
            if self.session_factory is None:
                self._build(session, stamp)
            else:
                self._build_in_background()
        return self._index

    def search(self, session: Session, query: str, limit: int = 5, min_score: float = 0.0) -> list[KBResult]:
        """Entries best answering `query` (its first QUERY_MAX_CHARS), best first; an empty query finds nothing.

        Hits scoring below `min_score` (the KB_MIN_SCORE setting) are left out: below it the suggested
        answer's unit is wrong more often than right, and a wrong answer read out on the call does harm.
        """
        if not query.strip():
            return []
        # The work grows with the query's words: a whole call's opening says what it is about, a crafted
        # query of thousands of characters would only cost time.
        hits = [h for h in self._ensure(session).search(query[:QUERY_MAX_CHARS], limit=limit) if h.score >= min_score]
        # Read from the table, so an entry switched off (or edited) shows so at once, even while the index is rebuilt.
        entries = {e.id: e for e in session.scalars(select(KBEntry).where(KBEntry.id.in_([int(h.id) for h in hits]),
                                                                          KBEntry.active.is_(True)))}
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
