"""Cycle jobs: each runs once per period, in one transaction, whichever host starts it first.

A job inserts its ``job_runs`` row (unique on job + period) before doing anything else, in the
same transaction as its work. A second run, on this host or another, sees the row and does
nothing; if both start at the same moment the unique index makes the second wait for the first
(SQLite: the write lock; PostgreSQL: the index entry, after a ``pg_advisory_xact_lock`` on the
same key) and then stop. A job that fails rolls back entirely, its row included, so it can be
run again and never leaves half-written rows.
"""
from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import JobRun, ReportKind

from ..errors import InvalidInput
from ..policy import Policy
from . import assessment, daily, practice_figures, snapshots, supervision
from .periods import KINDS, Period, containing, parse


@dataclass(frozen=True)
class Learning:
    """What the retrain job needs beyond the database: the model in service, the bundled data, the model folder."""

    champion: Callable[[], Any]  # the Router in service now, or None
    bundled_csv: Path
    model_dir: Path


@dataclass(frozen=True)
class Outcome:
    """What a job run did: ran it now, or found it already done."""

    job: str
    period: str
    ran: bool
    result: dict[str, Any] | None
    started_at: datetime
    host: str


def host_name() -> str:
    """This process, as recorded on the runs it makes."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def lock_key(job: str, period: str) -> int:
    """A stable signed 64-bit key for pg_advisory_xact_lock."""
    digest = hashlib.sha256(f"hotline-cycle:{job}:{period}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def check_period(job: str, period: Period, now: datetime) -> None:
    """Today's daily job, or a month/quarter/year that is over: anything else would run on half a period."""
    if job == "daily":
        today = containing("daily", now, period.tz)
        if period.label != today.label:
            raise InvalidInput("daily_job_today_only", field="period", today=today.label, period=period.label)
    elif not period.is_over(now):
        raise InvalidInput("period_not_over", field="period", period=period.label, ends=period.end.isoformat())


def _daily(session: Session, period: Period, policy: Policy, now: datetime) -> dict[str, Any]:
    """Callbacks scheduled, overdue work escalated, flags refreshed."""
    return daily.run(session, policy, now)


def _publish_once(session: Session, kind: ReportKind, period: Period, body: dict[str, Any],
                  now: datetime) -> int | None:
    """Publish revision 1 unless a supervisor already published the period; the revision made, if any."""
    if snapshots.find(session, kind, period.label) is not None:
        return None
    return snapshots.publish(session, kind, period.label, body, now, None, now,
                             note=f"published by the {period.kind} job").revision


def _headline(body: dict[str, Any]) -> dict[str, Any]:
    """The city-wide counts and rates, for the job's log line."""
    city = body["city"] or {}
    return {"assigned": city.get("assigned"), "rates": city.get("rates"), "score": city.get("score")}


def _monthly(session: Session, period: Period, policy: Policy, now: datetime) -> dict[str, Any]:
    """每月一通报: compute the month and publish it if nobody has."""
    body = practice_figures.monthly(session, period, policy, now)
    return {"published_revision": _publish_once(session, ReportKind.MONTHLY, period, body, now), **_headline(body)}


def _quarterly(session: Session, period: Period, policy: Policy, now: datetime) -> dict[str, Any]:
    """每季一督办: open the quarter's supervision cases."""
    cases = supervision.open_cases(session, period, policy, now)
    by_reason: dict[str, int] = {}
    for case in cases:
        for reason in case.reasons:
            by_reason[reason] = by_reason.get(reason, 0) + 1
    return {"opened": len(cases), "by_reason": by_reason}


def _annual(session: Session, period: Period, policy: Policy, now: datetime) -> dict[str, Any]:
    """每年一考核: compute the assessment and publish it if nobody has."""
    body = assessment.compute(session, period, policy, now)
    return {"published_revision": _publish_once(session, ReportKind.ANNUAL, period, body, now), **_headline(body)}


