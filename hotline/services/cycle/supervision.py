"""每季一督办: supervision cases opened for a quarter's problem tickets, with 三单 and 销号."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload
from sqlalchemy.sql import Select

from models import (
    Callback,
    EventAction,
    Satisfaction,
    SupervisionCase,
    SupervisionLevel,
    SupervisionReason,
    SupervisionStatus,
    Ticket,
    TicketEvent,
    TicketGrade,
    TicketStatus,
    User,
)

from .. import claims, workflow
from . import reports
from ..errors import Conflict, InvalidInput, InvalidTransition, NotFound
from ..policy import Policy
from .flags import instant
from .periods import Period

R = SupervisionReason
REASON_LABELS = {
    R.REPEAT_COMPLAINT: "反复投诉",
    R.LONG_OVERDUE: "超期未办结",
    R.UNSATISFIED_AFTER_REOPEN: "重办后仍不满意",
    R.DIFFICULT: "疑难工单",
}


@dataclass(frozen=True)
class Step:
    """One rectification step (整改措施) with its deadline."""

    action: str
    deadline: date
    done: bool = False


def candidates(session: Session, quarter: Period, repeat_min: int) -> dict[int, dict[str, Any]]:
    """ticket id → {reasons, details} for every ticket the quarter's four rules select (four SQL queries)."""
    start, end = instant(quarter.start), instant(quarter.end)
    reports.no_jit(session)
    found: dict[int, dict[str, Any]] = {}

    def add(ticket_id: int, reason: SupervisionReason, **details: Any) -> None:
        """Note one more reason (and its evidence) for a ticket."""
        entry = found.setdefault(ticket_id, {"reasons": [], "details": {}})
        entry["reasons"].append(reason.value)
        entry["details"].update(details)

    # 1. Repeat complaints: the original ticket was repeated at least `repeat_min` times in the quarter.
    repeats = session.execute(
        select(Ticket.repeat_of_id, func.count())
        .where(Ticket.repeat_of_id.is_not(None), Ticket.created_at >= start, Ticket.created_at < end)
        .group_by(Ticket.repeat_of_id).having(func.count() >= repeat_min)
    )
    for ticket_id, count in repeats:
        add(ticket_id, R.REPEAT_COMPLAINT, repeats_in_quarter=count)
    # 2. Overdue by more than the black-flag working days: that moment fell in the quarter, still unreplied then.
    overdue = session.scalars(
        select(Ticket.id).where(
            Ticket.reply_black_at >= start, Ticket.reply_black_at < end,
            or_(Ticket.replied_at.is_(None), Ticket.replied_at > Ticket.reply_black_at))
    )
    for ticket_id in overdue:
        add(ticket_id, R.LONG_OVERDUE)
    # 3. A reached callback in the quarter found it unsolved or 不满意 after an earlier reopen (重办).
    reopen = aliased(TicketEvent)
    unsatisfied = session.scalars(
        select(Callback.ticket_id).distinct().where(
            Callback.at >= start, Callback.at < end, Callback.reached.is_(True),
            or_(Callback.satisfaction == Satisfaction.UNSATISFIED, Callback.solved.is_(False)),
            exists().where(reopen.ticket_id == Callback.ticket_id, reopen.action == EventAction.REOPENED,
                           reopen.at < Callback.at))
    )
    for ticket_id in unsatisfied:
        add(ticket_id, R.UNSATISFIED_AFTER_REOPEN)
    # 4. Flagged difficult (疑难) in the quarter.
    difficult = session.scalars(
        select(TicketEvent.ticket_id).distinct().where(
            TicketEvent.action == EventAction.FLAGGED_DIFFICULT, TicketEvent.at >= start, TicketEvent.at < end)
    )
    for ticket_id in difficult:
        add(ticket_id, R.DIFFICULT)
    return found


