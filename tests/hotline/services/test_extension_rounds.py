"""延期: once per handling round; a reopen (重办) or a return and re-dispatch starts a new round."""
from __future__ import annotations

from datetime import timedelta

import pytest

from hotline.services import workflow
from hotline.services.errors import InvalidTransition
from models import Satisfaction
from tests.builders import department, dispatched, signed, user

from .conftest import NOW


def test_a_second_request_in_the_same_round_is_a_409(session, policy):
    ticket = signed(session, policy, NOW)
    unit = user(session, "zjj")
    workflow.request_extension(session, ticket, "需协调", 2, unit, policy, NOW)
    workflow.decide_extension(session, ticket, True, user(session, "supervisor"), policy, NOW)
    with pytest.raises(InvalidTransition) as refused:
        workflow.request_extension(session, ticket, "还要时间", 2, unit, policy, NOW + timedelta(hours=1))
    assert refused.value.code == "extension_already_requested" and refused.value.status == 409


def test_a_reopen_starts_a_new_round_with_a_new_request(session, policy):
    ticket = signed(session, policy, NOW)
    unit, supervisor = user(session, "zjj"), user(session, "supervisor")
    workflow.request_extension(session, ticket, "需协调", 2, unit, policy, NOW)
    workflow.reply(session, ticket, "已处理", unit, NOW + timedelta(hours=1), policy=policy)
    workflow.record_callback(session, ticket, supervisor, policy, NOW + timedelta(days=1), reached=True,
                             solved=False, satisfaction=Satisfaction.UNSATISFIED)  # 重办: same unit, new round
    workflow.sign(session, ticket, unit, NOW + timedelta(days=1, hours=1))
    again = workflow.request_extension(session, ticket, "重办需施工", 3, unit, policy, NOW + timedelta(days=1, hours=2))
    assert again.working_days == 3
    with pytest.raises(InvalidTransition):
        workflow.request_extension(session, ticket, "再要", 1, unit, policy, NOW + timedelta(days=1, hours=3))


def test_a_return_and_redispatch_to_the_same_unit_starts_a_new_round(session, policy):
    ticket = dispatched(session, policy, NOW)
    unit = user(session, "zjj")
    workflow.request_extension(session, ticket, "需协调", 2, unit, policy, NOW)
    workflow.return_ticket(session, ticket, "不属于本单位", unit, policy, NOW, reason_code="not_ours")
    workflow.dispatch(session, ticket, department(session, "zjj"), None, policy, NOW + timedelta(hours=1),
                      actor=user(session, "dispatcher"))  # the dispatcher decides it is theirs after all
    assert workflow.request_extension(session, ticket, "确需时间", 2, unit, policy, NOW + timedelta(hours=2))
