"""How the model does on the city's own calls: what the admin's model page shows (and GET /api/v1/models).

A ticket the model routed counts as right for its predicted category only if no unit returned it and no
dispatcher moved it: its final category and unit are the predicted ones and its return count is 0. Every
figure comes from one grouped query per model version over the window's tickets, so the work is bounded by
the number of categories, not of tickets.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from models import Category, EventAction, RetrainDecision, Ticket, TicketEvent

from .model_store import describe_version
from .notes import NOTES, Note
from .routing import available_versions

WINDOW_DAYS = 30
TOP_CONFUSIONS = 5
DECISIONS_SHOWN = 10


def _groups(session: Session, version: str, since: datetime) -> list[Any]:
    """(predicted, final, misrouted, auto, tickets, returns) for the version's tickets created since `since`."""
    misrouted = case((or_(Ticket.return_count > 0, Category.name != Ticket.predicted_category,
                          Ticket.department_id != Ticket.predicted_department_id,
                          Ticket.predicted_department_id.is_(None)), 1), else_=0)
    routed = exists().where(and_(TicketEvent.ticket_id == Ticket.id, TicketEvent.action == EventAction.ROUTED))
    auto = case((routed, 1), else_=0)
    return session.execute(
        select(Ticket.predicted_category, Category.name, misrouted.label("misrouted"), auto.label("auto"),
               func.count().label("tickets"), func.coalesce(func.sum(Ticket.return_count), 0).label("returns"))
        .outerjoin(Category, Category.id == Ticket.category_id)
        .where(Ticket.model_version == version, Ticket.created_at >= since, Ticket.predicted_category.is_not(None))
        .group_by(Ticket.predicted_category, Category.name, misrouted, auto)
    ).all()


def version_quality(session: Session, version: str, now: datetime, days: int = WINDOW_DAYS) -> dict[str, Any]:
    """Per-category precision and recall, auto-dispatch share and costliest confusions of one version."""
    rows = _groups(session, version, now - timedelta(days=days))
    total = sum(r.tickets for r in rows)
    predicted, final, right = defaultdict(int), defaultdict(int), defaultdict(int)
    confusions: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        if r.name is None:  # not dispatched yet: no outcome to judge
            continue
        predicted[r.predicted_category] += r.tickets
        final[r.name] += r.tickets
        if not r.misrouted:
            right[r.name] += r.tickets
        elif r.predicted_category != r.name:
            confusions[(r.predicted_category, r.name)][0] += r.tickets
            confusions[(r.predicted_category, r.name)][1] += r.returns
    categories = [{
        "category": c,
        "predicted": predicted[c], "actual": final[c], "right": right[c],
        "precision": right[c] / predicted[c] if predicted[c] else None,
        "recall": right[c] / final[c] if final[c] else None,
    } for c in sorted(set(predicted) | set(final))]
    costly = sorted(confusions.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))[:TOP_CONFUSIONS]
    judged = sum(predicted.values())
    return {
        "version": version, "days": days, "tickets": total, "judged": judged,
        "auto_share": sum(r.tickets for r in rows if r.auto) / total if total else None,
        "misroute_rate": 1 - sum(right.values()) / judged if judged else None,
        "categories": categories,
        "confusions": [{"predicted": p, "actual": a, "tickets": n, "returns": ret} for (p, a), (n, ret) in costly],
    }


def predecessor(session: Session, root: Path, active: str | None) -> str | None:
    """The version in service before `active`: the champion it replaced, else the previous version on disk."""
    if active is None:
        return None
    replaced = session.scalar(select(RetrainDecision.champion_version)
                              .where(RetrainDecision.challenger_version == active,
                                     RetrainDecision.outcome == "promoted")
                              .order_by(RetrainDecision.decided_at.desc()).limit(1))
    if replaced:
        return replaced
    older = [v for v in available_versions(root) if v < active]
    return older[-1] if older else None


def decisions(session: Session, limit: int = DECISIONS_SHOWN) -> list[dict[str, Any]]:
    """The latest retrain decisions, newest first, with both models' scores."""
    rows = session.scalars(select(RetrainDecision).order_by(RetrainDecision.decided_at.desc(),
                                                            RetrainDecision.id.desc()).limit(limit))
    shown = []
    for d in rows:
        scores = d.scores or {}
        kept = scores.get("note") or {"code": d.reason, "params": {}}
        text = Note(kept["code"], kept.get("params") or {}).text if kept["code"] in NOTES else d.reason
        shown.append({
            "decided_at": d.decided_at.isoformat(), "outcome": d.outcome.value, "reason": d.reason,
            "note": kept, "note_text": text,
            "champion": d.champion_version, "challenger": d.challenger_version, "holdout": d.holdout,
            "history": d.history, "champion_scores": scores.get("champion"),
            "challenger_scores": scores.get("challenger"), "criteria": scores.get("criteria") or [],
        })
    return shown


def overview(session: Session, root: Path, active: str | None, now: datetime) -> dict[str, Any]:
    """Everything the model page shows: versions, the active and previous model on real outcomes, decisions."""
    before = predecessor(session, root, active)
    return {
        "active": active,
        "models": [describe_version(root / v, active) for v in reversed(available_versions(root))],
        "quality": [version_quality(session, v, now) for v in (active, before) if v],
        "decisions": decisions(session),
    }
