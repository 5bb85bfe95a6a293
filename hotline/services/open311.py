"""GeoReport v2 (Open311) over the hotline: client systems and their keys, the catalogue, requests as the standard shows them."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import AppealType, Category, Channel, Open311Client, Open311Request, Role, Ticket, TicketStatus, User

from .confidentiality import address_for
from .errors import Forbidden, InvalidInput, NotFound

CLOSED = frozenset({TicketStatus.REPLIED, TicketStatus.CLOSED})  # the unit has answered: closed for GeoReport
MAX_RANGE = timedelta(days=90)  # the standard's default and widest date range
W3C_EXAMPLE = "2026-11-16T09:00:00Z"
# The one attribute a service definition asks for: the hotline's appeal type.
APPEAL_TYPE_NAMES = {
    AppealType.CONSULTATION: "咨询", AppealType.HELP: "求助", AppealType.COMPLAINT: "投诉",
    AppealType.REPORT: "举报", AppealType.SUGGESTION: "建议", AppealType.PRAISE: "表扬",
}
STATUS_NOTES = {
    TicketStatus.PENDING_DISPATCH: "已受理，等待派单",
    TicketStatus.DISPATCHED: "已派发至承办单位",
    TicketStatus.SIGNED: "承办单位办理中",
}


def key_hash(api_key: str) -> str:
    """What is stored of a key: its SHA-256 (keys are long random strings, so no salt is needed)."""
    return hashlib.sha256(api_key.encode()).hexdigest()


def create_client(session: Session, name: str, now: datetime) -> tuple[Open311Client, str]:
    """A new client system and its api_key (shown once; only the hash is kept)."""
    name = name.strip()
    if not name:
        raise InvalidInput("required", field="name", name="name")
    if len(name) > 64:
        raise InvalidInput("too_long", field="name", name="name", limit=64)
    if session.scalar(select(Open311Client).where(Open311Client.name == name)):
        raise InvalidInput("already_taken", field="name", name="name", value=name)
    # The client acts through a user of its own that cannot log in, so the event log names the system.
    user = User(username=f"open311:{name}"[:64], display_name=f"Open311 {name}"[:64], password_hash="!",
                role=Role.OPERATOR, active=False, created_at=now)
    api_key = secrets.token_urlsafe(32)
    client = Open311Client(name=name, key_hash=key_hash(api_key), user=user, created_at=now)
    session.add(client)
    session.flush()
    return client, api_key


def client_for_key(session: Session, api_key: str | None) -> Open311Client:
    """The active client with this key, or a 403."""
    client = session.scalar(select(Open311Client).where(Open311Client.key_hash == key_hash(api_key or "")))
    if not api_key or client is None or not client.active:
        raise Forbidden("api_key_unknown", field="api_key")
    return client


def list_clients(session: Session) -> list[Open311Client]:
    """Every client system, by name."""
    return list(session.scalars(select(Open311Client).order_by(Open311Client.name)))


def services(session: Session) -> list[Category]:
    """The catalogue: the active categories (service_code is the category's id)."""
    return list(session.scalars(select(Category).where(Category.active.is_(True)).order_by(Category.id)))


def _active_service(session: Session, code: str) -> Category | None:
    category = session.get(Category, int(code)) if code.isdigit() else None
    return category if category is not None and category.active else None


def service(session: Session, code: str) -> Category:
    """One service by code, or a 404."""
    category = _active_service(session, code)
    if category is None:
        raise NotFound("service_not_found", field="service_code", code=code)
    return category


def requested_service(session: Session, code: str) -> Category:
    """The service a POST names, or a 400 (a field of the request, not a path)."""
    category = _active_service(session, code)
    if category is None:
        raise InvalidInput("unknown_service", field="service_code", value=code)
    return category


def parse_w3c(value: str | None, field: str) -> datetime | None:
    """A w3c datetime (2026-11-16T09:00:00+08:00 or …Z), or a 400 naming the field."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput("bad_format", field=field, name=field, example=W3C_EXAMPLE, value=value) from None
    if moment.tzinfo is None:
        raise InvalidInput("bad_format", field=field, name=field, example=W3C_EXAMPLE, value=value)
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class RequestFilter:
    """GET requests' standard filters, validated."""

    numbers: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()


def request_filter(args: dict[str, str]) -> RequestFilter:
    """Validate service_request_id, service_code, start_date, end_date and status."""
    split = lambda key: tuple(v.strip() for v in (args.get(key) or "").split(",") if v.strip())  # noqa: E731
    statuses = split("status")
    if bad := [s for s in statuses if s not in ("open", "closed")]:
        raise InvalidInput("bad_choice", field="status", name="status", allowed=["open", "closed"])
    codes = split("service_code")
    if bad := [c for c in codes if not c.isdigit()]:
        raise InvalidInput("unknown_service", field="service_code", value=bad[0])
    start, end = parse_w3c(args.get("start_date"), "start_date"), parse_w3c(args.get("end_date"), "end_date")
    if start and end and (end < start or end - start > MAX_RANGE):
        raise InvalidInput("date_range_too_wide", field="end_date", days=MAX_RANGE.days)
    return RequestFilter(split("service_request_id"), codes, start, end, statuses)


def find_requests(session: Session, flt: RequestFilter, now: datetime, limit: int = 1000) -> list[Open311Request]:
    """Requests filed through Open311 matching the filter (ids override the rest, as the standard says)."""
    query = (select(Open311Request).join(Open311Request.ticket)
             .options(selectinload(Open311Request.ticket).selectinload(Ticket.events)))
    if flt.numbers:
        query = query.where(Ticket.number.in_(flt.numbers))
    else:
        end = flt.end or now
        start = flt.start or end - MAX_RANGE
        query = query.where(Ticket.created_at >= start, Ticket.created_at <= end)
        if flt.service_codes:
            query = query.where(Open311Request.service_code.in_(flt.service_codes))
        if flt.statuses and len(flt.statuses) == 1:
            closed = Ticket.status.in_(CLOSED)
            query = query.where(closed if flt.statuses[0] == "closed" else ~closed)
    return list(session.scalars(query.order_by(Ticket.created_at.desc()).limit(limit)))


def find_request(session: Session, number: str) -> Open311Request:
    """One Open311 request by its service_request_id (the ticket number), or a 404."""
    found = session.scalar(select(Open311Request).join(Open311Request.ticket).where(Ticket.number == number))
    if found is None:
        raise NotFound("service_request_not_found", field="service_request_id", number=number)
    return found


def find_token(session: Session, token: str) -> Open311Request:
    """The request a POST's token stands for, or a 404."""
    found = session.scalar(select(Open311Request).where(Open311Request.token == token))
    if found is None:
        raise NotFound("open311_token_not_found", field="token", token=token)
    return found


def w3c(moment: datetime | None) -> str | None:
    """A datetime as the standard writes it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def request_view(req: Open311Request) -> dict[str, Any]:
    """A request as GeoReport v2 shows it: open/closed, and the unit's reply as status_notes; no caller data."""
    ticket = req.ticket
    confidential = ticket.confidential  # 保密: neither the unit nor where the caller is, beyond the district
    updated = max((e.at for e in ticket.events), default=ticket.created_at)
    return {
        "service_request_id": ticket.number,
        "status": "closed" if ticket.status in CLOSED else "open",
        "status_notes": ticket.reply if ticket.status in CLOSED else STATUS_NOTES.get(ticket.status, ""),
        "service_name": ticket.category.name if ticket.category else "",
        "service_code": req.service_code,
        "description": ticket.content,
        "agency_responsible": "" if confidential or not ticket.department else ticket.department.name,
        "service_notice": "",
        "requested_datetime": w3c(ticket.created_at),
        "updated_datetime": w3c(updated),
        "expected_datetime": w3c(ticket.reply_by),
        "address": address_for(ticket, None),
        "address_id": "",
        "zipcode": "",
        "lat": None if confidential else req.lat,
        "long": None if confidential else req.long,
        "media_url": "" if confidential else req.media_url,
    }


def record_request(session: Session, ticket: Ticket, client: Open311Client, service_code: str,
                   lat: float | None, long: float | None, media_url: str) -> Open311Request:
    """Keep what GeoReport adds to the ticket, with a token for tokens/<token>."""
    req = Open311Request(token=secrets.token_urlsafe(16), ticket=ticket, client=client, service_code=service_code,
                         lat=lat, long=long, media_url=media_url)
    session.add(req)
    session.flush()
    return req


def existing_request(session: Session, ticket: Ticket) -> Open311Request | None:
    """The request row of a ticket (a retried POST finds the first one)."""
    return session.scalar(select(Open311Request).where(Open311Request.ticket_id == ticket.id))


CHANNEL = Channel.OPEN311
