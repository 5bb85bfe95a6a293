"""挂起, 申诉/核减 and emergency hand-offs over the API: the answers, the fields named, the 409s."""
import pytest

from tests.builders import at

from .helpers import BY_HAND, CALL, Desk

pytestmark = BY_HAND
TUESDAY = at(2026, 9, 22, 9)  # see tests/hotline/services/test_pauses.py for the calendar's figures


@pytest.fixture
def desk(api, clock):
    return Desk(api, clock)


def signed_ticket(desk) -> str:
    number = desk.new(TUESDAY)
    desk.sign(number, TUESDAY)
    return number


def pause_body(**overrides):
    return {"reason": "waiting_citizen", "note": "等待市民提供产权证明", "working_days": 3, **overrides}


def test_pause_approve_resume_over_the_api(desk):
    number = signed_ticket(desk)
    asked = desk.call("POST", f"/tickets/{number}/pause", "zjj", at(2026, 9, 23, 10), pause_body())
    assert asked["paused"] is None and asked["events"][-1]["action"] == "pause_requested"
    listed = desk.call("GET", "/pauses", "supervisor")
    assert [(p["ticket"], p["reason"], p["working_days"]) for p in listed["items"]] == [(number, "waiting_citizen", 3)]
    approved = desk.call("POST", f"/tickets/{number}/pause/approve", "supervisor", at(2026, 9, 23, 14), {"note": "同意"})
    assert approved["paused"] == {"since": "2026-09-23T14:00:00+08:00", "until": "2026-09-29T14:00:00+08:00",
                                  "reason": "waiting_citizen", "note": "等待市民提供产权证明"}
    resumed = desk.call("POST", f"/tickets/{number}/resume", "zjj", at(2026, 9, 29, 10), {})
    assert resumed["paused"] is None and resumed["reply_by"] == "2026-10-09T15:00:00+08:00"
    assert resumed["events"][-1]["data"]["paused_minutes"] == 1110


def test_a_supervisor_resumes_over_the_api(desk):
    number = signed_ticket(desk)
    desk.call("POST", f"/tickets/{number}/pause", "zjj", at(2026, 9, 23, 10), pause_body())
    desk.call("POST", f"/tickets/{number}/pause/approve", "supervisor", at(2026, 9, 23, 14), {})
    resumed = desk.call("POST", f"/tickets/{number}/resume", "supervisor", at(2026, 9, 29, 10), {})
    assert resumed["paused"] is None and resumed["reply_by"] == "2026-10-09T15:00:00+08:00"
    assert resumed["events"][-1]["action"] == "resumed"
    again = desk.call("POST", f"/tickets/{number}/resume", "supervisor", at(2026, 9, 29, 11), {}, status=409)
    assert again["error"] == "not_paused"


def test_a_rejected_pause(desk):
    number = signed_ticket(desk)
    desk.call("POST", f"/tickets/{number}/pause", "zjj", at(2026, 9, 23, 10), pause_body())
    rejected = desk.call("POST", f"/tickets/{number}/pause/reject", "supervisor", at(2026, 9, 23, 14), {})
    assert rejected["paused"] is None and rejected["reply_by"] == "2026-09-29T17:30:00+08:00"


@pytest.mark.parametrize("body, field", [
    (pause_body(reason="bored"), "reason"),
    (pause_body(note=""), "note"),
    (pause_body(working_days="3"), "working_days"),
    (pause_body(working_days=21), "working_days"),
    ({"reason": "other", "note": "x"}, "working_days"),
])
def test_bad_pause_input_is_a_400_naming_the_field(desk, body, field):
    number = signed_ticket(desk)
    refused = desk.call("POST", f"/tickets/{number}/pause", "zjj", at(2026, 9, 23, 10), body, status=400)
    named = refused.get("field") or refused["details"][0]["field"]
    assert named == field, refused


def test_actions_the_state_does_not_allow_are_409s(desk):
    unsigned = desk.new(TUESDAY)
    assert desk.call("POST", f"/tickets/{unsigned}/pause", "zjj", TUESDAY, pause_body(),
                     status=409)["error"] == "action_not_allowed"
    number = signed_ticket(desk)
    assert desk.call("POST", f"/tickets/{number}/pause/approve", "supervisor", TUESDAY, {},
                     status=409)["error"] == "no_pending_pause"
    assert desk.call("POST", f"/tickets/{number}/resume", "zjj", TUESDAY, {}, status=409)["error"] == "not_paused"
    desk.call("POST", f"/tickets/{number}/pause", "zjj", TUESDAY, pause_body())
    assert desk.call("POST", f"/tickets/{number}/pause", "zjj", TUESDAY, pause_body(),
                     status=409)["error"] == "pause_already_pending"
    # A unit cannot approve its own pause; another unit cannot see the ticket.
    desk.call("POST", f"/tickets/{number}/pause/approve", "zjj", TUESDAY, {}, status=403)
    desk.call("POST", f"/tickets/{number}/resume", "jtj", TUESDAY, {}, status=404)


