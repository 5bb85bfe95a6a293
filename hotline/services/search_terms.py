"""What the search index holds for a ticket: its jieba words and its phone back to front.

Filled on every insert and on every edit of the words' sources (a mapper event), so no path that
creates a ticket (intake, Open311, the demo, the tests' builders) can leave a ticket unsearchable.
"""
from __future__ import annotations

from sqlalchemy import event, inspect

from models import Ticket

SOURCES = ("title", "content", "address")


def terms_of(title: str | None, content: str | None, address: str | None) -> str:
    """The space-joined jieba words of a ticket's title, content and address (the index splits on spaces)."""
    from classifier import index_terms  # jieba loads on first use, not when the services are imported

    return " ".join(index_terms(" ".join(part for part in (title, content, address) if part)))


def reversed_digits(phone: str | None) -> str:
    """A phone's digits back to front: "ends with 5678" becomes "starts with 8765"."""
    return "".join(ch for ch in (phone or "") if ch.isdigit())[::-1]


def _fill(_mapper, _connection, ticket: Ticket) -> None:
    """Set both columns from the ticket as it is being written."""
    ticket.search_terms = terms_of(ticket.title, ticket.content, ticket.address)
    ticket.phone_reversed = reversed_digits(ticket.caller_phone)


def _refill(mapper, connection, ticket: Ticket) -> None:
    """Recompute only when a source changed (most updates are a status change)."""
    state = inspect(ticket)
    if any(state.attrs[name].history.has_changes() for name in (*SOURCES, "caller_phone")):
        _fill(mapper, connection, ticket)


def install() -> None:
    """Listen on Ticket once (importing hotline.services calls this)."""
    if not event.contains(Ticket, "before_insert", _fill):
        event.listen(Ticket, "before_insert", _fill)
        event.listen(Ticket, "before_update", _refill)


install()
