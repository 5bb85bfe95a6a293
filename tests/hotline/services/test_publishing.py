"""Showing and publishing a report as services: live or frozen, one unit's line, finished periods only."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from hotline.services.cycle import publishing
from hotline.services.errors import InvalidInput, InvalidTransition
from models import ReportKind, ReportSnapshot, TicketStatus

from ...builders import department, make_ticket

DECEMBER = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)  # November is over
MONTHLY = ReportKind.MONTHLY


def test_a_finished_month_is_published_and_then_shown_frozen(session, policy, user):
    make_ticket(session, datetime(2026, 11, 16, 1, tzinfo=UTC), status=TicketStatus.DISPATCHED,
                department=department(session, "zjj"))
    assert publishing.show(session, MONTHLY, "2026-11", policy, DECEMBER)["source"] == "live"
    published = publishing.publish(session, MONTHLY, "2026-11", policy, DECEMBER, user("supervisor"), "首发")
    assert published["published"]["revision"] == 1 and published["source"] == "snapshot"
    shown = publishing.show(session, MONTHLY, "2026-11", policy, DECEMBER)
    assert shown["source"] == "snapshot" and shown["is_over"]
    assert [r["note"] for r in shown["revisions"]] == ["首发"]
    assert publishing.show(session, MONTHLY, "2026-11", policy, DECEMBER, live_figures=True)["source"] == "live"


def test_a_unit_reads_only_its_own_line_of_a_published_report(session, policy, user):
    publishing.publish(session, MONTHLY, "2026-11", policy, DECEMBER, user("supervisor"))
    zjj = department(session, "zjj")
    shown = publishing.show(session, MONTHLY, "2026-11", policy, DECEMBER, department_id=zjj.id)
    assert [line["department"]["code"] for line in shown["departments"]] == ["zjj"]
    assert shown["city"] is None


def test_a_month_not_over_is_not_published_and_one_not_begun_not_shown(session, policy, user):
    with pytest.raises(InvalidInput) as running:
        publishing.publish(session, MONTHLY, "2026-12", policy, DECEMBER, user("supervisor"))
    assert running.value.field == "period"
    with pytest.raises(InvalidInput) as future:
        publishing.show(session, MONTHLY, "2027-01", policy, DECEMBER)
    assert "has not started yet" in future.value.message
    assert session.scalar(select(func.count()).select_from(ReportSnapshot)) == 0


def test_losing_the_race_for_a_revision_undoes_only_that_publication(session, policy, user, monkeypatch):
    publishing.publish(session, MONTHLY, "2026-11", policy, DECEMBER, user("supervisor"))
    # Another host published revision 2 between our reading of the last revision and our insert.
    monkeypatch.setattr(publishing.snapshots, "publish", _publish_as_revision(1))
    with pytest.raises(InvalidTransition):
        publishing.publish(session, MONTHLY, "2026-11", policy, DECEMBER, user("supervisor"))
    assert session.scalars(select(ReportSnapshot.revision)).all() == [1]  # the session is still usable


def _publish_as_revision(revision: int):
    """snapshots.publish, but claiming a revision number that is already taken."""
    def publish(session, kind, period, data, as_of, actor, now, note=""):
        snapshot = ReportSnapshot(kind=kind, period=period, revision=revision, as_of=as_of, published_at=now,
                                  published_by_id=actor.id, note=note, data=data)
        session.add(snapshot)
        session.flush()
        return snapshot
    return publish
