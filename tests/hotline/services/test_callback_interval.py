"""Unreached callback attempts at least CALLBACK_RETRY_HOURS apart (default 2 hours), so 无法联系 means something."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from hotline.services import workflow
from hotline.services.errors import InvalidTransition
from models import Callback, Satisfaction, TicketStatus
from tests.builders import replied, user

from .conftest import NOW


def test_the_default_interval_is_two_hours(policy):
    assert policy.callback_retry_hours == 2


def test_a_second_unreached_attempt_within_the_interval_is_a_409_and_nothing_is_saved(session, policy):
    ticket = replied(session, policy, NOW)
    supervisor = user(session, "supervisor")
    workflow.record_callback(session, ticket, supervisor, policy, NOW + timedelta(hours=1), reached=False)
    with pytest.raises(InvalidTransition) as refused:
        workflow.record_callback(session, ticket, supervisor, policy, NOW + timedelta(hours=2, minutes=59),
                                 reached=False)
    assert refused.value.code == "callback_too_soon" and refused.value.field == "reached"
    assert refused.value.params["next_at"] == "2026-11-16T12:00+08:00" and refused.value.params["hours"] == "2"
    assert session.query(Callback).filter_by(ticket_id=ticket.id).count() == 1
    second = workflow.record_callback(session, ticket, supervisor, policy, NOW + timedelta(hours=3), reached=False)
    assert second.attempt == 2 and ticket.status == TicketStatus.REPLIED


def test_a_reached_callback_need_not_wait(session, policy):
    ticket = replied(session, policy, NOW)
    supervisor = user(session, "supervisor")
    workflow.record_callback(session, ticket, supervisor, policy, NOW + timedelta(hours=1), reached=False)
    workflow.record_callback(session, ticket, supervisor, policy, NOW + timedelta(hours=1, minutes=5), reached=True,
                             solved=True, satisfaction=Satisfaction.SATISFIED)
    assert ticket.status == TicketStatus.CLOSED


def test_the_interval_is_the_policys(session, policy):
    quick = replace(policy, callback_retry_hours=0.5)
    ticket = replied(session, quick, NOW)
    supervisor = user(session, "supervisor")
    workflow.record_callback(session, ticket, supervisor, quick, NOW + timedelta(hours=1), reached=False)
    assert workflow.record_callback(session, ticket, supervisor, quick, NOW + timedelta(hours=1, minutes=30),
                                    reached=False).attempt == 2
