"""Who is calling: password checks, signed expiring API tokens, and role guards."""
from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from flask import current_app, g, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from models import Role, User

from .db import get_session
from .services import audit
from .services.errors import DomainError, Forbidden, Unauthorized

TOKEN_SALT = "hotline.api-token"


def hash_password(password: str) -> str:
    """A salted hash fit for storage."""
    return generate_password_hash(password)


def one_time_password() -> str:
    """A random initial password to hand over once (its user replaces it at first login)."""
    return secrets.token_urlsafe(9)


@functools.cache
def _dummy_hash() -> str:
    """A hash made like the real ones, checked for an unknown username."""
    return hash_password(secrets.token_urlsafe(16))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None.

    An unknown username costs one hash check too, so the answer's timing does not tell which usernames exist.
    """
    user = session.scalar(select(User).where(User.username == username))
    matches = check_password_hash(user.password_hash if user else _dummy_hash(), password)
    if user is None or not user.active or not matches:
        return None
    return user


def _serializer() -> URLSafeTimedSerializer:
    """Tokens are signed with the app's secret, so any host behind the balancer can check them."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def issue_token(user: User) -> str:
    """A bearer token for `user`; it expires after TOKEN_TTL_SECONDS."""
    return _serializer().dumps({"u": user.id, "p": password_stamp(user)})


def password_stamp(user: User) -> str:
    """A short digest of the password hash: a password change invalidates tokens, and the token reveals nothing."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def session_stamp(user: User) -> str:
    """What a page session cookie must carry: a new password, a logout or a deactivation changes it."""
    material = f"{user.password_hash}\n{user.session_generation}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def end_sessions(user: User) -> None:
    """End every page session of `user` on every host (the stamp in their cookies no longer matches)."""
    user.session_generation += 1


def user_from_token(session: Session, token: str) -> User:
    """The user a valid, unexpired token names; Unauthorized otherwise."""
    try:
        payload = _serializer().loads(token, max_age=current_app.config["TOKEN_TTL_SECONDS"])
    except SignatureExpired:
        raise Unauthorized("token_expired") from None
    except BadSignature:
        raise Unauthorized("token_invalid") from None
    user = session.get(User, payload.get("u"))
    if user is None or not user.active or password_stamp(user) != payload.get("p"):
        raise Unauthorized("token_invalid")
    return user


def api_login_required(*roles: Role, allow_one_time_password: bool = False) -> Callable:
    """Require a bearer token, and one of `roles` if any are given.

    A user still on a one-time password is refused everything but the call that replaces it.
    """

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token:
                raise Unauthorized("token_missing")
            g.user = user_from_token(get_session(), token.strip())
            audit.set_actor(get_session(), g.user.id, g.user.username)
            if g.user.must_change_password and not allow_one_time_password:
                raise Forbidden("password_change_required")
            check_role(g.user, roles)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def check_role(user: User, roles: tuple[Role, ...]) -> None:
    """Refuse a user whose role is not among `roles`."""
    if roles and user.role not in roles:
        raise Forbidden("role_required", roles=[r.value for r in roles], role=user.role.value)
