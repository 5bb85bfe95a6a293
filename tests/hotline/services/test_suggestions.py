"""What the call page shows while the operator types, and the checks of the API's route and similar endpoints."""
from __future__ import annotations

from dataclasses import replace

import pytest

from hotline.services import suggestions
from hotline.services.errors import InvalidInput

from ...builders import make_ticket
from .conftest import NOW


@pytest.fixture
def engine(app):
    return app.extensions["hotline.routing"]


@pytest.fixture
def kb(app):
    return app.extensions["hotline.kb"]


def test_too_little_text_gives_only_the_district(session, engine, kb, policy):
    found = suggestions.suggest(session, engine, kb, policy, NOW, content="楼道", address="雁峰区先锋街道")
    assert found.district == "雁峰区" and found.route is None and found.kb == [] and found.similar == []


def test_half_typed_input_never_fails(session, engine, kb, policy):
    earlier = make_ticket(session, NOW, caller_phone="13812345678", content="小区楼道墙皮脱落物业不维修", district="雁峰区")
    found = suggestions.suggest(session, engine, kb, policy, NOW, content=" 小区楼道墙皮脱落物业不维修 ",
                                caller_phone=" 13812345678 ", district="火星区")
    assert found.district is None  # an unknown district is ignored, not an error
    assert len(found.route.candidates) == 3
    assert [s.ticket.number for s in found.similar] == [earlier.number]
    longest = suggestions.suggest(session, engine, kb, policy, NOW, content="噪音" * 9000, caller_phone="1" * 90)
    assert longest.route is not None  # cut to the setting, not refused


def test_route_and_similar_refuse_a_text_over_the_setting_and_an_unknown_district(session, engine, policy):
    short = replace(policy, max_content_chars=10)
    with pytest.raises(InvalidInput) as too_long:
        suggestions.route_text(session, engine, short, "长" * 11)
    assert too_long.value.field == "content"
    with pytest.raises(InvalidInput) as unknown:
        suggestions.similar_tickets(session, engine, policy, NOW, content="噪音扰民", district="火星区")
    assert unknown.value.field == "district"
