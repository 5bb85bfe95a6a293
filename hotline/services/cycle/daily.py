"""每日一回访: schedule callbacks, escalate overdue work orders (催办), refresh the stored flags, roll up.

Every step reads the open tickets (or the newly closed ones) through an index, never the history.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from models import JobRun, Ticket, TicketStatus
from models.base import UTCDateTime

from .. import idempotency, pauses, revisits, workflow
from ..policy import Policy
from . import flags, partitions, rollups
from .flags import instant
from .periods import containing


def schedule_callbacks(session: Session, policy: Policy) -> int:
    """Give a callback due date to every replied ticket still without one (replies saved without a policy)."""
    rows = session.execute(
        select(Ticket.id, Ticket.replied_at)
        .where(Ticket.status == TicketStatus.REPLIED, Ticket.callback_due_at.is_(None), Ticket.replied_at.is_not(None))
    ).all()
    # The due date walks the working calendar, which SQL cannot; these are only the day's stragglers.
    days = policy.cycle_rules.callback_working_days
    values = [{"ticket_id": ticket_id, "due": policy.calendar.add_working_days(replied_at, days)}
              for ticket_id, replied_at in rows]
    if values:
        session.connection().execute(
            update(Ticket.__table__).where(Ticket.__table__.c.id == bindparam("ticket_id"))
            .values(callback_due_at=bindparam("due", type_=UTCDateTime())),
            values,
        )
    return len(values)


def escalate_overdue(session: Session, now: datetime) -> dict[str, int]:
    """Write one ESCALATED event per overdue deadline (sign-by while unsigned, reply-by while unreplied)."""
    counts = {}
    t = Ticket
    phases = {
        "sign": (t.sign_by, t.sign_escalated_for, (TicketStatus.DISPATCHED,)),
        "reply": (t.reply_by, t.reply_escalated_for, (TicketStatus.DISPATCHED, TicketStatus.SIGNED)),
    }
    for phase, (due, marker, statuses) in phases.items():
        # Marking and selecting in one UPDATE … RETURNING: a deadline is escalated once, even if extended later
        # and missed again (the new deadline is a new escalation).
        marked = session.execute(
            update(Ticket)
            .where(t.status.in_(statuses), due < instant(now), or_(marker.is_(None), marker != due),
                   t.paused_at.is_(None))  # 挂起: no 催办 while the clock stands still
            .values({marker: due})
            .returning(t.id, t.status, t.department_id, due)
            .execution_options(synchronize_session=False)
        ).all()
        workflow.record_escalations(session, phase, marked, now)
        counts[phase] = len(marked)
    return counts


def summary(session: Session, policy: Policy, now: datetime) -> dict[str, Any]:
    """The day's callback list and the open work by flag, as the daily job reports them."""
    day = containing("daily", now, policy.tz)
    awaiting = Ticket.status == TicketStatus.REPLIED
    callbacks = session.execute(
        select(
            func.count(),
            func.count(Ticket.callback_due_at).filter(Ticket.callback_due_at < instant(day.end)),
            func.count(Ticket.callback_due_at).filter(Ticket.callback_due_at < instant(now)),
        ).where(awaiting)
    ).one()
    by_flag = dict(session.execute(
        select(Ticket.flag, func.count()).where(Ticket.status.in_(flags.OPEN_WORK)).group_by(Ticket.flag)
    ).all())
    return {
        "callbacks": {"awaiting": callbacks[0], "due_today": callbacks[1], "overdue": callbacks[2]},
        "open_by_flag": {f.value: by_flag.get(f.value, 0) for f in flags.SEVERITY},
    }


def closed_since(session: Session, now: datetime) -> datetime | None:
    """Where the rollup's search for newly closed tickets starts: a day before the last daily run, if any.

    None (look at every open work order) the first time, e.g. right after migration 0010.
    """
    last = session.scalar(select(func.max(JobRun.started_at)).where(
        JobRun.job == "daily", JobRun.finished_at.is_not(None), JobRun.started_at < now))
    return None if last is None else last - timedelta(days=1)


def run(session: Session, policy: Policy, now: datetime) -> dict[str, Any]:
    """The daily job: callbacks scheduled, overdue deadlines escalated, flags refreshed, old intake keys dropped."""
    resumed = pauses.resume_due(session, policy, now)  # first: a pause that ended moves its deadlines
    scheduled = schedule_callbacks(session, policy)
    escalated = escalate_overdue(session, now)
    refreshed = flags.refresh_flags(session, now, policy.cycle_rules)
    purged = idempotency.purge_expired(session, policy, now)
    session.flush()
    since = closed_since(session, now)
    rolled = rollups.roll_up(session, now, since, policy.cycle_rules)
    sampled = revisits.draw(session, policy, now, since)  # 回头看: the day's share of tickets closed weeks ago
    body = {"revisits_sampled": sampled, "callbacks_scheduled": scheduled, "escalated": escalated,
            "flags_changed": refreshed, "intake_keys_expired": purged, "rollup_rows": rolled,
            "pauses_resumed": resumed, **summary(session, policy, now)}
    # Last: making a partition locks the default one until the job commits, so the lock is held briefly.
    body["partitions_created"] = partitions.ensure_ahead(session, now)
    return body
