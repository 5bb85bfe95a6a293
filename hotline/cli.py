"""`flask --app wsgi hotline …`: schema, demo data, users and the default model."""
from __future__ import annotations

import getpass
import json
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from models import Department, Role, User

from .auth import hash_password
from .db import upgrade_schema
from .routing_setup import get_engine
from .services import model_store
from .services.demo import DEMO_PASSWORD, seed_demo
from .services.errors import DomainError
from .services.knowledge import seed_knowledge
from .services.retrain import retrain as retrain_model

hotline_cli = AppGroup("hotline", help="Set up and maintain the hotline service.")

BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data"


def _session():
    """A session outside any request."""
    return current_app.extensions["hotline.sessionmaker"]()


def _training_csv() -> Path:
    """The labelled CSV models are trained from: TRAIN_DATA, else the bundled data."""
    return Path(current_app.config["TRAIN_DATA"] or BUNDLED_DATA / "msga_domain.csv")


@hotline_cli.command("init-db")
def init_db() -> None:
    """Create or upgrade the schema (Alembic migrations)."""
    upgrade_schema(current_app.config["DATABASE_URL"])
    click.echo("schema is up to date")


@hotline_cli.command("demo")
@click.option("--no-model", is_flag=True, help="Skip training the default model.")
def demo(no_model: bool) -> None:
    """Upgrade the schema, add the demo city and users if absent, and train the default model if none exists."""
    upgrade_schema(current_app.config["DATABASE_URL"])
    with _session() as session:
        added = seed_demo(session, hash_password(DEMO_PASSWORD))
        added["knowledge-base entries"] = seed_knowledge(session, Path(current_app.config["KB_DATA"] or
                                                                      BUNDLED_DATA / "msga_dept.csv"))
        session.commit()
    click.echo("demo data: " + ", ".join(f"{n} {k} added" for k, n in added.items()))
    if not no_model:
        _ensure_default_model()


def _ensure_default_model() -> None:
    """Train the default model from the bundled data once; later starts reuse it."""
    engine = get_engine()
    if engine.router is not None:
        click.echo(f"model {engine.router.version} in service")
        return
    data = _training_csv()
    click.echo(f"training the default model from {data} (first start only, about a minute)…")
    version = model_store.train_from_csv(data, Path(current_app.config["MODEL_DIR"]), progress=True)
    engine.activate(version)
    click.echo(f"model {version} trained and in service")


@hotline_cli.command("train-model")
@click.option("--data", type=click.Path(exists=True, dir_okay=False), help="Labelled CSV (text,label).")
def train_model(data: str | None) -> None:
    """Train a new model version from a CSV (default: the bundled data)."""
    path = Path(data) if data else _training_csv()
    version = model_store.train_from_csv(path, Path(current_app.config["MODEL_DIR"]), progress=True)
    click.echo(f"model {version} trained")


@hotline_cli.command("retrain")
def retrain() -> None:
    """Train a challenger on closed tickets + bundled data; promote it only if it routes recent tickets no worse."""
    engine = get_engine()
    data = _training_csv()
    with _session() as session:
        try:
            report = retrain_model(session, engine.router, data, Path(current_app.config["MODEL_DIR"]), progress=True)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        if report.promoted:
            model_store.record_active_version(session, report.challenger, None, None)
            session.commit()
            engine.activate(report.challenger)
    click.echo(json.dumps(report.__dict__, ensure_ascii=False, indent=2))
    click.echo(f"{report.challenger} {'promoted' if report.promoted else 'kept as a challenger'}")


@hotline_cli.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--department", help="Department code (for the department role).")
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--password", help="Password (asked for when omitted).")
def create_user(username: str, role: str, department: str | None, display_name: str, password: str | None) -> None:
    """Create a user; department users name their unit."""
    if Role(role) == Role.DEPARTMENT and not department:
        raise click.BadParameter("a department user needs --department", param_hint="--department")
    password = password or getpass.getpass("password: ")
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
                         password_hash=hash_password(password)))
        session.commit()
    click.echo(f"user {username} ({role}) created")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(hotline_cli)
