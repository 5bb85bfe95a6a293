"""Badges on a list's rows (a unit's inbox): what needs a second look, one rule each.

A rule names its badge and finds, for one page of tickets, which of them carry it: from the rows themselves,
or with one query over the page's ids (never per row). A new badge is one more `BadgeRule` in `RULES`
(e.g. 挂起 once pausing exists); the page shows them in this order.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ExtensionRequest, ExtensionStatus, SupervisionCase, SupervisionStatus, Ticket


@dataclass(frozen=True)
class Badge:
    """What a row shows: a stable key (its CSS class badge-<key>) and the Chinese text."""

    key: str
    label: str


@dataclass(frozen=True)
class BadgeRule:
    """One badge and how to find the tickets of a page that carry it."""

    badge: Badge
    carriers: Callable[[Session, Sequence[Ticket]], set[int]]


def _ids(tickets: Sequence[Ticket]) -> list[int]:
    return [t.id for t in tickets]


def _pending_extension(session: Session, tickets: Sequence[Ticket]) -> set[int]:
    """An extension (延期) asked for and not yet decided."""
    return set(session.scalars(select(ExtensionRequest.ticket_id).where(
        ExtensionRequest.ticket_id.in_(_ids(tickets)), ExtensionRequest.status == ExtensionStatus.PENDING)))


def _supervised(session: Session, tickets: Sequence[Ticket]) -> set[int]:
    """An open supervision case (督办件) on the ticket."""
    return set(session.scalars(select(SupervisionCase.ticket_id).where(
        SupervisionCase.ticket_id.in_(_ids(tickets)), SupervisionCase.status == SupervisionStatus.OPEN)))


RULES: list[BadgeRule] = [
    BadgeRule(Badge("reopened", "重办"), lambda _s, tickets: {t.id for t in tickets if t.reopen_count}),
    BadgeRule(Badge("extension_pending", "延期待批"), _pending_extension),
    BadgeRule(Badge("extended", "已延期"), lambda _s, tickets: {t.id for t in tickets if t.extension_count}),
    BadgeRule(Badge("enterprise", "涉企"), lambda _s, tickets: {t.id for t in tickets if t.enterprise_credit_code}),
    BadgeRule(Badge("difficult", "疑难"), lambda _s, tickets: {t.id for t in tickets if t.difficult}),
    BadgeRule(Badge("supervised", "督办"), _supervised),
]


def badges_of(session: Session, tickets: Sequence[Ticket], rules: Sequence[BadgeRule] = RULES) -> dict[int, list[Badge]]:
    """Each ticket's badges (ticket id → badges in the rules' order); a page of n tickets costs one query per rule."""
    found: dict[int, list[Badge]] = {t.id: [] for t in tickets}
    if not tickets:
        return found
    for rule in rules:
        for ticket_id in rule.carriers(session, tickets):
            found[ticket_id].append(rule.badge)
    return found
