"""knowledge base (知识库): question, answer, handling unit, source; an entry left out is deactivated."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import KBEntry

from ..knowledge import exchanged_reason
from .plan import KindReport, Plan, diff, first_seen
from .sheets import Column

NAMES = ("knowledge", "知识库")
COLUMNS = (
    Column("question", "问题", required=True),
    Column("answer", "答案", required=True),
    Column("unit", "承办单位", required=True, max_length=100),  # a name as citizens know it; may be outside the city
    Column("source", "来源", max_length=64),
)


def check(session: Session, plan: Plan) -> None:
    """Validate: one entry per question, and no question that reads like an answer."""
    rows = first_seen(plan, plan.rows["knowledge"], lambda r: r["question"], "question", "question")
    for row in rows:
        if row["question"] and row["answer"] and (reason := exchanged_reason(row["question"], row["answer"])):
            plan.problem(row, "question", reason)
    plan.records["knowledge"] = {r["question"]: {"answer": r["answer"], "department": r["unit"],
                                                 "source": r["source"], "active": True} for r in rows}


def from_database(session: Session, plan: Plan) -> None:
    """Nothing else refers to knowledge-base entries."""


def apply(session: Session, plan: Plan, report: KindReport, now: datetime) -> None:
    """Add and change entries by question; deactivate the active ones the file left out."""
    records = plan.records["knowledge"]
    existing: dict[str, KBEntry] = {}
    for entry in session.scalars(select(KBEntry).order_by(KBEntry.id)):
        existing.setdefault(entry.question, entry)
    kept: set[int] = set()  # the entries the file describes, by object identity (new ones have no id yet)
    for question, wanted in records.items():
        label = question if len(question) <= 20 else question[:20] + "…"
        entry = existing.get(question)
        if entry is None:
            entry = KBEntry(question=question, updated_at=now, **wanted)
            session.add(entry)
            kept.add(id(entry))
            report.added.append(label)
            continue
        kept.add(id(entry))
        old = {"answer": entry.answer, "department": entry.department, "source": entry.source,
               "active": entry.active}
        changes = [c if not c.startswith("answer:") else "answer changed" for c in diff(old, wanted)]
        if changes:
            report.changed.append(f"{label}: " + "; ".join(changes))
            entry.answer, entry.department, entry.source = wanted["answer"], wanted["department"], wanted["source"]
            entry.active, entry.updated_at = True, now
        else:
            report.unchanged += 1
    for entry in session.scalars(select(KBEntry).where(KBEntry.active.is_(True))):
        if id(entry) not in kept:
            entry.active, entry.updated_at = False, now
            report.retired.append(entry.question[:20])
    session.flush()


def export(session: Session) -> list[list[str]]:
    """The active entries."""
    return [[e.question, e.answer, e.department, e.source] for e in
            session.scalars(select(KBEntry).where(KBEntry.active.is_(True)).order_by(KBEntry.id))]
