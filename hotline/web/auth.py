"""Staff log in to the pages with a session cookie (separate from the API's bearer tokens)."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from models import Role, User

from ..auth import authenticate, check_role, password_stamp
from ..db import get_session
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
    user = get_session().get(User, user_id)
    # A changed password or a deactivated account ends every open session of that user.
    if user is None or not user.active or password_stamp(user) != session.get("pw"):
        session.clear()
        return None
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
            check_role(user, roles)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (no scheme or host), so the login page is no open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


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
            session["uid"], session["pw"] = user.id, password_stamp(user)  # the cookie is readable: no hash bits
            g.user = user
            return redirect(_safe_next(request.args.get("next")) or home_url(user))
        form.password.errors.append("用户名或密码错误，或账号已停用")
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """End the session (a POST with the CSRF token, so no other site can log staff out)."""
    session.clear()
    return redirect(url_for("auth.login"))
