"""The demo city (衡阳市): a city package in hotline/data/cities/hengyang, its users sharing one demo password."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from models import utcnow

from .citypkg import ImportReport, import_package

DEMO_PASSWORD = "demo12345"
CITIES = Path(__file__).resolve().parent.parent / "data" / "cities"
DEMO_CITY = CITIES / "hengyang"
TEMPLATE = CITIES / "template"


def seed_demo(session: Session, password_hash: str, now: datetime | None = None) -> ImportReport:
    """Import the demo city's package; its new users get `password_hash` (the demo password) instead of a one-time one.

    Like any import it is idempotent: a second run changes nothing.
    """
    return import_package(session, DEMO_CITY, now or utcnow(), lambda _username: (None, password_hash))

