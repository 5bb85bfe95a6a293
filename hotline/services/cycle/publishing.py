"""每月一通报 / 每年一考核 as staff read them: the published revision or the live figures, and publishing one."""
from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Department, ReportKind, User

from ..errors import InvalidInput, InvalidTransition
from ..policy import Policy
from . import assessment, periods, practice_figures, practice_report, snapshots

PERIOD_KIND = {ReportKind.MONTHLY: "monthly", ReportKind.ANNUAL: "annual"}


def started_period(kind: ReportKind, label: str, policy: Policy, now: datetime) -> periods.Period:
    """The report's period; one that has not started yet is a 400 (there is nothing to count)."""
    period = periods.parse(PERIOD_KIND[kind], label, policy.tz)
    if now < period.start:
        raise InvalidInput("period_not_started", field="period", period=period.label)
    return period


def live(session: Session, kind: ReportKind, period: periods.Period, policy: Policy, now: datetime,
         department_id: int | None = None) -> dict[str, Any]:
    """The figures of `period` as they stand now (one unit's line only, with `department_id`)."""
    if kind == ReportKind.ANNUAL:
        return assessment.compute(session, period, policy, now, department_id)
    return practice_figures.monthly(session, period, policy, now, department_id)


def _own_line_only(body: dict[str, Any], session: Session, department_id: int) -> dict[str, Any]:
    """A published report cut down to one unit's line (a unit reads no other unit's line, nor the city's)."""
    department = session.get(Department, department_id)
    return practice_figures.unit_view(body, department.code if department else None)


def show(session: Session, kind: ReportKind, label: str, policy: Policy, now: datetime, *, live_figures: bool = False,
         revision: int | None = None, department_id: int | None = None, channel: str | None = None) -> dict[str, Any]:
    """The latest published revision of a period (or the one asked for), else the live figures, with its history.

    ``channel`` keeps one hosted channel's section of a monthly report (practice_report.only_channel).
    """
    period = started_period(kind, label, policy, now)
    snapshot = None if live_figures else snapshots.find(session, kind, period.label, revision)
    if snapshot is not None:
        body = copy.deepcopy(snapshot.data)
        if department_id is not None:
            body = _own_line_only(body, session, department_id)
        body["published"] = snapshots.publication(snapshot, policy.tz)
    else:
        body = live(session, kind, period, policy, now, department_id)
        body["published"] = None
    body = practice_report.only_channel(body, channel)
    body["source"] = "snapshot" if snapshot is not None else "live"
    body["revisions"] = [snapshots.publication(s, policy.tz) for s in snapshots.revisions(session, kind, period.label)]
    body["is_over"] = period.is_over(now)
    return body


def publish(session: Session, kind: ReportKind, label: str, policy: Policy, now: datetime, actor: User,
            note: str = "") -> dict[str, Any]:
    """Freeze the live figures of a finished period as its next revision; returns the published report."""
    period = started_period(kind, label, policy, now)
    if not period.is_over(now):
        raise InvalidInput("period_not_over", field="period", period=period.label, ends=period.end.isoformat())
    body = live(session, kind, period, policy, now)
    try:
        with session.begin_nested():  # a lost race for the revision number undoes this publication only
            snapshot = snapshots.publish(session, kind, period.label, body, now, actor, now, note)
    except IntegrityError:
        raise InvalidTransition("publish_conflict", period=period.label) from None
    published = {**body, "published": snapshots.publication(snapshot, policy.tz), "source": "snapshot"}
    published["revisions"] = [snapshots.publication(s, policy.tz)
                              for s in snapshots.revisions(session, kind, period.label)]
    published["is_over"] = True
    return published
