"""Failed logins are throttled per username and per address, on the API and the login page, on every host."""
import uuid

import pytest
import redis
from sqlalchemy import select

from hotline import auth, create_app
from hotline.services.demo import DEMO_PASSWORD
from models import User

REDIS_URL = "redis://127.0.0.1:6379/15"
WRONG = {"username": "operator", "password": "wrong-password"}
RIGHT = {"username": "operator", "password": DEMO_PASSWORD}
FEW = pytest.mark.app_config(LOGIN_FAILURES_PER_USERNAME="3 per minute", LOGIN_FAILURES_PER_ADDRESS="5 per minute")


def token(client, body, address="10.0.0.1"):
    """POST /auth/token from `address`."""
    return client.post("/api/v1/auth/token", json=body, environ_base={"REMOTE_ADDR": address})


@FEW
def test_wrong_passwords_for_one_username_are_throttled_even_the_right_one_then(client):
    assert [token(client, WRONG).status_code for _ in range(3)] == [401] * 3
    response = token(client, RIGHT)
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 0 < wait <= 60
    assert f"try again in {wait} seconds" in response.json["message"]
    # Another user, from the same address, is not held up by that username's limit.
    assert token(client, {"username": "dispatcher", "password": DEMO_PASSWORD}).status_code == 200


@FEW
def test_one_address_trying_many_usernames_is_throttled(client):
    for name in ("operator", "dispatcher", "supervisor", "admin", "zjj"):
        assert token(client, {"username": name, "password": "nope-nope"}).status_code == 401
    assert token(client, {"username": "jtj", "password": DEMO_PASSWORD}).status_code == 429
    assert token(client, {"username": "jtj", "password": DEMO_PASSWORD}, address="10.0.0.9").status_code == 200


@FEW
def test_successful_logins_do_not_count(client):
    assert [token(client, RIGHT).status_code for _ in range(4)] == [200] * 4


@FEW
def test_the_login_page_is_throttled_and_shares_the_count_with_the_api(client):
    assert [token(client, WRONG).status_code for _ in range(2)] == [401] * 2
    assert client.post("/login", data=WRONG, environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 401
    response = client.post("/login", data=RIGHT, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/login").status_code == 200  # the page itself still shows


def test_the_default_limits_stop_a_password_guesser(client):
    statuses = [token(client, WRONG).status_code for _ in range(8)]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}


@pytest.fixture
def shared_storage():
    """A key prefix of our own in the test Redis (skipped, saying why, without a Redis)."""
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"hotline-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)
    connection.close()


@FEW
def test_hosts_share_the_count_through_the_storage(app_config, app, shared_storage):
    hosts = [create_app({**app_config, "RATELIMIT_STORAGE_URL": REDIS_URL, "RATELIMIT_KEY_PREFIX": shared_storage})
             for _ in range(2)]
    first, second = (host.test_client() for host in hosts)
    assert [token(first, WRONG).status_code for _ in range(3)] == [401] * 3
    assert token(second, RIGHT).status_code == 429
    for host in hosts:
        host.extensions["hotline.engine"].dispose()


def test_an_unknown_username_costs_a_hash_check_like_a_wrong_password(app, session, monkeypatch):
    # The demo users share a hash of a low work factor (tests/conftest.py): give the operator one the service makes.
    session.scalar(select(User).where(User.username == "operator")).password_hash = auth.hash_password("real-pass-1")
    session.commit()
    checked: list[str] = []
    real_check = auth.check_password_hash
    monkeypatch.setattr(auth, "check_password_hash", lambda stored, given: checked.append(stored) or
                        real_check(stored, given))
    assert auth.authenticate(session, "no-such-user", "whatever-pass") is None
    assert auth.authenticate(session, "operator", "whatever-pass") is None
    real_hash = session.scalar(select(User.password_hash).where(User.username == "operator"))
    assert len(checked) == 2
    method = real_hash.split("$")[0]
    assert checked[0].split("$")[0] == method and checked[0] != real_hash
