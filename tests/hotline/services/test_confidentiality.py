"""保密: a unit never sees a confidential caller; centre staff see them masked, and every reveal is an event."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.services import confidentiality, open311, workflow
from hotline.services.errors import Forbidden
from models import EventAction, NotifyChannel, NotifyTarget, Open311Request, OutboxMessage, Satisfaction
from tests.builders import actions, department, dispatched, replied, user

from .conftest import NOW

CALLER = dict(caller_name="王建国", caller_phone="13812345678", address="衡阳市雁峰区先锋街道某小区3栋",
              district="雁峰区")


def test_a_unit_sees_neither_name_nor_phone_nor_address_beyond_the_district(session, policy):
    ticket = dispatched(session, policy, NOW, confidential=True, **CALLER)
    shown = confidentiality.caller_view(ticket, user(session, "zjj"))
    assert (shown.name, shown.phone, shown.address) == (None, None, "雁峰区")
    assert shown.hidden and not shown.revealable


def test_centre_staff_see_it_masked_until_they_reveal_it_and_the_reveal_is_an_event(session, policy):
    ticket = dispatched(session, policy, NOW, confidential=True, **CALLER)
    supervisor = user(session, "supervisor")
    masked = confidentiality.caller_view(ticket, supervisor)
    assert (masked.name, masked.phone, masked.address) == ("王**", "138****5678", "雁峰区")
    assert masked.revealable
    assert EventAction.IDENTITY_VIEWED not in actions(ticket)

    version = ticket.version
    shown = confidentiality.reveal_identity(session, ticket, supervisor, NOW)
    session.flush()
    assert (shown.name, shown.phone, shown.address) == ("王建国", "13812345678", CALLER["address"])
    [look] = [e for e in ticket.events if e.action == EventAction.IDENTITY_VIEWED]
    assert (look.actor_id, look.at, look.from_status, look.to_status) == (supervisor.id, NOW, ticket.status,
                                                                          ticket.status)
    assert ticket.version == version  # a look claims nothing: a colleague's action at that moment still wins


def test_a_unit_cannot_reveal_and_nothing_is_written(session, policy):
    ticket = dispatched(session, policy, NOW, confidential=True, **CALLER)
    with pytest.raises(Forbidden) as refused:
        confidentiality.reveal_identity(session, ticket, user(session, "zjj"), NOW)
    assert refused.value.code == "identity_hidden_from_units" and refused.value.status == 403
    assert EventAction.IDENTITY_VIEWED not in actions(ticket)


def test_an_ordinary_caller_is_shown_as_before_and_looking_writes_nothing(session, policy):
    ticket = dispatched(session, policy, NOW, **CALLER)
    unit = confidentiality.caller_view(ticket, user(session, "zjj"))
    assert (unit.name, unit.phone, unit.address) == ("王建国", "138****5678", CALLER["address"])
    staff = confidentiality.reveal_identity(session, ticket, user(session, "operator"), NOW)
    assert staff.phone == "13812345678" and EventAction.IDENTITY_VIEWED not in actions(ticket)


def test_the_messages_to_a_units_systems_carry_no_identity(session, policy):
    session.add(NotifyTarget(department_id=department(session, "zjj").id, channel=NotifyChannel.WEBHOOK,
                             address="https://zjj.example/hook", secret="s" * 32))
    session.flush()
    ticket = replied(session, policy, NOW, confidential=True, **CALLER)
    workflow.record_callback(session, ticket, user(session, "supervisor"), policy, NOW, reached=True, solved=False,
                             satisfaction=Satisfaction.UNSATISFIED)  # reopened: the unit is told again
    session.flush()
    to_unit = session.scalars(select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id,
                                                          OutboxMessage.channel == NotifyChannel.WEBHOOK)).all()
    assert {m.kind for m in to_unit} >= {"new_ticket", "reopened"}
    for message in to_unit:
        text = str(message.payload)
        assert "王建国" not in text and "5678" not in text and "某小区3栋" not in text


def test_open311_shows_the_district_only_and_no_unit_or_place(session, policy):
    ticket = replied(session, policy, NOW, confidential=True, **CALLER)
    view = open311.request_view(Open311Request(ticket=ticket, service_code="1", lat=26.89, long=112.61,
                                               media_url="https://example.org/p.jpg"))
    assert view["address"] == "雁峰区" and view["agency_responsible"] == ""
    assert (view["lat"], view["long"], view["media_url"]) == (None, None, "")
    ordinary = open311.request_view(Open311Request(ticket=replied(session, policy, NOW, **CALLER), service_code="1",
                                                   lat=26.89, long=112.61, media_url=""))
    assert ordinary["address"] == CALLER["address"] and ordinary["lat"] == 26.89 and ordinary["agency_responsible"]
