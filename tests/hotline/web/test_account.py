"""A shift-long session, one's own password from any page, and one-time passwords replaced at first login."""
import re
import time

import pytest

from hotline.auth import hash_password
from hotline.services.demo import DEMO_PASSWORD
from tests.builders import user

from .conftest import text

CSRF_ON = pytest.mark.app_config(WTF_CSRF_ENABLED=True)
NEW = "my-own-pass-1"


def login(client, username="operator", password=DEMO_PASSWORD, next_=None):
    """Log in through the form (CSRF on or off)."""
    page = text(client.get("/login"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {"username": username, "password": password, "csrf_token": token.group(1) if token else ""}
    return client.post("/login" + (f"?next={next_}" if next_ else ""), data=data)


def form_token(page: str) -> str:
    """The CSRF token of the first form on a page."""
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_every_page_links_to_the_password_page(pages):
    for username, path in (("operator", "/operator/"), ("zjj", "/department/"), ("admin", "/admin/")):
        assert 'href="/account/password"' in text(pages.get(username, path))


def test_changing_ones_password_ends_the_other_sessions_but_not_this_one(app, session):
    here, elsewhere = app.test_client(), app.test_client()
    login(here), login(elsewhere)
    response = here.post("/account/password", data={"current_password": DEMO_PASSWORD, "new_password": NEW,
                                                    "confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"] == "/operator/"
    assert "密码已修改" in text(here.get("/operator/"))
    assert elsewhere.get("/operator/").status_code == 302  # the other desk logs in again
    assert login(app.test_client(), password=NEW).status_code == 302
    assert login(app.test_client(), password=DEMO_PASSWORD).status_code == 401


@pytest.mark.parametrize(("form", "message"), [
    ({"current_password": "wrong", "new_password": NEW, "confirm": NEW}, "当前密码不正确"),
    ({"current_password": DEMO_PASSWORD, "new_password": "short", "confirm": "short"}, "新密码至少 8 位"),
    ({"current_password": DEMO_PASSWORD, "new_password": DEMO_PASSWORD, "confirm": DEMO_PASSWORD}, "不能与当前密码相同"),
    ({"current_password": DEMO_PASSWORD, "new_password": NEW, "confirm": NEW + "x"}, "两次输入的新密码不一致"),
])
def test_a_refused_password_change_says_why_and_changes_nothing(pages, form, message):
    response = pages.post("operator", "/account/password", form)
    assert response.status_code == 400
    assert message in text(response)
    assert pages.get("operator", "/operator/").status_code == 200  # still logged in with the old password


def test_a_one_time_password_must_be_replaced_before_any_page(app, session):
    row = user(session, "zjj")
    row.password_hash, row.must_change_password = hash_password("handed-over-1"), True
    session.commit()
    client = app.test_client()
    response = login(client, "zjj", "handed-over-1", next_="/department/")
    assert response.headers["Location"].startswith("/account/password")
    assert client.get("/department/").headers["Location"].startswith("/account/password")
    assert "一次性初始密码" in text(client.get("/account/password"))
    response = client.post("/account/password?next=/department/",
                           data={"current_password": "handed-over-1", "new_password": NEW, "confirm": NEW})
    assert response.headers["Location"] == "/department/"
    assert client.get("/department/").status_code == 200
    session.expire_all()
    assert not user(session, "zjj").must_change_password


def test_a_session_lasts_the_configured_shift_from_login(app, monkeypatch):
    client = app.test_client()
    login(client)
    hours = app.config["SESSION_HOURS"]
    started = time.time()
    monkeypatch.setattr(time, "time", lambda: started + hours * 3600 - 60)
    assert client.get("/operator/").status_code == 200  # polling pages keep the cookie fresh, not the shift
    monkeypatch.setattr(time, "time", lambda: started + hours * 3600 + 60)
    response = client.get("/operator/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_csrf_token_lives_as_long_as_the_session(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] == app.config["SESSION_HOURS"] * 3600
    assert app.permanent_session_lifetime.total_seconds() == app.config["SESSION_HOURS"] * 3600


@CSRF_ON
def test_a_form_posted_after_the_session_ended_leads_to_login_and_back(app):
    client = app.test_client()
    login(client)
    token = form_token(text(client.get("/operator/")))
    client.delete_cookie("session")  # the session is gone (expired, or the browser dropped it)
    response = client.post("/operator/", data={"csrf_token": token, "content": "……"},
                           headers={"Referer": "http://localhost/operator/?created=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/operator/"
    assert "登录已超时" in text(client.get(response.headers["Location"]))


@CSRF_ON
def test_a_forged_form_with_a_live_session_is_still_refused(app):
    client = app.test_client()
    login(client)
    response = client.post("/operator/", data={"csrf_token": "forged", "content": "……"})
    assert response.status_code == 400
    assert "安全令牌" in text(response)
