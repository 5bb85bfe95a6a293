"""Each limit staff can change is one setting that the API, the pages and the services all obey."""
from __future__ import annotations

import pytest

from sqlalchemy import func, select

from models import EventAction, KBEntry, TicketEvent

from .helpers import CALL, dispatched_ticket, new_ticket


def test_an_extension_longer_than_the_policy_allows_is_refused_naming_the_field(api):
    number = dispatched_ticket(api)["number"]
    refused = api.post(f"/tickets/{number}/extension", "zjj", {"reason": "需协调", "working_days": 16})
    assert refused.status_code == 400 and refused.json["field"] == "working_days"
    assert "between 1 and 15" in refused.json["message"]  # MAX_EXTENSION_WORKING_DAYS, not the old schema's 60
    assert api.post(f"/tickets/{number}/extension", "zjj", {"reason": "需协调", "working_days": 15}).status_code == 200


@pytest.mark.app_config(MAX_EXTENSION_WORKING_DAYS=40)
def test_a_longer_extension_setting_is_honoured_by_the_api(api):
    number = dispatched_ticket(api)["number"]
    asked = api.post(f"/tickets/{number}/extension", "zjj", {"reason": "大型工程", "working_days": 40})
    assert asked.status_code == 200, asked.json


@pytest.mark.app_config(MAX_CONTENT_CHARS=50)
@pytest.mark.parametrize("path", ["/tickets", "/route", "/tickets/similar"])
def test_content_longer_than_the_setting_is_refused_everywhere(api, path):
    response = api.post(path, "operator", {**CALL, "content": "长" * 51} if path == "/tickets" else
                        {"content": "长" * 51})
    assert response.status_code == 400
    assert response.json["field"] == "content" and "50" in response.json["message"]


@pytest.mark.app_config(MAX_CONTENT_CHARS=6000)
def test_content_up_to_a_larger_setting_is_accepted(api):
    assert new_ticket(api, content="噪" * 6000)["content"] == "噪" * 6000


def test_a_knowledge_base_answer_makes_the_call_answered_and_is_recorded(api, session):
    entry = KBEntry(question="公积金怎么提取", answer="可在住房公积金中心网上服务大厅办理提取。", department="市住房公积金中心",
                    source="msga-9")
    session.add(entry)
    session.commit()
    ticket = new_ticket(api, appeal_type="consultation", content="请问公积金怎么提取？", kb_entry=entry.id)
    assert ticket["status"] == "replied" and ticket["resolved_on_call"] and ticket["reply"] == entry.answer
    answered = [e for e in ticket["events"] if e["action"] == "answered_on_call"]
    assert ticket["category"] is not None  # 即来即办 counts in a category too
    assert [e["data"] for e in answered] == [{"kb_entry": entry.id, "kb_source": "msga-9", "category": ticket["category"]}]


def test_a_retired_knowledge_base_entry_is_refused_and_nothing_is_saved(api, session):
    entry = KBEntry(question="旧问题", answer="旧答复", department="某单位", active=False)
    session.add(entry)
    session.commit()
    response = api.post("/tickets", "operator", {**CALL, "kb_entry": entry.id})
    assert response.status_code == 400 and response.json["field"] == "kb_entry"
    created = select(func.count()).where(TicketEvent.action == EventAction.CREATED)
    assert session.scalar(created) == 0
