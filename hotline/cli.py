"""`flask --app wsgi hotline …`: schema, demo data, users and the default model."""
from __future__ import annotations

import json
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from models import Department, Role, User

from . import clock
from .auth import hash_password, one_time_password
from .db import upgrade_schema
from .routing_setup import get_engine
from .services import model_store
from .services.demo import DEMO_PASSWORD, seed_demo
from .services.knowledge import BUNDLED_KB, BUNDLED_SOURCE, seed_knowledge
from .services.retrain import report_dict
from .services.retrain import retrain as retrain_model

hotline_cli = AppGroup("hotline", help="Set up and maintain the hotline service.")

BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data"


def _session():
    """A session outside any request."""
    return current_app.extensions["hotline.sessionmaker"]()


def training_csv() -> Path:
    """The labelled CSV models are trained from: TRAIN_DATA, else the bundled data."""
    return Path(current_app.config["TRAIN_DATA"] or BUNDLED_DATA / "msga_domain.csv")


@hotline_cli.command("init-db")
def init_db() -> None:
    """Create or upgrade the schema (Alembic migrations)."""
    upgrade_schema(current_app.config["DATABASE_URL"])
    click.echo("schema is up to date")


@hotline_cli.command("demo")
@click.option("--no-model", is_flag=True, help="Skip training the default model.")
@click.option("--history", "history_days", type=click.IntRange(1, 3660), default=None,
              help="Also simulate this many days of the hotline up to now, through the real services.")
@click.option("--seed", type=int, default=12345, show_default=True, help="The history's random seed.")
def demo(no_model: bool, history_days: int | None, seed: int) -> None:
    """Upgrade the schema, import the demo city's package (衡阳市: re-running resets it) and its users, seed
    the bundled (Beijing) knowledge base if the base is empty, and train the default model if none exists."""
    from .city_cli import report_lines

    upgrade_schema(current_app.config["DATABASE_URL"])
    with _session() as session:
        report = seed_demo(session, hash_password(DEMO_PASSWORD), clock.now())
        seeded = seed_knowledge(session, Path(current_app.config["KB_DATA"] or BUNDLED_KB))
        session.commit()
    for line in report_lines(report):
        click.echo(line)
    for refused in seeded.refused:
        click.echo(f"knowledge base: refused {refused}", err=True)
    click.echo(f"knowledge base: {seeded.added} entries of {BUNDLED_SOURCE} added")
    if not no_model:
        _ensure_default_model()
    if history_days:
        _simulate_history(history_days, seed)


def _simulate_history(days: int, seed: int) -> None:
    """Simulate `days` days of calls, handling and cycle jobs up to now; one commit per simulated day."""
    from .services.history import simulate
    from .services.policy import load_policy  # here: importing policy first is circular (→ repeats → workflow)

    engine = get_engine()
    if engine.router is None:
        raise click.ClickException("a history needs a model to route the calls: run without --no-model")
    started = time.perf_counter()
    with _session() as session:
        report = simulate(session, engine, load_policy(session, current_app.config), training_csv(), days=days,
                          seed=seed, now=clock.now(), commit=session.commit)
    click.echo(f"history: {report.days} days, {report.calls} calls in {time.perf_counter() - started:.0f} s; "
               + ", ".join(f"{n} {action}" for action, n in sorted(report.actions.items())))
    click.echo("cycle jobs run: " + (", ".join(report.jobs) or "none"))


def _ensure_default_model() -> None:
    """Train the default model from the bundled data once; later starts reuse it."""
    engine = get_engine()
    if engine.router is not None:
        click.echo(f"model {engine.router.version} in service")
        return
    data = training_csv()
    click.echo(f"training the default model from {data} (first start only: about 40 s of CPU time)…")
    version = model_store.train_from_csv(data, Path(current_app.config["MODEL_DIR"]), progress=True)
    engine.activate(version)
    click.echo(f"model {version} trained and in service")


@hotline_cli.command("train-model")
@click.option("--data", type=click.Path(exists=True, dir_okay=False), help="Labelled CSV (text,label).")
def train_model(data: str | None) -> None:
    """Train a new model version from a CSV (default: the bundled data)."""
    path = Path(data) if data else training_csv()
    version = model_store.train_from_csv(path, Path(current_app.config["MODEL_DIR"]), progress=True)
    click.echo(f"model {version} trained")


@hotline_cli.command("retrain")
def retrain() -> None:
    """Train a challenger on closed tickets + bundled data; promote it only if it passes the gate on recent tickets."""
    from .services.policy import load_policy  # here: importing policy first is circular (→ repeats → workflow)

    engine = get_engine()
    with _session() as session:
        now = clock.now()
        report = retrain_model(session, engine.router, training_csv(), Path(current_app.config["MODEL_DIR"]), now,
                               load_policy(session, current_app.config).learning_rules, progress=True)
        if report.promoted:
            model_store.record_active_version(session, report.challenger, None, now)
        session.commit()  # the decision is recorded whatever it was
    if report.promoted:
        engine.activate(report.challenger)
    click.echo(json.dumps(report_dict(report), ensure_ascii=False, indent=2))
    if report.outcome == "skipped":
        raise click.ClickException(report.note)
    click.echo(f"{report.challenger} {'promoted' if report.promoted else 'kept as a challenger'}: {report.note}")


@hotline_cli.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--department", help="Department code (for the department role).")
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--password", help="Initial password (a random one is made and printed once when omitted).")
def create_user(username: str, role: str, department: str | None, display_name: str, password: str | None) -> None:
    """Create a user; department users name their unit.

    The password is one-time either way (the admin knows it): the user sets their own at first login.
    """
    if Role(role) == Role.DEPARTMENT and not department:
        raise click.BadParameter("a department user needs --department", param_hint="--department")
    shown = password is None
    password = password or one_time_password()
    if len(password) < 8:
        raise click.BadParameter("at least 8 characters", param_hint="--password")
    with _session() as session:
        if session.scalar(select(User).where(User.username == username)):
            raise click.BadParameter(f"{username} exists", param_hint="username")
        unit = None
        if department:
            unit = session.scalar(select(Department).where(Department.code == department))
            if unit is None:
                raise click.BadParameter(f"no department {department}", param_hint="--department")
        session.add(User(username=username, display_name=display_name, role=Role(role), department=unit,
                         password_hash=hash_password(password), must_change_password=True))
        session.commit()
    click.echo(f"user {username} ({role}) created; they set their own password at first login")
    if shown:
        click.echo(f"initial password (shown this once): {password}")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    from . import city_cli  # noqa: F401 - adds `hotline import` and `hotline export` to the group

    app.cli.add_command(hotline_cli)
