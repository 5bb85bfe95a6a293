"""GET /live/counts: what the open pages poll to refresh their lists and the menu's counts."""
from __future__ import annotations

from flask import Blueprint, jsonify

from .. import clock
from ..db import get_session
from ..services.live import live_counts
from .auth import current_user
from .common import policy
from .messages import zh

bp = Blueprint("live", __name__, url_prefix="/live")


@bp.get("/counts")
def counts():
    """The user's role's counts and list stamps; 401 once the session has ended (the page then stops polling)."""
    user = current_user()
    if user is None or user.must_change_password:
        return jsonify(error="unauthorized", message=zh("unauthorized")), 401
    return jsonify(live_counts(get_session(), user, policy(), clock.now()))
