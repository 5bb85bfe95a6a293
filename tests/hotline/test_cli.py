"""The `flask hotline` commands."""
from sqlalchemy import func, select

from models import Department, RoutingRule, User


def counts(session) -> tuple[int, int, int]:
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Department, RoutingRule, User))


def test_demo_is_idempotent(runner, session):
    before = counts(session)
    result = runner.invoke(args=["hotline", "demo", "--no-model"])
    assert result.exit_code == 0, result.output
    assert "0 departments added" in result.output
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


def test_create_user_refuses_unknown_department(runner):
    result = runner.invoke(args=["hotline", "create-user", "liu", "--role", "department", "--department", "xx",
                                 "--password", "s3cret-pass"])
    assert result.exit_code != 0
    assert "no department xx" in result.output


def test_create_user_refuses_short_password(runner):
    result = runner.invoke(args=["hotline", "create-user", "liu", "--role", "operator", "--password", "short"])
    assert result.exit_code != 0
    assert "8 characters" in result.output
