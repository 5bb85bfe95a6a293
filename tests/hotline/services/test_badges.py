"""The inbox's row badges: each rule finds its tickets on a page, and a new badge is one more rule."""
from datetime import timedelta

from hotline.services.badges import RULES, Badge, BadgeRule, badges_of
from models import (ExtensionRequest, ExtensionStatus, SupervisionCase, SupervisionLevel, SupervisionStatus,
                    TicketStatus)
from tests.builders import at, department, make_ticket, user

NOW = at(2026, 11, 16, 10)


def keys(found, ticket):
    return [b.key for b in found[ticket.id]]


def test_each_badge_marks_only_its_tickets(session):
    zjj = department(session, "zjj")
    plain, pending, supervised, mixed = (make_ticket(session, NOW, status=TicketStatus.SIGNED, department=zjj)
                                         for _ in range(4))
    session.add(ExtensionRequest(ticket_id=pending.id, department_id=zjj.id, reason="需现场勘查", working_days=3,
                                 status=ExtensionStatus.PENDING, requested_by_id=user(session, "zjj").id,
                                 requested_at=NOW))
    session.add(SupervisionCase(quarter="2026Q4", ticket_id=supervised.id, reasons=["difficult"],
                                level=SupervisionLevel.DEPARTMENT_HEAD, status=SupervisionStatus.OPEN, problem="疑难",
                                rectification=[], deadline=NOW + timedelta(days=14), opened_at=NOW))
    mixed.reopen_count, mixed.difficult, mixed.enterprise_credit_code = 1, True, "91430400MA4L12345X"
    session.flush()
    found = badges_of(session, [plain, pending, supervised, mixed])
    assert keys(found, plain) == []
    assert keys(found, pending) == ["extension_pending"]
    assert keys(found, supervised) == ["supervised"]
    assert keys(found, mixed) == ["reopened", "enterprise", "difficult"]
    assert badges_of(session, []) == {}


def test_a_new_badge_is_one_more_rule(session):
    ticket = make_ticket(session, NOW, status=TicketStatus.SIGNED)
    paused = BadgeRule(Badge("paused", "挂起"), lambda _s, tickets: {t.id for t in tickets})
    assert [b.label for b in badges_of(session, [ticket], [*RULES, paused])[ticket.id]] == ["挂起"]
