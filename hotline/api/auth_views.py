"""POST /auth/token: trade a username and password for a bearer token; POST /auth/password: change one's own."""
from flask import current_app, g, jsonify

from ..auth import Unauthorized, api_login_required, authenticate, issue_token
from ..db import get_session
from ..services import accounts
from . import bp
from .common import parse_body
from .schemas import PasswordChange, TokenRequest


def _token_answer(user):
    """A token for `user` with what a client needs to know about it."""
    return jsonify(
        token=issue_token(user),
        role=user.role.value,
        department=user.department.code if user.department else None,
        expires_in=current_app.config["TOKEN_TTL_SECONDS"],
        # A one-time password's token opens only POST /auth/password.
        must_change_password=user.must_change_password,
    )


@bp.post("/auth/token")
def token():
    """Log in; the token expires after TOKEN_TTL_SECONDS."""
    body = parse_body(TokenRequest)
    user = authenticate(get_session(), body.username, body.password)
    if user is None:
        raise Unauthorized("wrong_credentials")
    return _token_answer(user)


@bp.post("/auth/password")
@api_login_required(allow_one_time_password=True)
def change_password():
    """Set one's own password; the old tokens stop working, so the answer carries a new one."""
    body = parse_body(PasswordChange)
    accounts.change_password(get_session(), g.user, body.current_password, body.new_password,
                             minimum=int(current_app.config["PASSWORD_MIN_LENGTH"]))
    get_session().commit()
    return _token_answer(g.user)
