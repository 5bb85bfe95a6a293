"""合并件回访: a merged duplicate's caller is called back with the original, once it is closed."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hotline.services import merged_callbacks, workflow
from hotline.services.errors import InvalidInput, InvalidTransition
from models import Callback, EventAction, Satisfaction, TicketStatus
from tests.builders import department, received, replied, user

from .conftest import NOW


@pytest.fixture
def pair(session, policy):
    """(original replied by zjj, duplicate merged into it)."""
    original = replied(session, policy, NOW)
    duplicate = received(session, NOW + timedelta(hours=1), caller_phone="13900009999", caller_name="李女士")
    workflow.merge_repeat(session, duplicate, original, user(session, "dispatcher"), NOW + timedelta(hours=1))
    session.flush()
    return original, duplicate


def test_the_merged_caller_appears_once_the_original_is_closed(session, policy, pair):
    original, duplicate = pair
    supervisor = user(session, "supervisor")
    assert merged_callbacks.list_due(session) == []
    with pytest.raises(InvalidTransition) as early:
        merged_callbacks.record(session, duplicate, supervisor, policy, NOW + timedelta(hours=2), reached=False)
    assert early.value.code == "action_not_allowed"
    workflow.record_callback(session, original, supervisor, policy, NOW + timedelta(days=1), reached=True,
                             solved=True, satisfaction=Satisfaction.SATISFIED)
    session.flush()
    assert merged_callbacks.list_due(session) == [duplicate]

    merged_callbacks.record(session, duplicate, supervisor, policy, NOW + timedelta(days=1, hours=1), reached=False)
    assert merged_callbacks.list_due(session) == [duplicate]  # not reached yet: still to call
    callback = merged_callbacks.record(session, duplicate, supervisor, policy, NOW + timedelta(days=1, hours=3),
                                       reached=True, solved=True, satisfaction=Satisfaction.BASICALLY_SATISFIED,
                                       comment="已修好")
    session.flush()
    assert (callback.attempt, callback.department_id) == (2, department(session, "zjj").id)
    assert duplicate.status == TicketStatus.CLOSED and duplicate.satisfaction == Satisfaction.BASICALLY_SATISFIED
    event = duplicate.events[-1]
    assert event.action == EventAction.CALLED_BACK_WITH_ORIGINAL and event.data["original"] == original.number
    assert merged_callbacks.list_due(session) == []
    with pytest.raises(InvalidTransition):  # reached once: done
        merged_callbacks.record(session, duplicate, supervisor, policy, NOW + timedelta(days=2), reached=False)


def test_a_reached_merged_caller_needs_solved_and_satisfaction(session, policy, pair):
    original, duplicate = pair
    supervisor = user(session, "supervisor")
    workflow.record_callback(session, original, supervisor, policy, NOW + timedelta(days=1), reached=True,
                             solved=True, satisfaction=Satisfaction.SATISFIED)
    with pytest.raises(InvalidInput) as missing:
        merged_callbacks.record(session, duplicate, supervisor, policy, NOW + timedelta(days=1), reached=True)
    assert missing.value.field == "solved"
    assert session.scalars(select(Callback).where(Callback.ticket_id == duplicate.id)).all() == []


def test_a_ticket_that_was_not_merged_is_refused(session, policy):
    ticket = replied(session, policy, NOW)
    supervisor = user(session, "supervisor")
    workflow.record_callback(session, ticket, supervisor, policy, NOW + timedelta(days=1), reached=True, solved=True,
                             satisfaction=Satisfaction.SATISFIED)
    with pytest.raises(InvalidTransition):
        merged_callbacks.record(session, ticket, supervisor, policy, NOW + timedelta(days=1), reached=False)
