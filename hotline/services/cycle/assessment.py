"""每年一考核: a score per unit from the year's response, solved and satisfaction rates, ranked."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..policy import Policy
from . import reports
from .periods import Period


def compute(session: Session, year: Period, policy: Policy, as_of: datetime,
            department_id: int | None = None) -> dict[str, Any]:
    """The year's report (same figures as a month's, over the whole year) with scores and ranks."""
    body = reports.compute(session, year, as_of, policy.cycle_rules.assessment_weights, department_id,
                           rules=policy.cycle_rules)
    # The three rates the score is made of, named as the assessment names them.
    body["score_components"] = dict(reports.SCORE_RATES)
    return body
