"""Internal notes and 催办 called directly: who writes, what a closed ticket refuses, the inbox's markers."""
from datetime import timedelta

import pytest

from hotline.services import ticket_notes, workflow
from hotline.services.errors import InvalidInput, InvalidTransition
from models import EventAction, TicketStatus
from tests.builders import at, dispatched, make_ticket, user

NOW = at(2026, 11, 16, 9)
LATER = at(2026, 11, 16, 10)


def test_centre_and_unit_notes_say_which_side_wrote_them(session, policy):
    ticket = dispatched(session, policy, NOW)
    centre = ticket_notes.add_note(session, ticket, "  市民来电催问进度。 ", user(session, "supervisor"), NOW)
    unit = ticket_notes.add_note(session, ticket, "已联系物业，本周内处理。", user(session, "zjj"), LATER)
    assert centre.body == "市民来电催问进度。" and centre.department_id is None
    assert unit.department_id == ticket.department_id
    assert ticket_notes.conversation(session, ticket).notes == [centre, unit]


def test_an_empty_or_long_note_is_a_400_and_a_closed_ticket_takes_none(session, policy):
    ticket = dispatched(session, policy, NOW)
    with pytest.raises(InvalidInput) as refused:
        ticket_notes.add_note(session, ticket, " ", user(session, "zjj"), NOW)
    assert (refused.value.code, refused.value.field) == ("required", "body")
    with pytest.raises(InvalidInput) as refused:
        ticket_notes.add_note(session, ticket, "长" * 2001, user(session, "zjj"), NOW)
    assert (refused.value.code, refused.value.field) == ("too_long", "body")
    closed = make_ticket(session, NOW, status=TicketStatus.CLOSED)
    with pytest.raises(InvalidTransition) as refused:
        ticket_notes.add_note(session, closed, "还有一句", user(session, "supervisor"), NOW)
    assert refused.value.code == "notes_closed"


def test_the_daily_jobs_urges_show_as_the_units_markers(session, policy):
    urged, quiet = dispatched(session, policy, NOW), dispatched(session, policy, NOW)
    workflow.record_escalations(session, "sign", [(urged.id, urged.status, urged.department_id, urged.sign_by)],
                                urged.sign_by + timedelta(minutes=1))
    ticket_notes.add_note(session, urged, "请尽快签收", user(session, "dispatcher"), LATER)
    ticket_notes.add_note(session, quiet, "请注意", user(session, "dispatcher"), LATER)
    session.flush()
    session.expire(urged, ["events"])
    [urge] = ticket_notes.conversation(session, urged).urges
    assert urge.action == EventAction.ESCALATED and urge.data["deadline"] == "sign"
    marks = ticket_notes.markers(session, [urged.id, quiet.id], urged.department_id)
    assert marks == {urged.id: ticket_notes.Markers(urges=1, notes=1), quiet.id: ticket_notes.Markers(0, 1)}
    assert ticket_notes.markers(session, [], None) == {}
