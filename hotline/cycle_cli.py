"""`flask --app wsgi cycle daily|monthly|quarterly|annual [--period …]` and `cycle due` (one cron line).

Each command runs its job in one transaction and prints one line; running it again for the same
period, on this host or any other, prints "already run" and changes nothing.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from models import JobRun

from . import clock
from .metrics import JOB_FAILURES
from .services.cycle import jobs
from .services.errors import InvalidInput
from .services.policy import load_policy

cycle_cli = AppGroup("cycle", help="The supervision cycle: daily callbacks and flags, monthly report, "
                                   "quarterly supervision, annual assessment; the monthly retrain.")

PERIOD_HELP = {
    "daily": "Today's date, YYYY-MM-DD (the default; the daily job runs for today only).",
    "monthly": "YYYY-MM (default: last month).",
    "quarterly": "YYYYQn (default: last quarter).",
    "annual": "YYYY (default: last year).",
    "retrain": "YYYY-MM (default: last month): learn from the city's closed tickets, promote only past the gate.",
}


def _session():
    """A session outside any request."""
    return current_app.extensions["hotline.sessionmaker"]()


def learning() -> jobs.Learning:
    """Where the retrain job finds the model in service, the bundled data and the model folder."""
    from .cli import training_csv
    from .routing_setup import get_engine

    return jobs.Learning(champion=lambda: get_engine().router, bundled_csv=training_csv(),
                         model_dir=Path(current_app.config["MODEL_DIR"]))


def run_one(job: str, period_text: str | None) -> jobs.Outcome:
    """Run one job in its own transaction and print what it did."""
    now = clock.now()
    with _session() as session:
        policy = load_policy(session, current_app.config)
        try:
            period = jobs.period_for(job, period_text, policy, now)
            started = time.perf_counter()
            outcome = jobs.run(session, job, period, policy, now,
                               learning=learning() if job in jobs.NEEDS_LEARNING else None)
            session.commit()
        except InvalidInput as error:
            session.rollback()
            raise click.BadParameter(error.message, param_hint="--period") from None
        except BaseException:
            session.rollback()  # nothing of a failed run is kept, so it can simply be run again
            JOB_FAILURES.labels(job).inc()
            raise
    if outcome.ran:
        click.echo(f"{job} {outcome.period}: done in {time.perf_counter() - started:.2f} s "
                   f"{json.dumps(outcome.result, ensure_ascii=False, sort_keys=True)}")
    else:
        click.echo(f"{job} {outcome.period}: already run by {outcome.host} at {outcome.started_at.isoformat()}; "
                   "nothing to do")
    return outcome


def _command(job: str) -> None:
    """Register `cycle <job> [--period …]`."""

    @cycle_cli.command(job, help=f"Run the {job} job once for its period. " + PERIOD_HELP[job])
    @click.option("--period", default=None, help=PERIOD_HELP[job])
    def command(period: str | None) -> None:
        """Run the job (the help text is set above)."""
        run_one(job, period)


for _job in jobs.JOBS:
    _command(_job)


@cycle_cli.command("due")
def due() -> None:
    """Run whatever is due now (today's daily job, last month's, quarter's and year's): the one cron line."""
    now = clock.now()
    with _session() as session:
        wanted = jobs.due(session, load_policy(session, current_app.config), now, learning())
    if not wanted:
        click.echo("nothing is due")
    for job, period in wanted:
        run_one(job, period.label)


@cycle_cli.command("runs")
@click.option("--limit", default=20, show_default=True, help="How many of the latest runs to list.")
def runs(limit: int) -> None:
    """List the latest job runs."""
    with _session() as session:
        for run in session.scalars(select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)):
            click.echo(f"{run.job:<9} {run.period:<10} {run.started_at.isoformat()} {run.host}")


def init_app(app: Flask) -> None:
    """Register the `cycle` command group."""
    app.cli.add_command(cycle_cli)
