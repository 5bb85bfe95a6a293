"""延期申请 as lists: a ticket's requests, and the requests waiting for a supervisor's decision."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select

from models import ExtensionRequest, ExtensionStatus, Ticket


def of_ticket(session: Session, ticket: Ticket) -> list[ExtensionRequest]:
    """The ticket's extension requests, oldest first."""
    return list(session.scalars(
        select(ExtensionRequest).where(ExtensionRequest.ticket_id == ticket.id).order_by(ExtensionRequest.id)
    ))


def pending() -> Select:
    """Requests waiting for a decision, oldest first, with their tickets and units."""
    return (select(ExtensionRequest)
            .options(selectinload(ExtensionRequest.ticket).selectinload(Ticket.department))
            .where(ExtensionRequest.status == ExtensionStatus.PENDING)
            .order_by(ExtensionRequest.requested_at, ExtensionRequest.id))
