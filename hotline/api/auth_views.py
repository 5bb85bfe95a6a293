"""POST /auth/token: trade a username and password for a bearer token."""
from flask import current_app, jsonify

from ..auth import Unauthorized, authenticate, issue_token
from ..db import get_session
from . import bp
from .common import parse_body
from .schemas import TokenRequest


@bp.post("/auth/token")
def token():
    """Log in; the token expires after TOKEN_TTL_SECONDS."""
    body = parse_body(TokenRequest)
    user = authenticate(get_session(), body.username, body.password)
    if user is None:
        raise Unauthorized("wrong_credentials")
    return jsonify(
        token=issue_token(user),
        role=user.role.value,
        department=user.department.code if user.department else None,
        expires_in=current_app.config["TOKEN_TTL_SECONDS"],
    )