def test_appeals_over_the_api(desk):
    late = signed_ticket(desk)
    desk.reply(late, at(2026, 10, 8, 10))  # reply-by was Tue 29 Sep 17:30: late
    body = {"ticket": late, "period": "2026-09", "item": "late_reply", "reason": "市民要求延后上门"}
    assert desk.call("POST", "/appeals", "zjj", at(2026, 10, 8, 11), body, status=409)["error"] == "report_not_published"
    desk.call("POST", "/reports/monthly/2026-09/publish", "supervisor", at(2026, 10, 8, 12), {}, status=201)
    filed = desk.call("POST", "/appeals", "zjj", at(2026, 10, 9, 10), body, status=201)
    assert (filed["status"], filed["ticket"], filed["department"], filed["item"]) == ("pending", late, "zjj", "late_reply")
    assert [a["id"] for a in desk.call("GET", "/appeals", "zjj")["items"]] == [filed["id"]]
    assert desk.call("GET", "/appeals", "jtj")["items"] == []  # units see only their own
    assert desk.call("GET", "/appeals?status=pending", "supervisor")["total"] == 1
    desk.call("POST", f"/appeals/{filed['id']}/accept", "jtj", None, {}, status=403)
    accepted = desk.call("POST", f"/appeals/{filed['id']}/accept", "supervisor", at(2026, 10, 10, 10), {"note": "属实"})
    assert (accepted["status"], accepted["revision"], accepted["excluded"]) == ("accepted", 2, {"due_to_reply": 1})
    assert desk.call("POST", f"/appeals/{filed['id']}/reject", "supervisor", None, {},
                     status=409)["error"] == "count_appeal_decided"
    report = desk.call("GET", "/reports/monthly/2026-09", "supervisor")
    zjj = next(line for line in report["departments"] if line["department"]["code"] == "zjj")
    assert report["published"]["revision"] == 2 and zjj["overdue"] == 0
    old = desk.call("GET", "/reports/monthly/2026-09?revision=1", "supervisor")
    assert next(line for line in old["departments"] if line["department"]["code"] == "zjj")["overdue"] == 1
    assert desk.call("POST", "/appeals/999/accept", "supervisor", None, {}, status=404)["error"] == "record_not_found"


@pytest.mark.parametrize("body, field", [
    ({"ticket": "1", "period": "2026-13", "item": "late_reply", "reason": "x"}, "period"),
    ({"ticket": "1", "period": "2026-09", "item": "slow", "reason": "x"}, "item"),
    ({"ticket": "1", "period": "2026-09", "item": "late_reply", "reason": ""}, "reason"),
    ({"period": "2026-09", "item": "late_reply", "reason": "x"}, "ticket"),
])
def test_bad_appeal_input_is_a_400_naming_the_field(desk, body, field):
    refused = desk.call("POST", "/appeals", "zjj", at(2026, 10, 9, 10), body, status=400)
    assert (refused.get("field") or refused["details"][0]["field"]) == field, refused


def test_an_emergency_call_is_saved_handed_off_and_listed(desk):
    body = {**CALL, "emergency": {"service": "120", "note": "老人在家中摔倒昏迷，已告知地址和症状"}}
    ticket = desk.call("POST", "/tickets", "operator", at(2026, 9, 10, 15), body, status=201)
    assert ticket["status"] == "closed" and ticket["department"] is None and ticket["reply_by"] is None
    assert ticket["emergency"] == {"service": "120", "note": "老人在家中摔倒昏迷，已告知地址和症状",
                                   "at": "2026-09-10T15:00:00+08:00"}
    assert [e["action"] for e in ticket["events"]] == ["created", "emergency_handed_off"]
    listed = desk.call("GET", "/emergencies?service=120", "supervisor")
    assert [t["number"] for t in listed["items"]] == [ticket["number"]]
    assert desk.call("GET", "/emergencies?service=110", "supervisor")["items"] == []
    assert desk.call("GET", "/emergencies?service=999", "supervisor", status=400)["field"] == "service"
    assert desk.call("GET", "/dispatch/queue", "dispatcher")["items"] == []  # nobody has to dispatch it


@pytest.mark.parametrize("emergency, field", [
    ({"service": "999", "note": "x"}, "emergency.service"),
    ({"service": "110", "note": ""}, "emergency"),
    ({"service": "110"}, "emergency"),
])
def test_bad_emergency_input_is_a_400_naming_the_field(desk, emergency, field):
    refused = desk.call("POST", "/tickets", "operator", TUESDAY, {**CALL, "emergency": emergency}, status=400)
    named = refused.get("field") or refused["details"][0]["field"]
    assert named.startswith(field), refused
