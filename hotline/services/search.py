"""Finding tickets: the centre's lookup, the API's filtered list and a unit's inbox, each one query."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, case, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select

from models import AppealType, Channel, Department, Role, Ticket, TicketCoUnit, TicketEvent, TicketStatus, User

from .access import visible_to
from .cycle.flags import flag_sql, instant
from .cycle.rules import CycleRules
from .errors import InvalidInput, NotFound
from .handlers import handler_filter
from .paging import newest_after

S = TicketStatus
# What a unit's inbox shows for each status filter (None: everything).
INBOX_STATUSES: dict[str, tuple[TicketStatus, ...] | None] = {
    "open": (S.DISPATCHED, S.SIGNED),
    "dispatched": (S.DISPATCHED,),
    "signed": (S.SIGNED,),
    "replied": (S.REPLIED,),
    "closed": (S.CLOSED,),
    "all": None,
}
INBOX_SORTS = ("due", "sign", "flag", "new", "old")
NEWEST_FIRST = (Ticket.created_at.desc(), Ticket.id.desc())


def by_number(session: Session, number: str) -> Ticket | None:
    """The ticket with this number, or None (for staff who see every ticket)."""
    return session.scalar(select(Ticket).where(Ticket.number == number))


def after_ticket(session: Session, user: User, number: str) -> ColumnElement[bool]:
    """Keyset paging of a newest-first list: the rows after the ticket `number` (one `user` may see), or a 404."""
    row = session.execute(select(Ticket.created_at, Ticket.id).where(Ticket.number == number, visible_to(user))).first()
    if row is None:
        raise NotFound("ticket_not_found", field="after", number=number)
    return newest_after(Ticket.created_at, Ticket.id, (row.created_at, row.id))


def list_options(*, events: bool = False) -> list:
    """What a ticket list loads with its tickets in one query each (and the history if `events`)."""
    options = [selectinload(Ticket.department), selectinload(Ticket.category),
               selectinload(Ticket.predicted_department), selectinload(Ticket.repeat_of),
               selectinload(Ticket.handler), selectinload(Ticket.co_units).selectinload(TicketCoUnit.department)]
    if events:
        options.append(selectinload(Ticket.events).options(selectinload(TicketEvent.actor),
                                                           selectinload(TicketEvent.department)))
    return options


def search_tickets(
    user: User, *, statuses: Sequence[TicketStatus] = (), appeal_types: Sequence[AppealType] = (),
    number: str | None = None, caller_phone: str | None = None, department_code: str | None = None,
    district: str | None = None, channels: Sequence[Channel] = (), handler: str | None = None,
) -> Select:
    """The tickets `user` may see that match every filter given, newest first (each filter uses an index)."""
    query = select(Ticket).where(visible_to(user))
    mine = handler_filter(user, handler)  # a unit's handler view: ?handler=me|none
    if mine is not None:
        query = query.where(mine)
    if statuses:
        query = query.where(Ticket.status.in_(statuses))
    if appeal_types:
        query = query.where(Ticket.appeal_type.in_(appeal_types))
    if number:
        query = query.where(Ticket.number == number)
    if caller_phone:
        if user.role == Role.DEPARTMENT:
            raise InvalidInput("phone_search_not_allowed", field="caller_phone")
        query = query.where(Ticket.caller_phone == caller_phone)
    if department_code:
        query = query.where(Ticket.department_id == select(Department.id).where(Department.code == department_code)
                            .scalar_subquery())
    if district:
        query = query.where(Ticket.district == district)
    if channels:
        query = query.where(Ticket.channel.in_(channels))  # ix_tickets_channel_created
    # created_at matches the (status|caller_phone, created_at) indexes, so a filtered page needs no sort.
    return query.order_by(*NEWEST_FIRST)


def inbox(
    user: User, now: datetime, rules: CycleRules, *, status: str = "open", flag: str | None = None,
    urgency: str | None = None, appeal_type: str | None = None, number: str | None = None, sort: str = "due",
    handler: str | None = None,
) -> Select:
    """A unit's tickets matching the filters, in the chosen order (the index on unit and status serves it)."""
    flag_now = flag_sql(instant(now), rules)
    # The rows show their handler: loaded with the page, not one query per row.
    query = select(Ticket).where(visible_to(user)).options(selectinload(Ticket.handler))
    mine = handler_filter(user, handler)
    if mine is not None:
        query = query.where(mine)
    statuses = INBOX_STATUSES[status]
    if statuses:
        query = query.where(Ticket.status.in_(statuses))
    if flag:
        query = query.where(flag_now == flag)
    for name, value in (("urgency", urgency), ("appeal_type", appeal_type), ("number", number)):
        if value:
            query = query.where(getattr(Ticket, name) == value)
    # Deadlines ascending with the undated last: NULLS LAST is how PostgreSQL's (…, reply_by) indexes are
    # ordered, so the order is read off the index ("reply_by IS NULL" first was a sort of every row).
    if sort == "sign":
        order = [Ticket.sign_by.asc().nulls_last()]
    elif sort == "flag":
        severity = case({"black": 0, "red": 1, "yellow": 2, "green": 3}, value=flag_now, else_=4)
        order = [severity, Ticket.reply_by.asc().nulls_last()]
    elif sort == "new":
        order = [Ticket.dispatched_at.desc()]
    elif sort == "old":
        order = [Ticket.dispatched_at]
    else:
        order = [Ticket.reply_by.asc().nulls_last()]
    return query.order_by(*order, Ticket.id)
