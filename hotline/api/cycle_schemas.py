"""Request bodies of the supervision-cycle API, validated as strictly as the rest (see schemas.py)."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Optional

from pydantic import Field

from models import SupervisionLevel

from .schemas import Strict, text


class HolidayRequest(Strict):
    """A local calendar override: the day, whether it is worked, and why."""

    day: date
    is_workday: bool
    note: text(200, 0) = ""


class PublishRequest(Strict):
    """Publishing a report: an optional note shown with the revision."""

    note: text(1000, 0) = ""


class RectificationStep(Strict):
    """One step of the rectification list (整改清单)."""

    action: text(500)
    deadline: date
    done: bool = False


class SupervisionUpdate(Strict):
    """The three lists (三单) and the level of a case; fields left out stay as they are."""

    problem: Optional[text(5000)] = None
    responsible_person: Optional[text(100)] = None
    level: Optional[SupervisionLevel] = None
    rectification: Optional[Annotated[list[RectificationStep], Field(max_length=50)]] = None


class CloseRequest(Strict):
    """销号: the written resolution; while the ticket is not closed, also why the case closes anyway."""

    resolution: text(5000)
    open_ticket_reason: text(5000, 0) = ""


class RectificationUpdate(Strict):
    """The responsible unit's rectification steps (整改清单), replacing the list."""

    steps: Annotated[list[RectificationStep], Field(max_length=50)]


class RevisitRequest(Strict):
    """回头看: whether the fix held, and what the caller said (required when it did not)."""

    held: bool
    comment: text(1000, 0) = ""


class BatchCreate(Strict):
    """集中交办: the unit, the tickets (numbers) and the day by which the batch is due."""

    department: text(32)
    tickets: Annotated[list[text(20)], Field(min_length=1, max_length=500)]
    deadline: date
    note: text(1000, 0) = ""
