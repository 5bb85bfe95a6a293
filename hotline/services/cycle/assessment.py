"""每年一考核: a score per unit from the year's response, solved and satisfaction rates, ranked."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Department

from .. import count_appeals
from ..policy import Policy
from . import practice_figures, reports
from .periods import Period


def compute(session: Session, year: Period, policy: Policy, as_of: datetime,
            department_id: int | None = None) -> dict[str, Any]:
    """The year's report (same figures as a month's, over the whole year) with scores and ranks.

    The accepted 申诉/核减 of the year's months are left out as the monthly reports leave them out, before the
    ranking (so every unit is computed, and a unit's own view cut from that).
    """
    body = reports.compute(session, year, as_of, policy.cycle_rules.assessment_weights, rules=policy.cycle_rules)
    appeals = count_appeals.leave_out_accepted(session, body, year, policy, as_of)
    body["count_appeals"] = [count_appeals.appeal_line(a, policy.tz) for a in appeals]
    # The three rates the score is made of, named as the assessment names them.
    body["score_components"] = dict(reports.SCORE_RATES)
    if department_id is not None:
        code = session.scalar(select(Department.code).where(Department.id == department_id))
        body = practice_figures.unit_view(body, code)
    return body
