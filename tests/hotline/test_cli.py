"""The `flask hotline` commands."""
from sqlalchemy import func, select

from models import Department, RoutingRule, User


def counts(session) -> tuple[int, int, int]:
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Department, RoutingRule, User))


def test_demo_is_idempotent(runner, session):
    before = counts(session)
    result = runner.invoke(args=["hotline", "demo", "--no-model"])
    assert result.exit_code == 0, result.output
    assert "nothing to change" in result.output
    assert counts(session) == before


def test_demo_creates_a_user_per_department(session):
    departments = set(session.scalars(select(Department.code).where(Department.kind != "centre")))
    users = set(session.scalars(select(User.username)))
    assert departments <= users
    assert {"operator", "dispatcher", "supervisor", "admin"} <= users


def test_demo_reports_the_model_in_service(runner):
    result = runner.invoke(args=["hotline", "demo"])
    assert result.exit_code == 0, result.output
    assert "in service" in result.output


def test_create_user_then_log_in(runner, client):
    result = runner.invoke(args=["hotline", "create-user", "liu", "--role", "department", "--department", "jtj",
                                 "--password", "s3cret-pass"])
    assert result.exit_code == 0, result.output
    response = client.post("/api/v1/auth/token", json={"username": "liu", "password": "s3cret-pass"})
    assert response.json["department"] == "jtj"


def test_create_user_without_a_password_prints_a_one_time_one(runner, client, session):
    from sqlalchemy import select

    from models import User

    result = runner.invoke(args=["hotline", "create-user", "liu", "--role", "operator"])
    assert result.exit_code == 0, result.output
    password = result.output.split("initial password (shown this once): ")[1].strip()
    assert len(password) >= 8
    assert session.scalar(select(User).where(User.username == "liu")).must_change_password
    response = client.post("/login", data={"username": "liu", "password": password})
    assert response.headers["Location"].startswith("/account/password")


def test_create_user_refuses_unknown_department(runner):
    result = runner.invoke(args=["hotline", "create-user", "liu", "--role", "department", "--department", "xx",
                                 "--password", "s3cret-pass"])
    assert result.exit_code != 0
    assert "no department xx" in result.output


def test_create_user_refuses_short_password(runner):
    result = runner.invoke(args=["hotline", "create-user", "liu", "--role", "operator", "--password", "short"])
    assert result.exit_code != 0
    assert "8 characters" in result.output


def test_a_configured_database_without_a_secret_key_refuses_to_start(database_url):
    import pytest

    from hotline import create_app

    with pytest.raises(RuntimeError, match="HOTLINE_SECRET_KEY"):
        create_app({"DATABASE_URL": database_url, "SECRET_KEY": "", "MODEL_DIR": "/nonexistent"})


def test_the_embedded_default_makes_and_keeps_its_own_key(tmp_path, monkeypatch):
    from flask import Flask

    from hotline import _fill_instance_defaults

    def fresh() -> Flask:
        app = Flask("hotline", instance_path=str(tmp_path))
        app.config.update(DATABASE_URL="", SECRET_KEY="", MODEL_DIR="")
        _fill_instance_defaults(app)
        return app

    first, second = fresh(), fresh()
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_bad_setting_stops_start_up_naming_it(app_config):
    import pytest

    from hotline import create_app

    with pytest.raises(ValueError, match="WORKING_HOURS"):
        create_app({**app_config, "WORKING_HOURS": ["9-12"]})