def level_for(reasons: list[str], grade: TicketGrade | None = None) -> SupervisionLevel:
    """分级解决: grade D tickets, difficult ones and those with several reasons go to a city leader."""
    if grade == TicketGrade.D or R.DIFFICULT.value in reasons or len(reasons) >= 2:
        return SupervisionLevel.CITY_LEADER
    return SupervisionLevel.DEPARTMENT_HEAD


def problem_text(ticket: Ticket, reasons: list[str], details: dict[str, Any]) -> str:
    """The problem list (问题清单) a new case starts with."""
    labels = []
    for reason in reasons:
        label = REASON_LABELS[SupervisionReason(reason)]
        if reason == R.REPEAT_COMPLAINT.value:
            label += f"（本季度重复来电{details.get('repeats_in_quarter', 0)}次）"
        labels.append(label)
    return f"工单{ticket.number}「{ticket.title}」：{'；'.join(labels)}。"


def open_cases(session: Session, quarter: Period, policy: Policy, now: datetime) -> list[SupervisionCase]:
    """Open a case for every candidate ticket without one this quarter or an open one from before."""
    rules = policy.cycle_rules
    found = candidates(session, quarter, rules.supervision_repeat_min)
    if not found:
        return []
    busy = set(session.scalars(
        select(SupervisionCase.ticket_id).where(
            SupervisionCase.ticket_id.in_(found),
            or_(SupervisionCase.quarter == quarter.label, SupervisionCase.status == SupervisionStatus.OPEN))
    ))
    tickets = session.scalars(select(Ticket).where(Ticket.id.in_(set(found) - busy)).order_by(Ticket.id)).all()
    deadline = policy.calendar.add_working_days(now, rules.supervision_deadline_working_days)
    cases = []
    for ticket in tickets:
        reasons, details = found[ticket.id]["reasons"], found[ticket.id]["details"]
        case = SupervisionCase(
            quarter=quarter.label, ticket=ticket, department_id=ticket.department_id, reasons=reasons,
            level=level_for(reasons, ticket.grade), status=SupervisionStatus.OPEN, problem=problem_text(ticket, reasons, details),
            responsible_person="", rectification=[], details=details or None, deadline=deadline, opened_at=now,
        )
        session.add(case)
        claims.lock(session, ticket)  # the job's change to the ticket must not race a unit's action
        _note_deadline(ticket, deadline)
        cases.append(case)
    session.flush()
    for case in cases:
        workflow.record(session, case.ticket, EventAction.SUPERVISED, None, now,
                        note=case.problem, data={"case": case.id, "quarter": quarter.label, "reasons": case.reasons,
                                                 "level": case.level.value, "deadline": deadline.isoformat()})
    session.flush()
    return cases


def _note_deadline(ticket: Ticket, deadline: datetime) -> None:
    """The ticket turns black if any of its cases misses its deadline: keep the earliest such deadline."""
    if ticket.supervision_black_at is None or deadline < ticket.supervision_black_at:
        ticket.supervision_black_at = deadline


def find(session: Session, case_id: int, department_id: int | None = None) -> SupervisionCase:
    """The case with this id (a department sees only its own unit's); 404 otherwise."""
    # An id beyond any integer column is simply not there (and must not overflow the query).
    case = session.get(SupervisionCase, case_id) if 0 < case_id < 2**31 else None
    if case is None or (department_id is not None and case.department_id != department_id):
        raise NotFound("supervision_case_not_found", field="id", id=case_id)
    return case


def cases_query(
    quarter: str | None = None, status: SupervisionStatus | None = None, department_id: int | None = None, *,
    order: str = "opened",
) -> Select:
    """Cases, filtered, oldest first (or, order="deadline", the nearest deadline first), with ticket and unit."""
    query = (select(SupervisionCase)
             .options(selectinload(SupervisionCase.ticket), selectinload(SupervisionCase.department))
             .order_by(*((SupervisionCase.deadline,) if order == "deadline" else ()), SupervisionCase.id))
    if quarter:
        query = query.where(SupervisionCase.quarter == quarter)
    if status is not None:
        query = query.where(SupervisionCase.status == status)
    if department_id is not None:
        query = query.where(SupervisionCase.department_id == department_id)
    return query


