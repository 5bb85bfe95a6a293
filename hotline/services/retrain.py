"""Learning from the city's own history: train a challenger, judge it on recent tickets, record the decision.

The label of a closed ticket is its final category: every return and reassignment has already corrected it.
The corrections themselves are evidence too: a category a unit returned the ticket from, or a dispatcher
reassigned it away from, was wrong for that text, so such a ticket is exactly where the old model erred and it
weighs ``correction_weight`` times as much. A return whose category is also the final one was about the unit
(a district's rule), not the category, and teaches nothing about the text. Recent tickets weigh more: a
ticket's weight halves every ``half_life_days``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import classifier
from models import Category, EventAction, RetrainDecision, RetrainOutcome, Ticket, TicketEvent, TicketStatus

from .learning_rules import LearningRules
from .model_store import MIN_CLASS_COUNT
from .notes import Note, note
from .promotion import judge

MIN_HISTORY = 30  # fewer closed tickets than this say nothing a bundled model does not know
_EVENT_CHUNK = 500  # ticket ids per events query, so no IN list grows with the history
_DISPATCHES = (EventAction.ROUTED, EventAction.ASSIGNED)


@dataclass(frozen=True)
class Example:
    """One closed ticket as training data."""

    text: str
    label: str  # the final category
    closed_at: datetime
    wrong: frozenset[str] = frozenset()  # categories the city's corrections ruled out for this text

    @property
    def corrected(self) -> bool:
        """Whether a return or reassignment moved the ticket away from a wrong category."""
        return bool(self.wrong)

    def weight(self, now: datetime, rules: LearningRules) -> float:
        """The example's sample weight against a bundled row's 1: recent and corrected tickets weigh more."""
        age_days = max(0.0, (now - self.closed_at).total_seconds() / 86400)
        recency = 0.5 ** (age_days / rules.half_life_days)
        return rules.history_weight * recency * (rules.correction_weight if self.corrected else 1.0)


@dataclass
class RetrainReport:
    """What retraining did and measured (the decision row holds the same)."""

    outcome: str
    challenger: str | None
    champion: str | None
    holdout: int
    history_used: int
    corrected: int
    champion_accuracy: float | None
    challenger_accuracy: float | None
    promoted: bool
    reason: str
    note: str
    decision_id: int | None = None
    criteria: list[dict[str, Any]] = field(default_factory=list)


def ruled_out(events: list[tuple[EventAction, dict | None]], final: str) -> frozenset[str]:
    """The categories a ticket's returns and reassignments showed to be wrong, given its final category."""
    wrong: set[str] = set()
    current: str | None = None
    for action, data in events:
        category = (data or {}).get("category")
        if action in _DISPATCHES:
            if current and category and category != current:
                wrong.add(current)  # a dispatcher moved it to another category: a correction
            current = category or current
        elif action == EventAction.RETURNED and current:
            wrong.add(current)  # the unit sent it back: wrong for this text unless the final category says so
    return frozenset(wrong - {final})


def history_examples(session: Session, now: datetime, rules: LearningRules) -> list[Example]:
    """The closed tickets a unit handled within ``history_days``, oldest first, with what corrected them."""
    rows = session.execute(
        select(Ticket.id, Ticket.title, Ticket.content, Category.name, Ticket.closed_at)
        .join(Category, Category.id == Ticket.category_id)
        .where(Ticket.status == TicketStatus.CLOSED, Ticket.resolved_on_call.is_(False),
               Ticket.closed_at >= now - timedelta(days=rules.history_days))
        .order_by(Ticket.closed_at, Ticket.id)
    ).all()
    events: dict[int, list[tuple[EventAction, dict | None]]] = {}
    ids = [row.id for row in rows]
    for start in range(0, len(ids), _EVENT_CHUNK):
        chunk = ids[start:start + _EVENT_CHUNK]
        for ticket_id, action, data in session.execute(
            select(TicketEvent.ticket_id, TicketEvent.action, TicketEvent.data)
            .where(TicketEvent.ticket_id.in_(chunk), TicketEvent.action.in_([*_DISPATCHES, EventAction.RETURNED]))
            .order_by(TicketEvent.ticket_id, TicketEvent.id)
        ):
            events.setdefault(ticket_id, []).append((action, data))
    return [Example(f"{row.title}\n{row.content}" if row.title else row.content, row.name, row.closed_at,
                    ruled_out(events.get(row.id, []), row.name)) for row in rows]


def _bundled(session: Session, bundled_csv: Path) -> list[tuple[str, str]]:
    """The bundled rows whose label is in the city's catalogue (all of them while the catalogue is empty)."""
    texts, labels = classifier.load_labelled_csv(bundled_csv)
    counts = Counter(labels)
    catalogue = set(session.scalars(select(Category.name).where(Category.active.is_(True))))
    return [(t, y) for t, y in zip(texts, labels, strict=True)
            if counts[y] >= MIN_CLASS_COUNT and (not catalogue or y in catalogue)]


