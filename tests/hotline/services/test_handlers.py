"""Handlers inside a unit called directly: take, assign, reassign, round-robin, and the inbox's handler views."""
import pytest

from hotline.services import handlers, search, workflow
from hotline.services.errors import InvalidInput, InvalidTransition, NotFound
from models import EventAction
from tests.builders import at, department, dispatched, replied, signed, unit_user, user

NOW = at(2026, 11, 16, 9)
LATER = at(2026, 11, 16, 10)


def test_taking_and_reassigning_are_events_naming_both_handlers(session, policy):
    ticket = dispatched(session, policy, NOW)
    zjj, li = user(session, "zjj"), unit_user(session, "zjj_li")
    taken = handlers.assign_handler(session, ticket, zjj, NOW, username="zjj")
    assert ticket.handler == zjj
    assert taken.action == EventAction.HANDLER_ASSIGNED and taken.actor_id == zjj.id
    assert taken.data == {"handler": "zjj", "handler_id": zjj.id, "round_robin": False, "previous": None}
    moved = handlers.assign_handler(session, ticket, zjj, LATER, username="zjj_li")
    assert ticket.handler == li and moved.data["previous"] == "zjj"
    with pytest.raises(InvalidTransition) as refused:
        handlers.assign_handler(session, ticket, li, LATER, username="zjj_li")
    assert refused.value.code == "handler_unchanged"


def test_only_an_active_handler_of_the_unit_can_be_given_the_ticket(session, policy):
    ticket = dispatched(session, policy, NOW)
    unit_user(session, "zjj_off", active=False)
    for username in ("jtj", "zjj_off", "nobody", "dispatcher"):
        with pytest.raises(InvalidInput) as refused:
            handlers.assign_handler(session, ticket, user(session, "zjj"), NOW, username=username)
        assert (refused.value.code, refused.value.field) == ("handler_not_in_unit", "username")
    with pytest.raises(InvalidInput) as refused:
        handlers.assign_handler(session, ticket, user(session, "zjj"), NOW)
    assert (refused.value.code, refused.value.field) == ("handler_or_round_robin", "username")
    with pytest.raises(InvalidInput):
        handlers.assign_handler(session, ticket, user(session, "zjj"), NOW, username="zjj", round_robin=True)
    with pytest.raises(NotFound):  # another unit acts on it: as if it did not exist
        handlers.assign_handler(session, ticket, user(session, "jtj"), NOW, username="jtj")


def test_a_replied_ticket_takes_no_handler(session, policy):
    ticket = replied(session, policy, NOW)
    with pytest.raises(InvalidTransition) as refused:
        handlers.assign_handler(session, ticket, user(session, "zjj"), LATER, username="zjj")
    assert refused.value.code == "action_not_allowed"


def test_round_robin_goes_through_the_active_handlers_in_turn(session, policy):
    zjj = user(session, "zjj")
    li, wang = unit_user(session, "zjj_li"), unit_user(session, "zjj_wang")
    unit_user(session, "zjj_off", active=False)
    given = []
    for minute in range(4):
        ticket = signed(session, policy, at(2026, 11, 16, 9, minute))
        handlers.assign_handler(session, ticket, zjj, at(2026, 11, 16, 9, minute), round_robin=True)
        session.flush()
        given.append(ticket.handler.username)
    # By user id, wrapping round; a hand assignment in between does not move the turn.
    hand = dispatched(session, policy, NOW)
    handlers.assign_handler(session, hand, zjj, at(2026, 11, 16, 9, 5), username="zjj_li")
    session.flush()
    ticket = dispatched(session, policy, NOW)
    handlers.assign_handler(session, ticket, zjj, at(2026, 11, 16, 9, 6), round_robin=True)
    assert given == ["zjj", "zjj_li", "zjj_wang", "zjj"] and ticket.handler == li
    assert wang.active


def test_no_active_handler_is_a_409(session, policy):
    ticket = dispatched(session, policy, NOW)
    for row in (user(session, "zjj"),):
        row.active = False
    session.flush()
    with pytest.raises(InvalidTransition) as refused:
        handlers.assign_handler(session, ticket, user(session, "zjj"), NOW, round_robin=True)
    assert refused.value.code == "no_active_handler"


def test_my_tickets_and_unassigned_views_and_a_return_clears_the_handler(session, policy):
    zjj, li = user(session, "zjj"), unit_user(session, "zjj_li")
    mine, theirs, nobodys = (dispatched(session, policy, NOW) for _ in range(3))
    handlers.assign_handler(session, mine, zjj, NOW, username="zjj")
    handlers.assign_handler(session, theirs, zjj, NOW, username="zjj_li")
    session.flush()

    def view(viewer, which):
        return set(session.scalars(search.inbox(viewer, LATER, policy.cycle_rules, handler=which)))

    assert view(zjj, "me") == {mine} and view(li, "me") == {theirs} and view(zjj, "none") == {nobodys}
    assert set(session.scalars(search.search_tickets(li, handler="none"))) == {nobodys}
    with pytest.raises(InvalidInput) as refused:
        search.search_tickets(zjj, handler="all")
    assert (refused.value.code, refused.value.field) == ("bad_choice", "handler")
    workflow.return_ticket(session, theirs, "不属本单位", li, policy, LATER)
    assert theirs.handler_id is None
    workflow.dispatch(session, mine, department(session, "jtj"), None, policy, LATER, actor=user(session, "dispatcher"))
    assert mine.handler_id is None
