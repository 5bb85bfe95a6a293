"""保密 over the API: every surface a unit reads hides the caller; centre staff reveal them, and each reveal is an event."""
from __future__ import annotations

import io

from models import EventAction
from tests import builders
from tests.images import png

from .helpers import BY_HAND, Desk, dispatched_ticket, new_ticket

SECRET = {"caller_name": "王建国", "caller_phone": "13812345678", "address": "衡阳市雁峰区先锋街道某小区3栋",
          "district": "雁峰区", "confidential": True}


def leaks(text: str) -> list[str]:
    """Which parts of the caller's identity a response shows."""
    return [part for part in ("王建国", "13812345678", "5678", "某小区3栋") if part in text]


@BY_HAND
def test_the_intake_takes_the_flag_and_the_ticket_json_carries_it(api):
    body = new_ticket(api, **SECRET)
    assert body["confidential"] is True
    assert (body["caller_name"], body["caller_phone"], body["address"]) == ("王**", "138****5678", "雁峰区")
    assert new_ticket(api, caller_phone="13900001111")["confidential"] is False


@BY_HAND
def test_a_unit_sees_no_identity_in_the_ticket_its_inbox_or_the_attachments(api):
    number = dispatched_ticket(api, **SECRET)["number"]
    upload = api.call("POST", f"/tickets/{number}/attachments", "operator",
                      data={"file": (io.BytesIO(png()), "王建国身份证.png")}, content_type="multipart/form-data")
    assert upload.status_code == 201

    detail = api.get(f"/tickets/{number}", "zjj")
    assert detail.status_code == 200 and detail.json["confidential"] is True
    assert (detail.json["caller_name"], detail.json["caller_phone"], detail.json["address"]) == (None, None, "雁峰区")
    assert leaks(detail.get_data(as_text=True)) == []
    inbox = api.get("/department/tickets", "zjj")
    assert [t["number"] for t in inbox.json["items"]] == [number] and leaks(inbox.get_data(as_text=True)) == []
    listed = api.get(f"/tickets?department=zjj", "zjj")
    assert listed.json["items"] and leaks(listed.get_data(as_text=True)) == []
    files = api.get(f"/tickets/{number}/attachments", "zjj")
    assert files.json[0]["filename"] == "" and leaks(files.get_data(as_text=True)) == []
    # The centre's staff who uploaded it still see the name the file came with.
    assert api.get(f"/tickets/{number}/attachments", "operator").json[0]["filename"] == "王建国身份证.png"


@BY_HAND
def test_centre_staff_see_it_masked_in_search_and_reveal_it_with_an_event(api, session):
    number = dispatched_ticket(api, **SECRET)["number"]
    found = api.get("/tickets?caller_phone=13812345678", "supervisor")
    [row] = found.json["items"]
    assert (row["number"], row["caller_name"], row["caller_phone"]) == (number, "王**", "138****5678")
    assert "王建国" not in found.get_data(as_text=True)

    revealed = api.post(f"/tickets/{number}/identity", "supervisor")
    assert revealed.status_code == 200
    assert (revealed.json["caller_name"], revealed.json["caller_phone"], revealed.json["address"]) == (
        "王建国", "13812345678", SECRET["address"])
    api.post(f"/tickets/{number}/identity", "dispatcher")
    looks = [e for e in builders.ticket_row(session, number).events if e.action == EventAction.IDENTITY_VIEWED]
    assert [e.actor.username for e in looks] == ["supervisor", "dispatcher"]
    history = api.get(f"/tickets/{number}", "supervisor").json["events"]
    assert [e["actor"] for e in history if e["action"] == "identity_viewed"] == ["supervisor", "dispatcher"]


@BY_HAND
def test_a_unit_may_not_reveal_and_an_unknown_ticket_is_a_404(api, session):
    number = dispatched_ticket(api, **SECRET)["number"]
    refused = api.post(f"/tickets/{number}/identity", "zjj")
    assert refused.status_code == 403 and refused.json["error"] == "role_required"
    assert EventAction.IDENTITY_VIEWED not in builders.actions(builders.ticket_row(session, number))
    assert api.post("/tickets/2099010100001/identity", "supervisor").status_code == 404


@BY_HAND
def test_a_flag_that_is_not_a_boolean_is_a_400_naming_the_field(api):
    answer = api.post("/tickets", "operator", {**SECRET, "content": builders.CONTENT, "appeal_type": "complaint",
                                                 "confidential": "yes"})
    assert answer.status_code == 400 and answer.json["error"] == "invalid_input"
    assert answer.json["field"] == "confidential"


@BY_HAND
def test_the_citizens_status_page_names_no_unit(api, client):
    desk = Desk(api)
    number = dispatched_ticket(api, **SECRET)["number"]
    desk.sign(number)
    desk.reply(number)
    body = client.get(f"/api/v1/status?number={number}&phone_tail=5678").json
    assert body["status"] == "replied" and body["unit"] is None and body["reply"]


@BY_HAND
def test_the_monthly_report_and_its_exports_name_no_caller(api, clock):
    number = dispatched_ticket(api, **SECRET)["number"]
    desk = Desk(api)
    desk.sign(number)
    desk.reply(number)
    month = clock.now.strftime("%Y-%m")
    for fmt in ("json", "csv"):
        answer = api.get(f"/reports/monthly/{month}?live=1&format={fmt}", "supervisor")
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
        assert leaks(answer.get_data(as_text=True)) == []