def _retrain(session: Session, period: Period, policy: Policy, now: datetime,
             learning: Learning | None = None) -> dict[str, Any]:
    """Once a month: retrain on the city's history and promote the challenger if the gate lets it."""
    from .. import model_store
    from ..retrain import report_dict, retrain

    if learning is None:
        raise InvalidInput("retrain_needs_models", field="job")
    report = retrain(session, learning.champion(), learning.bundled_csv, learning.model_dir, now,
                     policy.learning_rules)
    if report.promoted:
        # Every host, this one included, follows the setting within its sync interval.
        model_store.record_active_version(session, report.challenger, None, now)
    return {k: v for k, v in report_dict(report).items() if k != "criteria"}


JOBS: dict[str, Callable[..., dict[str, Any]]] = {
    "daily": _daily, "monthly": _monthly, "quarterly": _quarterly, "annual": _annual, "retrain": _retrain,
}
# The period a job runs for, when it is not named after one.
PERIOD_KIND = {"retrain": "monthly"}
NEEDS_LEARNING = frozenset({"retrain"})


def period_kind(job: str) -> str:
    """The kind of period ``job`` runs once per."""
    return PERIOD_KIND.get(job, job)


def advisory_lock(session: Session, job: str, period: str) -> None:
    """On PostgreSQL, wait for any other run of the same job and period to finish (released at commit)."""
    # Serialises simultaneous starts cleanly; the unique index on job_runs is the guarantee either way.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(lock_key(job, period))))


def _claim(session: Session, job: str, period: str, now: datetime, host: str) -> JobRun | None:
    """Insert the run's row, or return None if the period's run exists (or another host is making it)."""
    advisory_lock(session, job, period)
    if session.scalar(select(JobRun.id).where(JobRun.job == job, JobRun.period == period)) is not None:
        return None
    run = JobRun(job=job, period=period, started_at=now, host=host)
    session.add(run)
    try:
        session.flush()
    except IntegrityError:
        # Another host inserted the same row first; its transaction has the period.
        session.rollback()
        return None
    return run


def run(session: Session, job: str, period: Period, policy: Policy, now: datetime,
        host: str | None = None, learning: Learning | None = None) -> Outcome:
    """Run ``job`` for ``period`` unless it already ran; flushes, and the caller commits once."""
    if job not in JOBS:
        raise InvalidInput("unknown_job", field="job", value=job, allowed=list(JOBS))
    check_period(job, period, now)
    host = host or host_name()
    claimed = _claim(session, job, period.label, now, host)
    if claimed is None:
        existing = session.scalar(select(JobRun).where(JobRun.job == job, JobRun.period == period.label))
        return Outcome(job, period.label, False, existing.result if existing else None,
                       existing.started_at if existing else now, existing.host if existing else "")
    extra = {"learning": learning} if job in NEEDS_LEARNING else {}
    result = JOBS[job](session, period, policy, now, **extra)
    claimed.result = result
    claimed.finished_at = now
    session.flush()
    return Outcome(job, period.label, True, result, now, host)


def period_for(job: str, text: str | None, policy: Policy, now: datetime) -> Period:
    """The period named on the command line, or by default today / the last finished month, quarter, year."""
    if job not in JOBS:
        raise InvalidInput("unknown_job", field="job", value=job, allowed=list(JOBS))
    if text is not None:
        return parse(period_kind(job), text, policy.tz)
    current = containing(period_kind(job), now, policy.tz)
    return current if job == "daily" else current.previous()


def due(session: Session, policy: Policy, now: datetime,
        learning: Learning | None = None) -> list[tuple[str, Period]]:
    """The jobs whose time has come and that have not run: today's daily job, and the last finished periods'.

    The retrain job is due only where ``learning`` says where the models are (not in a simulated history).
    """
    rules = policy.cycle_rules
    wanted = []
    for job in JOBS:
        if job in NEEDS_LEARNING and learning is None:
            continue
        period = period_for(job, None, policy, now)
        if job == "daily":
            starts = datetime.combine(period.first_day, rules.daily_at, tzinfo=policy.tz)
        else:
            starts = datetime.combine(period.next_day + timedelta(days=rules.grace_days), rules.daily_at,
                                      tzinfo=policy.tz)
        if now >= starts:
            wanted.append((job, period))
    done = {tuple(row) for row in session.execute(
        select(JobRun.job, JobRun.period).where(
            JobRun.job.in_([job for job, _ in wanted]), JobRun.period.in_([p.label for _, p in wanted])))}
    return [(job, period) for job, period in wanted if (job, period.label) not in done]
