"""Learning from the hotline's own history: train a challenger, compare on recent tickets, promote if no worse."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from classifier import Router, load_labelled_csv, train
from models import Category, Ticket, TicketStatus

from .errors import DomainError
from .model_store import MIN_CLASS_COUNT

HISTORY_WEIGHT = 3  # the city's own, corrected labels count more than the generic bundled data
MIN_HISTORY = 30


@dataclass
class RetrainReport:
    """What retraining did and measured."""

    challenger: str
    champion: str | None
    holdout: int
    history_used: int
    champion_accuracy: float | None
    challenger_accuracy: float
    promoted: bool
    notes: list[str] = field(default_factory=list)


def history_examples(session: Session) -> list[tuple[str, str]]:
    """(text, final category) of closed tickets a unit handled, oldest first.

    The final category reflects every return and reassignment, so it is the corrected label.
    """
    rows = session.execute(
        select(Ticket.content, Category.name)
        .join(Category, Category.id == Ticket.category_id)
        .where(Ticket.status == TicketStatus.CLOSED, Ticket.resolved_on_call.is_(False))
        .order_by(Ticket.closed_at, Ticket.id)
    ).all()
    return [(content, label) for content, label in rows]


def accuracy(router: Router | None, texts: list[str], labels: list[str]) -> float | None:
    """Share of texts whose top prediction is the label (None without a model)."""
    if router is None or not texts:
        return None
    predictions = router.predict_many(texts, k=1)
    return sum(bool(p) and p[0].label == y for p, y in zip(predictions, labels, strict=True)) / len(texts)


def retrain(session: Session, champion: Router | None, bundled_csv: Path, model_dir: Path, *,
            holdout_share: float = 0.2, progress: bool = False) -> RetrainReport:
    """Train on bundled data + history (minus the newest tickets), then compare both models on those newest."""
    history = history_examples(session)
    if len(history) < MIN_HISTORY:
        raise DomainError("not_enough_history", count=len(history), minimum=MIN_HISTORY)
    n_hold = max(1, int(len(history) * holdout_share))
    learn, hold = history[:-n_hold], history[-n_hold:]
    texts, labels = load_labelled_csv(bundled_csv)
    counts = Counter(labels)
    bundled = [(t, y) for t, y in zip(texts, labels, strict=True) if counts[y] >= MIN_CLASS_COUNT]
    examples = bundled + learn * HISTORY_WEIGHT
    model = train([t for t, _ in examples], [y for _, y in examples], progress=progress)
    model.metadata["source"] = "retrain"
    model.metadata["history_rows"] = len(learn)
    challenger = model.router()
    hold_texts, hold_labels = [t for t, _ in hold], [y for _, y in hold]
    champion_accuracy = accuracy(champion, hold_texts, hold_labels)
    challenger_accuracy = accuracy(challenger, hold_texts, hold_labels) or 0.0
    promoted = champion_accuracy is None or challenger_accuracy >= champion_accuracy
    model.metadata["holdout"] = {"tickets": n_hold, "champion": champion.version if champion else None,
                                 "champion_accuracy": champion_accuracy, "challenger_accuracy": challenger_accuracy,
                                 "promoted": promoted}
    version = model.metadata["version"]
    model.save(model_dir / version)
    return RetrainReport(challenger=version, champion=champion.version if champion else None, holdout=n_hold,
                         history_used=len(learn), champion_accuracy=champion_accuracy,
                         challenger_accuracy=challenger_accuracy, promoted=promoted)
