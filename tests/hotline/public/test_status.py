"""The citizen's status lookup: number + the phone's last four digits, nothing else, rate-limited."""
from __future__ import annotations

import pytest

from hotline.services import workflow
from tests import builders


@pytest.fixture
def ticket(session, policy, clock):
    """A ticket zjj has replied to, called in from 13812345678."""
    replied = builders.replied(session, policy, clock.now, caller_phone="13812345678", caller_name="王先生")
    session.commit()
    return replied


def test_the_right_pair_shows_status_unit_dates_and_reply_only(client, ticket):
    answer = client.get(f"/api/v1/status?number={ticket.number}&phone_tail=5678")
    assert answer.status_code == 200
    body = answer.json
    assert set(body) == {"number", "status", "unit", "created_at", "dispatched_at", "reply_by", "replied_at",
                         "closed_at", "reply"}
    assert body["status"] == "replied" and body["unit"] == "市住房和城乡建设局" and body["reply"] == builders.REPLY
    assert "王先生" not in answer.text and "1381234" not in answer.text


def test_a_wrong_pair_answers_exactly_as_an_unknown_number(client, ticket):
    wrong = client.get(f"/api/v1/status?number={ticket.number}&phone_tail=0000")
    unknown = client.get("/api/v1/status?number=2099010100001&phone_tail=5678")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json == unknown.json


def test_no_reply_is_shown_before_the_unit_replies(client, session, policy, clock):
    ticket = builders.signed(session, policy, clock.now, caller_phone="13800001111")
    ticket.reply = "draft"  # only a replied ticket's reply is the citizen's to read
    session.commit()
    body = client.get(f"/api/v1/status?number={ticket.number}&phone_tail=1111").json
    assert body["status"] == "signed" and body["reply"] == "" and body["replied_at"] is None


@pytest.mark.parametrize("query, field", [
    ("number=%27%3B--&phone_tail=5678", "number"),
    ("number=2026111600001&phone_tail=56", "phone_tail"),
    ("phone_tail=5678", "number"),
])
def test_bad_input_is_a_400_naming_the_field(client, query, field):
    answer = client.get(f"/api/v1/status?{query}")
    assert answer.status_code == 400 and answer.json["field"] == field


def test_the_page_shows_the_status_in_chinese(client, ticket):
    page = client.get(f"/status?number={ticket.number}&phone_tail=5678")
    assert page.status_code == 200 and "待回访" in page.text and builders.REPLY in page.text
    miss = client.get(f"/status?number={ticket.number}&phone_tail=1234")
    assert miss.status_code == 404 and "未找到匹配的工单" in miss.text and builders.REPLY not in miss.text
    assert client.get("/status").status_code == 200  # the empty form


@pytest.mark.app_config(STATUS_LOOKUP_RATE="3 per minute")
def test_lookups_are_rate_limited_per_address(client, ticket):
    url = f"/api/v1/status?number={ticket.number}&phone_tail=0000"
    assert [client.get(url).status_code for _ in range(3)] == [404] * 3
    limited = client.get(url)
    assert limited.status_code == 429 and limited.json["error"] == "too_many_requests"
    other = client.get(url, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 404  # another address has its own count