def list_cases(
    session: Session, quarter: str | None = None, status: SupervisionStatus | None = None,
    department_id: int | None = None,
) -> list[SupervisionCase]:
    """Cases, filtered, oldest first."""
    return list(session.scalars(cases_query(quarter, status, department_id)))


def _require_open(session: Session, case: SupervisionCase) -> None:
    """A closed (销号) case is final; of two concurrent changes to a case, one wins."""
    if case.status != SupervisionStatus.OPEN:
        raise InvalidTransition("supervision_case_closed", id=case.id)
    if not claims.try_claim(session, case):
        raise Conflict("supervision_concurrent_change", id=case.id, status=case.status.value)


def update_lists(
    session: Session, case: SupervisionCase, *, problem: str | None = None, responsible_person: str | None = None,
    level: SupervisionLevel | None = None, steps: list[Step] | None = None,
) -> SupervisionCase:
    """Fill in the three lists (三单) or change the level of an open case."""
    _require_open(session, case)
    if problem is not None:
        case.problem = problem
    if responsible_person is not None:
        case.responsible_person = responsible_person
    if level is not None:
        case.level = level
    if steps is not None:
        # JSON columns are replaced, never mutated in place, so the change is always saved.
        case.rectification = [
            {"action": step.action, "deadline": step.deadline.isoformat(), "done": step.done} for step in steps
        ]
    session.flush()
    return case


def close(session: Session, case: SupervisionCase, resolution: str, actor: User, now: datetime, *,
          open_ticket_reason: str = "") -> SupervisionCase:
    """销号: close the case with a written resolution, once every rectification step is done.

    While the ticket itself is not closed, the supervisor must also say why the case closes anyway.
    """
    _require_open(session, case)
    if not resolution.strip():
        raise InvalidInput("resolution_required", field="resolution")
    if not case.responsible_person.strip():
        raise InvalidTransition("supervision_no_responsible", field="responsible_person", id=case.id)
    pending = [step["action"] for step in case.rectification if not step.get("done")]
    if pending:
        raise InvalidTransition("supervision_steps_pending", field="rectification", id=case.id, steps=pending)
    ticket_open = case.ticket.status != TicketStatus.CLOSED
    if ticket_open and not open_ticket_reason.strip():
        raise InvalidTransition("supervision_ticket_open", field="open_ticket_reason", id=case.id,
                                number=case.ticket.number, status=case.ticket.status.value)
    workflow.take(session, case.ticket)
    case.status = SupervisionStatus.CLOSED
    case.resolution = resolution
    case.closed_at = now
    case.closed_by_id = actor.id
    if now <= case.deadline:
        _recompute_black(session, case.ticket, closing=case)
    data: dict[str, Any] = {"case": case.id, "on_time": now <= case.deadline}
    if ticket_open:
        # Kept with the case too, so its page and JSON say the ticket was still open, and why it closed anyway.
        data["ticket_open"] = {"status": case.ticket.status.value, "reason": open_ticket_reason.strip()}
        case.details = {**(case.details or {}), "closed_while_ticket_open": data["ticket_open"]}
    workflow.record(session, case.ticket, EventAction.SUPERVISION_CLOSED, actor, now, note=resolution, data=data)
    session.flush()
    return case


def _recompute_black(session: Session, ticket: Ticket, closing: SupervisionCase) -> None:
    """After a case closed in time, only the ticket's other open or late-closed cases can make it black."""
    missed = session.scalar(
        select(func.min(SupervisionCase.deadline)).where(
            SupervisionCase.ticket_id == ticket.id, SupervisionCase.id != closing.id,
            or_(SupervisionCase.status == SupervisionStatus.OPEN,
                and_(SupervisionCase.closed_at.is_not(None), SupervisionCase.closed_at > SupervisionCase.deadline)))
    )
    ticket.supervision_black_at = missed
