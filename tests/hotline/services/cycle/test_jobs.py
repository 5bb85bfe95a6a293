"""Cycle jobs: once per period, whatever is due from one cron line, safe from two hosts at once, all or nothing."""
import threading
import time

import pytest
from sqlalchemy import func, select

from hotline.services.cycle import daily, jobs
from hotline.services.policy import load_policy
from models import EventAction, JobRun, ReportSnapshot, SupervisionCase, TicketEvent

from tests.builders import at, ticket_row
from tests.hotline.api.helpers import BY_HAND, Desk

pytestmark = BY_HAND


def count(session, model, *where) -> int:
    """Rows of a table (optionally filtered), read fresh."""
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_due_runs_what_is_due_once(api, clock, runner, session):
    desk = Desk(api, clock)
    number = desk.new(at(2026, 11, 16, 9))
    clock.set(at(2026, 12, 6, 7, 59))  # Sunday, before 08:00 (CYCLE_DAILY_AT)
    first = runner.invoke(args=["cycle", "due"])
    assert first.exit_code == 0, first.output
    # Last quarter's cases and last year's assessment are long due; today's daily job and last month's report
    # (5 days after the month ended, at 08:00) are not yet.
    assert first.output.splitlines()[0].startswith("quarterly 2026Q3: done")
    assert first.output.splitlines()[1].startswith("annual 2025: done")
    assert len(first.output.splitlines()) == 2
    clock.set(at(2026, 12, 6, 8))
    second = runner.invoke(args=["cycle", "due"]).output.splitlines()
    assert second[0].startswith("daily 2026-12-06: done") and second[1].startswith("monthly 2026-11: done")
    # The monthly retrain is due with the monthly report; one open ticket is no history to learn from.
    assert second[2].startswith("retrain 2026-11: done") and '"outcome": "skipped"' in second[2]
    assert len(second) == 3
    assert runner.invoke(args=["cycle", "due"]).output == "nothing is due\n"
    assert {(r.job, r.period) for r in session.scalars(select(JobRun))} == {
        ("monthly", "2026-11"), ("quarterly", "2026Q3"), ("annual", "2025"), ("daily", "2026-12-06"),
        ("retrain", "2026-11")}
    snapshot = session.scalar(select(ReportSnapshot).where(ReportSnapshot.period == "2026-11"))
    assert (snapshot.revision, snapshot.published_by_id) == (1, None)
    assert snapshot.data["city"]["assigned"] == 1
    assert ticket_row(session, number).flag.value == "black"  # unsigned for three weeks
    listed = runner.invoke(args=["cycle", "runs"]).output
    assert "monthly   2026-11" in listed


def test_monthly_job_leaves_a_supervisors_publication_alone(api, clock, runner, session):
    Desk(api, clock).new(at(2026, 11, 16, 9))
    clock.set(at(2026, 12, 2, 9))
    assert api.post("/reports/monthly/2026-11/publish", "supervisor", {}).status_code == 201
    result = runner.invoke(args=["cycle", "monthly"])
    assert '"published_revision": null' in result.output
    assert count(session, ReportSnapshot) == 1
    assert "already run" in runner.invoke(args=["cycle", "monthly", "--period", "2026-11"]).output


