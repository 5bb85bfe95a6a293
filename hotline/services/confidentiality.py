"""保密: what of a caller's identity a viewer may see, and the event every look at a confidential one writes.

Units never see a confidential caller: no name, no phone (not even masked), no address beyond the district.
Centre staff see it masked until they ask for it, and each time they do an event says who looked, and when.
A unit always sees a phone masked (138****5678), confidential or not.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from models import Role, Ticket, User

from . import workflow
from .errors import Forbidden


def mask_phone(phone: str) -> str:
    """138****5678: enough to recognise a number, not to call it."""
    digits = phone.replace("-", "")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str) -> str:
    """王** : the family name only, for centre staff before they reveal a confidential caller."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


@dataclass(frozen=True)
class CallerView:
    """The caller as one viewer may see them now; None where nothing at all may be shown."""

    name: str | None
    phone: str | None
    address: str
    confidential: bool
    hidden: bool  # the identity is withheld from this viewer now
    revealable: bool  # ... and the viewer may ask for it (centre staff; the look is an event)


def is_unit(viewer: User | None) -> bool:
    """Whether the viewer works for a unit (or is nobody: a unit's system, a citizen's page)."""
    return viewer is None or viewer.role == Role.DEPARTMENT


def district_only(ticket: Ticket) -> str:
    """The address of a confidential caller as far as it may be told: the district."""
    return ticket.district or ""


def caller_view(ticket: Ticket, viewer: User | None, *, revealed: bool = False) -> CallerView:
    """What `viewer` may see of the caller; `revealed` only after `reveal_identity` wrote its event."""
    unit = is_unit(viewer)
    if not ticket.confidential:
        phone = mask_phone(ticket.caller_phone) if unit else ticket.caller_phone
        return CallerView(ticket.caller_name, phone, ticket.address, False, False, False)
    if unit:
        return CallerView(None, None, district_only(ticket), True, True, False)
    if revealed:
        return CallerView(ticket.caller_name, ticket.caller_phone, ticket.address, True, False, False)
    return CallerView(mask_name(ticket.caller_name), mask_phone(ticket.caller_phone), district_only(ticket),
                      True, True, True)


def address_for(ticket: Ticket, viewer: User | None) -> str:
    """The address `viewer` may see (a confidential caller's is the district only, to anyone not revealing it)."""
    return district_only(ticket) if ticket.confidential else ticket.address


def reveal_identity(session: Session, ticket: Ticket, actor: User, now: datetime) -> CallerView:
    """Show centre staff a caller's identity; for a confidential caller the look is an event (who, when)."""
    if is_unit(actor):
        raise Forbidden("identity_hidden_from_units", number=ticket.number)
    if ticket.confidential:
        workflow.note_identity_viewed(session, ticket, actor, now)
    return caller_view(ticket, actor, revealed=True)
