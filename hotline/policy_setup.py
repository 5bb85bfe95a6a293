"""The policy for a request: the process's cached copy (services.policy.PolicyCache), fixed for the request."""
from __future__ import annotations

from flask import current_app, g

from .db import get_session
from .services.policy import Policy


def current_policy() -> Policy:
    """The rules in force for this request (the same object for the whole request)."""
    if "policy" not in g:
        g.policy = current_app.extensions["hotline.policy"].get(get_session())
    return g.policy
