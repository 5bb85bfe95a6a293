"""Every path of a ticket's life over the API: dispatch, sign, return, extension, reply, callback."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from models import TicketEvent
from tests.builders import ticket_row

from .helpers import CALL, dispatched_ticket, new_ticket, replied_ticket

MANUAL = pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=1.01)  # nothing is confident enough
AUTO = pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=0.0)  # everything is


def actions(ticket: dict) -> list[str]:
    return [e["action"] for e in ticket["events"]]


@MANUAL
def test_low_confidence_goes_to_dispatcher_queue_with_candidates(api):
    ticket = new_ticket(api)
    assert ticket["status"] == "pending_dispatch"
    assert ticket["department"] is None
    assert ticket["predicted"]["category"] is not None
    assert ticket["predicted"]["model_version"]
    assert "below threshold" in ticket["routing_note"]
    candidates = ticket["predicted"]["candidates"]
    assert len(candidates) == 3
    assert candidates[0]["category"] == ticket["predicted"]["category"]
    assert all(c["department"] for c in candidates)
    assert actions(ticket) == ["created", "queued"]
    queue = api.get("/dispatch/queue", "dispatcher").json
    assert [t["number"] for t in queue["items"]] == [ticket["number"]]


@AUTO
def test_confident_ticket_is_dispatched_automatically_with_deadlines(api):
    ticket = new_ticket(api)
    assert ticket["status"] == "dispatched"
    assert ticket["department"]["code"] == ticket["predicted"]["department"]["code"]
    assert ticket["category"] == ticket["predicted"]["category"]
    assert ticket["district"] == "雁峰区"
    # Complaint dispatched Monday 2026-11-16 09:00: sign in 2 working hours; reply in 5 working days,
    # i.e. the whole of Monday to Friday, so by Friday 17:30.
    assert ticket["sign_by"] == "2026-11-16T11:00:00+08:00"
    assert ticket["reply_by"] == "2026-11-20T17:30:00+08:00"
    assert actions(ticket) == ["created", "routed"]
    assert ticket["events"][1]["actor"] is None  # the system did it


def test_ticket_numbers_are_dated_sequential_and_unique(api):
    numbers = [new_ticket(api)["number"] for _ in range(3)]
    assert numbers == ["2026111600001", "2026111600002", "2026111600003"]


def test_created_at_is_iso_with_offset(api):
    assert new_ticket(api)["created_at"] == "2026-11-16T09:00:00+08:00"


def test_resolved_on_call_goes_straight_to_replied(api):
    ticket = new_ticket(api, appeal_type="consultation", resolved_on_call=True,
                        reply="公积金提取可在衡阳市住房公积金中心网厅办理。")
    assert ticket["status"] == "replied"
    assert ticket["resolved_on_call"] is True
    assert actions(ticket) == ["created", "answered_on_call"]
    callbacks = api.get("/callbacks", "supervisor").json["items"]
    assert ticket["number"] in [t["number"] for t in callbacks]


@MANUAL
def test_full_path_with_extension_reopen_and_close(api, clock):
    number = dispatched_ticket(api, "zjj")["number"]
    signed = api.post(f"/tickets/{number}/sign", "zjj").json
    assert signed["status"] == "signed"

    asked = api.post(f"/tickets/{number}/extension", "zjj", {"reason": "需协调施工队", "working_days": 3})
    assert asked.status_code == 200 and asked.json["status"] == "signed"
    assert asked.json["reply_by"] == "2026-11-20T17:30:00+08:00"
    approved = api.post(f"/tickets/{number}/extension/approve", "supervisor", {"note": "同意"}).json
    # 3 more working days from Friday 11-20 17:30: Mon, Tue, Wed → Wednesday 11-25 17:30.
    assert approved["reply_by"] == "2026-11-25T17:30:00+08:00"
    assert approved["extension_count"] == 1

    assert api.post(f"/tickets/{number}/reply", "zjj", {"reply": "已维修"}).json["status"] == "replied"
    reopened = api.post(f"/tickets/{number}/callback", "supervisor",
                        {"reached": True, "solved": False, "satisfaction": "unsatisfied", "comment": "没修好"}).json
    assert reopened["status"] == "dispatched"
    assert reopened["department"]["code"] == "zjj"
    assert reopened["reopen_count"] == 1

    api.post(f"/tickets/{number}/sign", "zjj")
    api.post(f"/tickets/{number}/reply", "zjj", {"reply": "已彻底修复"})
    closed = api.post(f"/tickets/{number}/callback", "supervisor",
                      {"reached": True, "solved": True, "satisfaction": "basically_satisfied"}).json
    assert closed["status"] == "closed"
    assert closed["satisfaction"] == "basically_satisfied"
    assert actions(closed) == [
        "created", "queued", "assigned", "signed", "extension_requested", "extension_approved", "replied",
        "reopened", "signed", "replied", "closed",
    ]
    statuses = [(e["from_status"], e["to_status"]) for e in closed["events"]]
    assert statuses[7] == ("replied", "dispatched")
    assert statuses[-1] == ("replied", "closed")


@MANUAL
def test_rejected_extension_keeps_deadline_and_cannot_be_asked_again(api):
    number = dispatched_ticket(api, "zjj")["number"]
    api.post(f"/tickets/{number}/sign", "zjj")
    api.post(f"/tickets/{number}/extension", "zjj", {"reason": "需要时间", "working_days": 2})
    rejected = api.post(f"/tickets/{number}/extension/reject", "supervisor", {"note": "不符合延期条件"}).json
    assert rejected["reply_by"] == "2026-11-20T17:30:00+08:00"
    assert rejected["extension_count"] == 0
    again = api.post(f"/tickets/{number}/extension", "zjj", {"reason": "再申请", "working_days": 2})
    assert again.status_code == 409
    assert api.post(f"/tickets/{number}/extension/approve", "supervisor").status_code == 409


@MANUAL
def test_return_twice_then_department_must_handle(api):
    number = dispatched_ticket(api, "jtj")["number"]
    first = api.post(f"/tickets/{number}/return", "jtj", {"reason": "不属于交通职责"}).json
    assert first["status"] == "pending_dispatch"
    assert first["department"] is None
    assert first["return_count"] == 1
    queue = api.get("/dispatch/queue", "dispatcher").json["items"]
    assert [t["number"] for t in queue] == [number]
    assert queue[0]["events"][-1]["action"] == "returned"
    assert queue[0]["events"][-1]["note"] == "不属于交通职责"

    api.post(f"/tickets/{number}/assign", "dispatcher", {"department": "jyj"})
    assert api.post(f"/tickets/{number}/return", "jyj", {"reason": "也不是教育"}).json["return_count"] == 2
    api.post(f"/tickets/{number}/assign", "dispatcher", {"department": "zjj"})
    third = api.post(f"/tickets/{number}/return", "zjj", {"reason": "不想办"})
    assert third.status_code == 409
    assert "returned 2 times" in third.json["message"]


@MANUAL
def test_return_after_signing_is_refused(api):
    number = dispatched_ticket(api, "zjj")["number"]
    api.post(f"/tickets/{number}/sign", "zjj")
    response = api.post(f"/tickets/{number}/return", "zjj", {"reason": "分错了"})
    assert response.status_code == 409
    assert "signed" in response.json["message"]


@MANUAL
def test_return_needs_a_reason(api):
    number = dispatched_ticket(api, "zjj")["number"]
    response = api.post(f"/tickets/{number}/return", "zjj", {"reason": "   "})
    assert response.status_code == 400
    assert response.json["field"] == "reason"


@MANUAL
def test_signing_twice_is_409_not_500(api):
    number = dispatched_ticket(api, "zjj")["number"]
    assert api.post(f"/tickets/{number}/sign", "zjj").status_code == 200
    again = api.post(f"/tickets/{number}/sign", "zjj")
    assert again.status_code == 409
    assert again.json["error"] == "action_not_allowed"
    assert again.json["params"] == {"number": number, "action": "signed", "status": "signed"}


@MANUAL
def test_callback_unreached_three_times_is_unreachable(api, clock):
    number = replied_ticket(api, "zjj")["number"]
    for attempt in (1, 2):
        response = api.post(f"/tickets/{number}/callback", "supervisor", {"reached": False, "comment": "无人接听"})
        assert response.json["status"] == "replied", attempt
        clock.set(clock.now + timedelta(hours=2))  # the next attempt at least CALLBACK_RETRY_HOURS later
    last = api.post(f"/tickets/{number}/callback", "supervisor", {"reached": False}).json
    assert last["status"] == "closed"
    assert last["callback_unreachable"] is True
    assert actions(last)[-3:] == ["callback_unreached", "callback_unreached", "callback_unreachable"]


@MANUAL
def test_callback_satisfied_but_unsolved_reopens(api):
    number = replied_ticket(api, "zjj")["number"]
    ticket = api.post(f"/tickets/{number}/callback", "supervisor",
                      {"reached": True, "solved": False, "satisfaction": "satisfied"}).json
    assert ticket["status"] == "dispatched"
    assert ticket["reopen_count"] == 1


@MANUAL
@pytest.mark.parametrize("body, field", [
    ({"reached": True, "satisfaction": "satisfied"}, "solved"),
    ({"reached": True, "solved": True}, "satisfaction"),
    ({"reached": True, "solved": True, "satisfaction": "happy"}, "satisfaction"),
    ({"reached": "yes"}, "reached"),
])
def test_callback_bad_input_names_the_field(api, body, field):
    number = replied_ticket(api, "zjj")["number"]
    response = api.post(f"/tickets/{number}/callback", "supervisor", body)
    assert response.status_code == 400
    assert response.json["field"] == field


@MANUAL
def test_callback_on_ticket_not_replied_is_409(api):
    number = dispatched_ticket(api, "zjj")["number"]
    response = api.post(f"/tickets/{number}/callback", "supervisor",
                        {"reached": True, "solved": True, "satisfaction": "satisfied"})
    assert response.status_code == 409


@MANUAL
def test_department_sees_only_its_own_unit(api):
    mine = dispatched_ticket(api, "zjj")["number"]
    other = dispatched_ticket(api, "jtj")["number"]
    inbox = api.get("/department/tickets", "zjj").json
    assert [t["number"] for t in inbox["items"]] == [mine]
    assert api.get(f"/tickets/{other}", "zjj").status_code == 404
    assert api.post(f"/tickets/{other}/sign", "zjj").status_code == 404
    assert [t["number"] for t in api.get("/tickets", "zjj").json["items"]] == [mine]


@MANUAL
def test_department_sees_the_phone_masked(api):
    number = dispatched_ticket(api, "zjj")["number"]
    assert api.get(f"/tickets/{number}", "zjj").json["caller_phone"] == "138****5678"
    assert api.get(f"/tickets/{number}", "dispatcher").json["caller_phone"] == CALL["caller_phone"]


@MANUAL
def test_department_inbox_filters_by_status(api):
    a = dispatched_ticket(api, "zjj")["number"]
    b = dispatched_ticket(api, "zjj")["number"]
    api.post(f"/tickets/{a}/sign", "zjj")
    signed = api.get("/department/tickets?status=signed", "zjj").json["items"]
    assert [t["number"] for t in signed] == [a]
    waiting = api.get("/department/tickets?status=dispatched", "zjj").json["items"]
    assert [t["number"] for t in waiting] == [b]
    assert api.get("/department/tickets?status=lost", "zjj").json["field"] == "status"


@MANUAL
def test_every_status_change_writes_an_event(api, session):
    number = replied_ticket(api, "zjj")["number"]
    ticket = ticket_row(session, number)
    events = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)).all()
    chain = [(e.from_status, e.to_status) for e in events if e.from_status != e.to_status]
    # Replaying the status changes rebuilds the ticket's status.
    assert chain[-1][1] == ticket.status
    for (_, to), (frm, _) in zip(chain, chain[1:]):
        assert to == frm


def test_ticket_list_is_paged(api):
    for _ in range(3):
        new_ticket(api, resolved_on_call=True, reply="已解答")
    page = api.get("/tickets?per_page=2&page=2", "supervisor").json
    assert page["total"] == 3
    assert len(page["items"]) == 1
    assert api.get("/tickets?per_page=1000", "supervisor").json["field"] == "per_page"


def test_unknown_ticket_is_404(api):
    response = api.get("/tickets/2026010100001", "dispatcher")
    assert response.status_code == 404
    assert response.json["field"] == "number"


@MANUAL
def test_assign_to_unknown_department_names_the_field(api, session):
    number = new_ticket(api)["number"]
    response = api.post(f"/tickets/{number}/assign", "dispatcher", {"department": "nope"})
    assert response.status_code == 400
    assert response.json["field"] == "department"
    assert session.scalar(select(func.count()).select_from(TicketEvent)) == 2  # created, queued: nothing more


@MANUAL
def test_return_is_refused_past_the_sign_limit(api, clock):
    number = dispatched_ticket(api, "zjj")["number"]
    # Sign-by is Monday 11:00 (two working hours from 09:00); at 11:01 the unit must handle it.
    clock.set(datetime.fromisoformat("2026-11-16T11:01:00+08:00"))
    response = api.post(f"/tickets/{number}/return", "zjj", {"reason": "不属于本单位"})
    assert response.status_code == 409
    assert "sign limit" in response.json["message"]


@MANUAL
def test_a_pending_extension_dies_with_a_return_and_the_next_unit_may_ask(api):
    number = dispatched_ticket(api, "jtj")["number"]
    api.post(f"/tickets/{number}/extension", "jtj", {"reason": "需协调", "working_days": 3})
    returned = api.post(f"/tickets/{number}/return", "jtj", {"reason": "不属于交通"}).json
    assert actions(returned)[-2:] == ["extension_rejected", "returned"]
    api.post(f"/tickets/{number}/assign", "dispatcher", {"department": "zjj"})
    assert api.post(f"/tickets/{number}/extension/approve", "supervisor").status_code == 409
    asked = api.post(f"/tickets/{number}/extension", "zjj", {"reason": "需要施工", "working_days": 2})
    assert asked.status_code == 200


@MANUAL
def test_a_reply_closes_an_undecided_extension(api):
    number = dispatched_ticket(api, "zjj")["number"]
    api.post(f"/tickets/{number}/sign", "zjj")
    api.post(f"/tickets/{number}/extension", "zjj", {"reason": "需要时间", "working_days": 2})
    replied = api.post(f"/tickets/{number}/reply", "zjj", {"reply": "已办结"}).json
    assert actions(replied)[-2:] == ["extension_rejected", "replied"]
    assert replied["reply_by"] == "2026-11-20T17:30:00+08:00"


@MANUAL
def test_dispatcher_merges_a_repeat_over_the_api(api):
    original = dispatched_ticket(api)
    duplicate = new_ticket(api, caller_phone="13900002222")
    merged = api.post(f"/tickets/{duplicate['number']}/merge", "dispatcher",
                      {"original": original["number"], "note": "同一处墙皮"})
    assert merged.status_code == 200, merged.json
    assert merged.json["status"] == "closed" and merged.json["repeat_of"] == original["number"]
    assert actions(merged.json)[-1] == "merged"
    missing = api.post(f"/tickets/{original['number']}/merge", "dispatcher", {"original": "20990101999"})
    assert missing.status_code == 404 and missing.json["field"] == "original"
    assert api.post(f"/tickets/{duplicate['number']}/merge", "operator",
                    {"original": original["number"]}).status_code == 403


@MANUAL
def test_bulk_assign_over_the_api_sends_all_or_none(api, session):
    first, second = new_ticket(api)["number"], new_ticket(api, caller_phone="13700000009")["number"]
    response = api.post("/dispatch/bulk-assign", "dispatcher", {"numbers": [first, second], "department": "zjj"})
    assert response.status_code == 200 and response.json["assigned"] == [first, second]
    again = api.post("/dispatch/bulk-assign", "dispatcher", {"numbers": [first], "department": "jtj"})
    assert again.status_code == 409 and again.json["error"] == "action_not_allowed"
    assert api.post("/dispatch/bulk-assign", "dispatcher", {"numbers": [], "department": "zjj"}).status_code == 400


def test_alerts_are_acknowledged_in_bulk_over_the_api(api, session):
    from models import Alert
    from tests.builders import at

    rows = [Alert(district=d, category="城建", ticket_count=5, window_start=at(2026, 11, 15), window_end=at(2026, 11, 16))
            for d in ("雁峰区", "石鼓区")]
    session.add_all(rows)
    session.commit()
    response = api.post("/alerts/acknowledge", "supervisor", {"alert_ids": [a.id for a in rows]})
    assert response.status_code == 200 and response.json["acknowledged"] == [a.id for a in rows]
    unknown = api.post("/alerts/acknowledge", "supervisor", {"alert_ids": [rows[0].id, 999999]})
    assert unknown.status_code == 404
