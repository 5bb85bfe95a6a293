"""Security headers on every answer, the session cookie's flags, and sessions that really end."""
import pytest
from flask import Flask
from sqlalchemy import select

from hotline import security
from hotline.services.demo import DEMO_PASSWORD
from models import User

from .conftest import text


def copy_of(pages, username: str):
    """A second client holding a copy of `username`'s session cookie (another tab, host, or a thief)."""
    original = pages.as_(username)
    other = pages.app.test_client()
    cookie = original.get_cookie("session")
    other.set_cookie("session", cookie.value)
    return original, other


@pytest.mark.parametrize("path", ["/login", "/operator/", "/no-such-page", "/api/v1/tickets", "/healthz"])
def test_every_answer_has_the_security_headers(pages, path):
    response = pages.get("operator", path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    with client.get("/static/app.js") as response:
        assert response.status_code == 200
        assert response.headers.get("Cache-Control") != "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_page_has_inline_script(pages, desk):
    number = desk.call()
    for username, path in [("operator", "/operator/"), ("dispatcher", "/dispatcher/"), ("dispatcher", f"/tickets/{number}"),
                           ("admin", "/admin/"), ("supervisor", "/supervisor/"), ("supervisor", "/supervisor/reports/monthly")]:
        response = pages.get(username, path)
        assert response.status_code == 200, path
        page = text(response)
        for tag in page.split("<script")[1:]:
            assert " src=" in tag.split(">")[0], (path, tag[:80])
        assert " onclick=" not in page and " onsubmit=" not in page and "javascript:" not in page


def test_login_cookie_is_httponly_samesite_and_secure(client):
    response = client.post("/login", data={"username": "operator", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


@pytest.mark.parametrize(("embedded", "setting", "secure"), [
    (True, None, False), (False, None, True), (False, False, False), (True, True, True)])
def test_cookie_is_secure_unless_embedded_or_set(embedded, setting, secure):
    app = Flask(__name__)
    app.config["SESSION_COOKIE_SECURE"] = setting
    security.init_app(app, embedded)
    assert app.config["SESSION_COOKIE_SECURE"] is secure
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_logout_ends_every_copy_of_the_session(pages):
    original, other = copy_of(pages, "operator")
    assert other.get("/operator/").status_code == 200
    original.post("/logout")
    assert other.get("/operator/").status_code == 302  # to the login page
    assert pages.get("dispatcher", "/dispatcher/").status_code == 200  # another user's session goes on


def test_password_change_ends_the_users_sessions(pages):
    _, other = copy_of(pages, "operator")
    with pages.app.extensions["hotline.sessionmaker"]() as db:
        user_id = db.scalar(select(User.id).where(User.username == "operator"))
    response = pages.post("admin", f"/admin/users/{user_id}", {"username": "operator", "role": "operator",
                                                                "password": "a-new-password", "active": "y"})
    assert response.status_code == 302
    assert other.get("/operator/").status_code == 302


def test_deactivation_ends_sessions_for_good(pages, session):
    _, other = copy_of(pages, "operator")
    user = session.scalar(select(User).where(User.username == "operator"))
    for active in ("", "y"):  # disable, then enable again: the old cookie stays dead
        form = {"username": "operator", "role": "operator", **({"active": active} if active else {})}
        assert pages.post("admin", f"/admin/users/{user.id}", form).status_code == 302
    session.refresh(user)
    assert user.active
    assert other.get("/operator/").status_code == 302
