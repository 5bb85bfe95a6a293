"""Keep ``work_orders`` in step with the events the workflow writes (same transaction, the ticket's own rows)."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from models import EventAction, Ticket, TicketEvent, TicketStatus, WorkOrder

from .figures import DISPATCH_ACTIONS


def note(session: Session, ticket: Ticket, event: TicketEvent, tz: ZoneInfo | None = None) -> None:
    """Record what ``event`` tells the reports: a first dispatch to a unit (needs ``tz``), a return, a sign, a reply."""
    unit = event.department_id
    if unit is None:
        return
    # Waiting for its first dispatch (never returned, never reopened): no work order can exist, so no look-up.
    first = (event.from_status == TicketStatus.PENDING_DISPATCH and not ticket.return_count
             and not ticket.reopen_count)
    known = None if ticket.id is None or first else session.get(WorkOrder, (ticket.id, unit))
    if event.action in DISPATCH_ACTIONS:
        if known is None:  # only the first dispatch to the unit counts; a later one changes nothing
            session.add(WorkOrder(
                ticket=ticket, department_id=unit, dispatched_at=event.at, day=event.at.astimezone(tz).date(),
                returned=False, signed_round=False, signed_late=False, replied_round=False, replied_late=False))
        return
    if known is None:
        return  # no dispatch to this unit was ever recorded: nothing of it is counted
    if event.action == EventAction.RETURNED:
        known.returned = True
    elif event.action == EventAction.SIGNED and ticket.sign_by is not None:
        known.signed_round = True
        known.signed_late = known.signed_late or event.at > ticket.sign_by
    elif event.action == EventAction.REPLIED and ticket.reply_by is not None:
        known.replied_round = True
        known.replied_late = known.replied_late or event.at > ticket.reply_by
