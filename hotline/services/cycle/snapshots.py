"""Published reports: frozen JSON snapshots, numbered revisions, never updated in place."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import ReportKind, ReportSnapshot, User

from ..errors import NotFound


def publish(
    session: Session, kind: ReportKind, period: str, data: dict[str, Any], as_of: datetime,
    actor: User | None, now: datetime, note: str = "",
) -> ReportSnapshot:
    """Freeze ``data`` as the next revision of the period's report (1 for the first)."""
    last = session.scalar(
        select(func.max(ReportSnapshot.revision)).where(ReportSnapshot.kind == kind, ReportSnapshot.period == period)
    )
    # Two publishers racing for the same revision collide on the unique constraint; one of them is refused.
    snapshot = ReportSnapshot(
        kind=kind, period=period, revision=(last or 0) + 1, as_of=as_of, published_at=now,
        published_by_id=actor.id if actor else None, note=note, data=data,
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def revisions(session: Session, kind: ReportKind, period: str) -> list[ReportSnapshot]:
    """Every published revision of the period's report, oldest first."""
    return list(session.scalars(
        select(ReportSnapshot).where(ReportSnapshot.kind == kind, ReportSnapshot.period == period)
        .order_by(ReportSnapshot.revision)
    ))


def find(session: Session, kind: ReportKind, period: str, revision: int | None = None) -> ReportSnapshot | None:
    """The given revision (404 if it does not exist), or the latest one (None if nothing was published)."""
    query = select(ReportSnapshot).where(ReportSnapshot.kind == kind, ReportSnapshot.period == period)
    if revision is None:
        return session.scalar(query.order_by(ReportSnapshot.revision.desc()).limit(1))
    snapshot = session.scalar(query.where(ReportSnapshot.revision == revision))
    if snapshot is None:
        raise NotFound("revision_not_found", field="revision", kind=kind.value, period=period, revision=revision)
    return snapshot


def publication(snapshot: ReportSnapshot, tz) -> dict[str, Any]:
    """Who published which revision when, for the report's header."""
    return {
        "revision": snapshot.revision,
        "published_at": snapshot.published_at.astimezone(tz).isoformat(),
        "published_by": snapshot.published_by.username if snapshot.published_by else None,
        "note": snapshot.note,
    }