def _record(session: Session, now: datetime, outcome: RetrainOutcome, why: Note, *, champion: str | None,
            challenger: str | None = None, holdout: int = 0, history: int = 0,
            scores: dict[str, Any] | None = None) -> RetrainDecision:
    """Store the decision (flushed, not committed)."""
    decision = RetrainDecision(decided_at=now, outcome=outcome, reason=why.code, champion_version=champion,
                               challenger_version=challenger, holdout=holdout, history=history,
                               scores={**(scores or {}), "note": why.as_data()})
    session.add(decision)
    session.flush()
    return decision


def _skip(session: Session, now: datetime, champion: str | None, why: Note, history: int) -> RetrainReport:
    """Record a retrain that could not be judged fairly, so it was not trained at all."""
    decision = _record(session, now, RetrainOutcome.SKIPPED, why, champion=champion, history=history)
    return RetrainReport(outcome=RetrainOutcome.SKIPPED.value, challenger=None, champion=champion, holdout=0,
                         history_used=0, corrected=0, champion_accuracy=None, challenger_accuracy=None,
                         promoted=False, reason=why.code, note=why.text, decision_id=decision.id)


def _why(result, champion: str | None, holdout: int) -> Note:
    """The decision's note: the first failed criterion, or why it passed."""
    if result.reason == "no_champion":
        return note("retrain_no_champion")
    if result.promote:
        return note("retrain_no_worse", champion=champion, holdout=holdout)
    failed = next(c for c in result.criteria if not c["passed"])
    if failed["criterion"] == "accuracy":
        return note("retrain_worse_accuracy", champion=champion, difference=failed["difference"],
                    ci_low=failed["ci_low"], margin=failed["margin"])
    if failed["criterion"] == "auto_dispatch":
        return note("retrain_worse_auto_dispatch", champion=champion, challenger=failed["challenger"],
                    before=failed["champion"], threshold=failed["challenger_threshold"])
    if failed["criterion"] == "coverage":
        return note("retrain_worse_coverage", champion=champion, challenger=failed["challenger"],
                    before=failed["champion"])
    return note("retrain_worse_category", champion=champion, category=failed["category"],
                challenger=failed["challenger"], before=failed["champion"])


def retrain(session: Session, champion: classifier.Router | None, bundled_csv: Path, model_dir: Path,
            now: datetime, rules: LearningRules, *, progress: bool = False) -> RetrainReport:
    """Train on bundled data + weighted history (minus the newest tickets), judge both models on those newest.

    The decision is recorded (flushed, not committed); promoting is the caller's (it activates the version).
    """
    champion_version = champion.version if champion else None
    history = history_examples(session, now, rules)
    if len(history) < MIN_HISTORY:
        return _skip(session, now, champion_version,
                     note("retrain_not_enough_history", count=len(history), minimum=MIN_HISTORY), len(history))
    n_hold = max(rules.min_holdout, int(len(history) * rules.holdout_share))
    if len(history) - n_hold < MIN_HISTORY:
        return _skip(session, now, champion_version,
                     note("retrain_not_enough_holdout", count=max(0, len(history) - MIN_HISTORY),
                          minimum=rules.min_holdout), len(history))
    learn, hold = history[:-n_hold], history[-n_hold:]
    bundled = _bundled(session, bundled_csv)
    texts = [t for t, _ in bundled] + [e.text for e in learn]
    labels = [y for _, y in bundled] + [e.label for e in learn]
    weights = [1.0] * len(bundled) + [e.weight(now, rules) for e in learn]
    model = classifier.train(texts, labels, sample_weight=weights, progress=progress,
                             target_precision=rules.target_precision)
    version = model.metadata["version"]
    corrected = sum(e.corrected for e in learn)
    result = judge(champion, model.router(), [e.text for e in hold], [e.label for e in hold], rules)
    model.metadata.update(source="retrain", history_rows=len(learn), corrected_rows=corrected,
                          holdout={"tickets": n_hold, "champion": champion_version, "promoted": result.promote,
                                   "reason": result.reason, "champion_scores": result.champion,
                                   "challenger_scores": result.challenger})
    model.save(model_dir / version)
    why = _why(result, champion_version, n_hold)
    outcome = RetrainOutcome.PROMOTED if result.promote else RetrainOutcome.KEPT
    decision = _record(session, now, outcome, why, champion=champion_version, challenger=version, holdout=n_hold,
                       history=len(learn), scores={"champion": result.champion, "challenger": result.challenger,
                                                    "criteria": result.criteria, "corrected": corrected,
                                                    "settings": rules.as_dict()})
    return RetrainReport(
        outcome=outcome.value, challenger=version, champion=champion_version, holdout=n_hold,
        history_used=len(learn), corrected=corrected,
        champion_accuracy=result.champion["accuracy"] if result.champion else None,
        challenger_accuracy=result.challenger["accuracy"], promoted=result.promote, reason=result.reason,
        note=why.text, decision_id=decision.id, criteria=result.criteria)


def report_dict(report: RetrainReport) -> dict[str, Any]:
    """The report as plain JSON-able data (the CLI and the cycle job print it)."""
    return asdict(report)
