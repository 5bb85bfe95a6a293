"""The current time; tests and demos may pin it with the CLOCK setting (a zero-argument callable)."""
from __future__ import annotations

from datetime import datetime

from flask import current_app

from models import utcnow


def now() -> datetime:
    """Now, as an aware UTC datetime."""
    clock = current_app.config.get("CLOCK")
    return clock() if clock else utcnow()
