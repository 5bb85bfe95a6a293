"""Staff log in to the pages with a session cookie (separate from the API's bearer tokens)."""
from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from models import Role, User

from ..auth import authenticate, check_role, end_sessions, password_stamp, session_stamp
from ..db import get_session
from ..services import accounts, audit
from .common import perform
from .forms import WebForm

bp = Blueprint("auth", __name__)

# Each role's home page: where it lands after logging in.
HOME = {
    Role.OPERATOR: "operator.call",
    Role.DISPATCHER: "dispatcher.queue",
    Role.DEPARTMENT: "department.inbox",
    Role.SUPERVISOR: "supervisor.callbacks",
    Role.ADMIN: "admin.index",
}


class LoginForm(WebForm):
    """Username and password."""

    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64, message="用户名太长")])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=256, message="密码太长")])


class PasswordForm(WebForm):
    """The current password, and the new one twice."""

    current_password = PasswordField("当前密码", validators=[DataRequired("请输入当前密码"), Length(max=256, message="密码太长")])
    new_password = PasswordField("新密码", validators=[DataRequired("请输入新密码"), Length(max=256, message="密码太长")])
    confirm = PasswordField("再次输入新密码", validators=[DataRequired("请再次输入新密码"),
                                                    EqualTo("new_password", message="两次输入的新密码不一致")])


def session_seconds() -> float:
    """How long a page session lasts from login (one shift: SESSION_HOURS)."""
    return float(current_app.config["SESSION_HOURS"]) * 3600


def current_user() -> User | None:
    """The logged-in user of this request (cached on g), or None."""
    if "user" not in g:
        g.user = _user_from_session()
    return g.user


def _user_from_session() -> User | None:
    """The user the session cookie names, if still active and with the same password."""
    user_id = session.get("uid")
    if user_id is None:
        return None
    # The cookie is refreshed on every request (the live pages poll), so the shift is counted from login.
    if time.time() - session.get("at", 0) > session_seconds():
        session.clear()
        return None
    user = get_session().get(User, user_id)
    # A logout, a changed password or a deactivated account ends every open session of that user.
    if user is None or not user.active or session_stamp(user) != session.get("pw"):
        session.clear()
        return None
    audit.set_actor(get_session(), user.id, user.username)
    return user


def home_url(user: User) -> str:
    """The page a user of this role works from."""
    return url_for(HOME[user.role])


def login_required(*roles: Role) -> Callable:
    """Require a logged-in user, and one of `roles` if any are given (another role gets a 403 page)."""

    def decorator(view: Callable) -> Callable:
        """Wrap `view` in the check."""

        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            """Log in first, or be refused; then the view."""
            user = current_user()
            if user is None:
                target = request.full_path if request.method == "GET" else None
                return redirect(url_for("auth.login", next=target))
            if user.must_change_password:
                # A one-time password opens only the page that replaces it.
                return redirect(url_for("auth.password", next=request.full_path if request.method == "GET" else None))
            check_role(user, roles)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def safe_next(target: str | None) -> str | None:
    """Only a path on this site (no scheme or host), so the login page is no open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def start_session(user: User) -> None:
    """Write the session cookie for `user`: who, the stamp of their password, and when the shift began."""
    session.permanent = True  # the cookie outlives a closed browser window, up to PERMANENT_SESSION_LIFETIME
    session["uid"], session["pw"] = user.id, session_stamp(user)  # the cookie is readable: no hash bits
    session["at"] = int(time.time())


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with username and password; land on the role's home page (or where the user was going)."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = authenticate(get_session(), form.username.data.strip(), form.password.data)
        if user is not None:
            # A fresh session on login: no fixation of an earlier cookie.
            session.clear()
            start_session(user)
            g.user = user
            if user.must_change_password:
                return redirect(url_for("auth.password", next=request.args.get("next")))
            return redirect(safe_next(request.args.get("next")) or home_url(user))
        form.password.errors.append("用户名或密码错误，或账号已停用")
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """End the user's sessions on every host (a POST with the CSRF token, so no other site can log staff out).

    Clearing this cookie alone is not enough: a copy of it (another tab's host, a stolen cookie) would still work.
    """
    user = current_user()
    if user is not None:
        end_sessions(user)
        get_session().commit()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    """Change one's own password (every role, from the menu); a one-time password must be replaced here first."""
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        minimum = int(current_app.config["PASSWORD_MIN_LENGTH"])
        if perform(lambda: accounts.change_password(get_session(), user, form.current_password.data,
                                                    form.new_password.data, minimum=minimum),
                   form, done="密码已修改。其他已登录的页面需重新登录。") is None:
            start_session(user)  # this page stays logged in; the other sessions' stamps no longer match
            return redirect(safe_next(request.args.get("next")) or home_url(user))
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template("auth/password.html", form=form, forced=user.must_change_password), status
