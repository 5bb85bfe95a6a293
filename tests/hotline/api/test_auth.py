"""Logging in, tokens, and role checks."""
import pytest

from hotline.services.demo import DEMO_PASSWORD
from tests.builders import user


@pytest.mark.parametrize(
    ("username", "role", "department"),
    [("operator", "operator", None), ("dispatcher", "dispatcher", None), ("supervisor", "supervisor", None),
     ("admin", "admin", None), ("zjj", "department", "zjj"), ("yfq", "department", "yfq")],
)
def test_each_demo_role_logs_in(client, username, role, department):
    response = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert response.json["role"] == role
    assert response.json["department"] == department
    assert response.json["token"]


def test_wrong_password_is_401(client):
    response = client.post("/api/v1/auth/token", json={"username": "operator", "password": "wrong-pass"})
    assert response.status_code == 401
    assert "wrong username or password" in response.json["message"]


def test_missing_password_names_the_field(client):
    response = client.post("/api/v1/auth/token", json={"username": "operator"})
    assert response.status_code == 400
    assert response.json["field"] == "password"


def test_no_token_is_401(client):
    response = client.get("/api/v1/tickets")
    assert response.status_code == 401
    assert "Bearer" in response.json["message"]


def test_forged_token_is_401(client):
    response = client.get("/api/v1/tickets", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401


def test_wrong_role_is_403(api):
    response = api.post("/tickets", "zjj", {"content": "x", "caller_phone": "13812345678", "appeal_type": "help"})
    assert response.status_code == 403
    assert "operator" in response.json["message"]


@pytest.mark.app_config(TOKEN_TTL_SECONDS=-1)
def test_token_expires(client):
    token = client.post("/api/v1/auth/token", json={"username": "operator", "password": DEMO_PASSWORD}).json["token"]
    response = client.get("/api/v1/tickets", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "expired" in response.json["message"]


def test_passwords_are_hashed(session):
    operator = user(session, "operator")
    assert DEMO_PASSWORD not in operator.password_hash
    assert operator.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_nothing_sensitive_in_logs(api, caplog, monkeypatch, app):
    """Passwords, tokens and callers' phone numbers never reach the log, even when routing fails."""
    import logging

    caplog.set_level(logging.DEBUG)
    engine = app.extensions["hotline.routing"]
    monkeypatch.setattr(engine.router, "predict", lambda *a, **k: 1 / 0)
    token = api.token("operator")
    response = api.post("/tickets", "operator", {"content": "噪音扰民", "caller_phone": "13912345678",
                                                 "appeal_type": "complaint", "caller_name": "赵女士"})
    assert response.status_code == 201
    assert "routing failed" in caplog.text  # the failure is logged…
    for secret in (DEMO_PASSWORD, token, "13912345678", "赵女士"):
        assert secret not in caplog.text  # …without the caller's details


def test_a_one_time_password_opens_only_the_password_change(client, session):
    from hotline.auth import hash_password

    row = user(session, "operator")
    row.password_hash, row.must_change_password = hash_password("handed-over-1"), True
    session.commit()
    response = client.post("/api/v1/auth/token", json={"username": "operator", "password": "handed-over-1"})
    assert response.status_code == 200 and response.json["must_change_password"] is True
    old = {"Authorization": f"Bearer {response.json['token']}"}
    refused = client.get("/api/v1/tickets", headers=old)
    assert refused.status_code == 403 and refused.json["error"] == "password_change_required"
    short = client.post("/api/v1/auth/password", headers=old,
                        json={"current_password": "handed-over-1", "new_password": "short"})
    assert short.status_code == 400 and short.json["field"] == "new_password"
    assert short.json["params"] == {"minimum": 8}
    changed = client.post("/api/v1/auth/password", headers=old,
                          json={"current_password": "handed-over-1", "new_password": "my-own-pass-1"})
    assert changed.status_code == 200 and changed.json["must_change_password"] is False
    assert client.get("/api/v1/tickets", headers=old).status_code == 401  # the old token ended with the password
    new = {"Authorization": f"Bearer {changed.json['token']}"}
    assert client.get("/api/v1/tickets", headers=new).status_code == 200


def test_changing_a_password_needs_the_current_one(client):
    token = client.post("/api/v1/auth/token", json={"username": "operator", "password": DEMO_PASSWORD}).json["token"]
    response = client.post("/api/v1/auth/password", headers={"Authorization": f"Bearer {token}"},
                           json={"current_password": "wrong", "new_password": "my-own-pass-1"})
    assert response.status_code == 400
    assert response.json["error"] == "wrong_password" and response.json["field"] == "current_password"