@pytest.mark.parametrize(("args", "message"), [
    (["cycle", "monthly", "--period", "2026-13"], "month must be in 1..12"),
    (["cycle", "monthly", "--period", "last month"], "period must look like 2026-11"),
    (["cycle", "monthly", "--period", "2026-11"], "2026-11 is not over yet"),
    (["cycle", "quarterly", "--period", "2026Q5"], "quarter must be 1 to 4"),
    (["cycle", "quarterly", "--period", "2026Q4"], "2026Q4 is not over yet"),
    (["cycle", "annual", "--period", "MMXXV"], "period must look like 2026"),
    (["cycle", "daily", "--period", "2026-11-15"], "today (2026-11-16) only"),
    (["cycle", "daily", "--period", "2026-11-31"], "day is out of range"),
])
def test_impossible_periods_are_refused_and_nothing_is_written(runner, session, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "--period" in result.output
    assert count(session, JobRun) == 0


def test_a_job_failing_midway_leaves_nothing_behind(api, clock, runner, session, monkeypatch):
    number = Desk(api, clock).new(at(2026, 11, 16, 9))
    clock.set(at(2026, 11, 17, 9))

    def explode(*args, **kwargs):
        """Fail like a full disk would."""
        raise RuntimeError("disk full")

    # Escalations are written first; the flag refresh then fails.
    monkeypatch.setattr(daily.flags, "refresh_flags", explode)
    result = runner.invoke(args=["cycle", "daily"])
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    assert count(session, JobRun) == 0
    assert count(session, TicketEvent, TicketEvent.action == EventAction.ESCALATED) == 0
    row = ticket_row(session, number)
    assert (row.sign_escalated_for, row.reply_escalated_for, row.flag) == (None, None, None)
    monkeypatch.undo()
    assert runner.invoke(args=["cycle", "daily"]).exit_code == 0  # the run can simply be made again
    assert count(session, TicketEvent, TicketEvent.action == EventAction.ESCALATED) == 1  # the sign-by


def race(app, job: str, period_label: str, now, monkeypatch, pause: float = 0.4) -> list[jobs.Outcome]:
    """Start the same job from two 'hosts' (threads with their own connections) at the same moment."""
    slow_body = jobs.JOBS[job]

    def slowly(*args, **kwargs):
        """The real job, then a pause with its transaction still open."""
        result = slow_body(*args, **kwargs)
        time.sleep(pause)  # keep the first run's transaction open while the second one starts
        return result

    monkeypatch.setitem(jobs.JOBS, job, slowly)
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def host(name: str) -> None:
        """One host: its own connection, the same job, the same moment."""
        try:
            with app.app_context(), app.extensions["hotline.sessionmaker"]() as session:
                policy = load_policy(session, app.config)
                period = jobs.period_for(job, period_label, policy, now)
                start.wait()
                outcome = jobs.run(session, job, period, policy, now, host=name)
                session.commit()
                outcomes.append(outcome)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=host, args=(name,)) for name in ("host-a", "host-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return outcomes


def test_two_hosts_starting_the_same_job_run_it_once(app, api, clock, session, monkeypatch):
    Desk(api, clock).new(at(2026, 11, 16, 9))
    now = at(2026, 12, 2, 9)
    outcomes = race(app, "monthly", "2026-11", now, monkeypatch)
    assert sorted(outcome.ran for outcome in outcomes) == [False, True]
    winner = next(outcome for outcome in outcomes if outcome.ran)
    loser = next(outcome for outcome in outcomes if not outcome.ran)
    assert loser.host == winner.host and loser.result == winner.result  # the loser reports the winner's run
    assert count(session, JobRun) == 1
    assert count(session, ReportSnapshot) == 1


def test_the_unique_row_alone_stops_a_second_host(app, api, clock, session, monkeypatch):
    # Without PostgreSQL's advisory lock (and always on SQLite) the unique (job, period) index decides.
    monkeypatch.setattr(jobs, "advisory_lock", lambda *args: None)
    desk = Desk(api, clock)
    desk.new(at(2026, 11, 16, 9))
    outcomes = race(app, "daily", "2026-11-17", at(2026, 11, 17, 9), monkeypatch)
    assert sorted(outcome.ran for outcome in outcomes) == [False, True]
    assert count(session, JobRun) == 1
    assert count(session, TicketEvent, TicketEvent.action == EventAction.ESCALATED) == 1  # not 2


def test_quarterly_race_opens_each_case_once(app, api, clock, session, monkeypatch):
    desk = Desk(api, clock)
    number = desk.new(at(2026, 11, 16, 9))
    desk.call("POST", f"/tickets/{number}/difficult", "supervisor", at(2026, 11, 16, 10), {"reason": "疑难"})
    outcomes = race(app, "quarterly", "2026Q4", at(2027, 1, 6, 8), monkeypatch)
    assert sorted(outcome.ran for outcome in outcomes) == [False, True]
    assert count(session, SupervisionCase) == 1
