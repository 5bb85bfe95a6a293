"""整改清单 by the responsible unit: it sees its supervision cases and keeps its own rectification steps.

The supervisor still writes the problem, names the responsible person, sets the level and closes (销号);
the unit writes the steps it takes and marks them done. Every change by the unit is an event on the ticket.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models import EventAction, Role, SupervisionCase, User

from . import workflow
from .cycle import supervision
from .cycle.supervision import Step
from .errors import Forbidden, InvalidInput


def update_steps(session: Session, case: SupervisionCase, steps: list[Step], actor: User,
                 now: datetime) -> SupervisionCase:
    """Replace the case's rectification steps with the unit's list (actions, deadlines, done marks)."""
    if actor.role != Role.DEPARTMENT:
        raise Forbidden("role_required", roles=["department"], role=actor.role.value)
    supervision.find(session, case.id, actor.department_id)  # another unit's case does not exist for it
    for index, step in enumerate(steps, start=1):
        if not step.action.strip():
            raise InvalidInput("step_action_required", field="rectification", index=index)
    supervision.update_lists(session, case, steps=steps)
    done = sum(1 for step in steps if step.done)
    workflow.record(session, case.ticket, EventAction.RECTIFICATION_UPDATED, actor, now,
                    note=f"{done}/{len(steps)}", data={"case": case.id, "steps": len(steps), "done": done})
    return case
