"""Issue 12 item 11 over the API: flows a hotline centre found awkward, each fixed (with bad input and 409s)."""
from __future__ import annotations

from datetime import timedelta

from tests import builders

from .helpers import BY_HAND, Desk, dispatched_ticket, new_ticket


@BY_HAND
def test_a_return_takes_a_reason_from_the_list_and_refuses_others_naming_the_field(api, session):
    number = dispatched_ticket(api)["number"]
    wrong = api.post(f"/tickets/{number}/return", "zjj", {"reason": "不归我们", "reason_code": "lazy"})
    assert wrong.status_code == 400 and wrong.json["field"] == "reason_code"
    done = api.post(f"/tickets/{number}/return", "zjj", {"reason": "属地在蒸湘区", "reason_code": "wrong_district"})
    assert done.status_code == 200
    assert done.json["events"][-1]["data"] == {"department": "zjj", "reason_code": "wrong_district"}


@BY_HAND
def test_the_queue_offers_the_unit_that_returned_the_ticket_last(api):
    ticket = new_ticket(api)
    units = [c["department"] for c in ticket["predicted"]["candidates"] if c["department"]]
    assert units, "the demo model proposes a unit for the wall complaint"
    first = units[0]
    Desk(api).assign(ticket["number"], department=first)
    assert api.post(f"/tickets/{ticket['number']}/return", first, {"reason": "不属于本单位职责",
                                                                    "reason_code": "not_ours"}).status_code == 200
    [row] = [t for t in api.get("/dispatch/queue", "dispatcher").json["items"] if t["number"] == ticket["number"]]
    offered = [c["department"]["code"] if c["department"] else None for c in row["offered"]]
    assert offered[0] != first and offered[-1] == first


@BY_HAND
def test_an_unreached_callback_too_soon_after_the_last_is_a_409_with_a_clear_code(api, clock):
    desk = Desk(api, clock)
    number = desk.new(clock.now)
    desk.sign(number)
    desk.reply(number)
    first = clock.now
    desk.callback(number, first, reached=False)
    soon = desk.call("POST", f"/tickets/{number}/callback", "supervisor", first + timedelta(minutes=30),
                     {"reached": False}, status=409)
    assert soon["error"] == "callback_too_soon" and soon["params"]["hours"] == "2"
    assert desk.callback(number, first + timedelta(hours=2), reached=False)["status"] == "replied"


def _case(session, number: str, clock) -> int:
    """A supervision case (疑难) opened on the ticket, its responsible person named."""
    from models import SupervisionCase, SupervisionLevel, SupervisionStatus

    ticket = builders.ticket_row(session, number)
    case = SupervisionCase(quarter="2026Q4", ticket=ticket, department_id=ticket.department_id, reasons=["difficult"],
                           level=SupervisionLevel.DEPARTMENT_HEAD, status=SupervisionStatus.OPEN, problem="疑难",
                           responsible_person="张科长", rectification=[], deadline=clock.now + timedelta(days=10),
                           opened_at=clock.now)
    session.add(case)
    session.commit()
    return case.id


@BY_HAND
def test_the_unit_sees_its_cases_and_fills_in_its_rectification_steps(api, session, clock):
    case_id = _case(session, dispatched_ticket(api)["number"], clock)
    assert [c["id"] for c in api.get("/supervision", "zjj").json["items"]] == [case_id]
    steps = [{"action": "约谈物业公司", "deadline": "2026-11-20", "done": True},
             {"action": "现场复查", "deadline": "2026-11-25"}]
    saved = api.call("PUT", f"/supervision/{case_id}/rectification", "zjj", json={"steps": steps})
    assert saved.status_code == 200, saved.json
    assert saved.json["lists"]["rectification"][1] == {"action": "现场复查", "deadline": "2026-11-25", "done": False}
    assert api.call("PUT", f"/supervision/{case_id}/rectification", "jtj", json={"steps": []}).status_code == 404
    assert api.call("PUT", f"/supervision/{case_id}/rectification", "supervisor",
                    json={"steps": []}).status_code == 403
    blank = api.call("PUT", f"/supervision/{case_id}/rectification", "zjj",
                     json={"steps": [{"action": "", "deadline": "2026-11-20"}]})
    assert blank.status_code == 400 and blank.json["field"].startswith("steps")
    bad_date = api.call("PUT", f"/supervision/{case_id}/rectification", "zjj",
                        json={"steps": [{"action": "复查", "deadline": "2026-02-30"}]})
    assert bad_date.status_code == 400 and bad_date.json["field"].startswith("steps")


@BY_HAND
def test_a_case_of_an_open_ticket_closes_only_with_the_supervisors_reason(api, session, clock):
    case_id = _case(session, dispatched_ticket(api)["number"], clock)
    refused = api.post(f"/supervision/{case_id}/close", "supervisor", {"resolution": "已整改"})
    assert (refused.status_code, refused.json["error"], refused.json["field"]) == (
        409, "supervision_ticket_open", "open_ticket_reason")
    closed = api.post(f"/supervision/{case_id}/close", "supervisor",
                      {"resolution": "已整改", "open_ticket_reason": "整改到位，工单待回复"})
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    assert api.call("PUT", f"/supervision/{case_id}/rectification", "zjj", json={"steps": []}).status_code == 409


@BY_HAND
def test_a_merged_duplicates_caller_is_called_back_once_the_original_closes(api, clock):
    desk = Desk(api, clock)
    original = desk.new(clock.now)
    duplicate = desk.new(clock.now, department=None)
    assert api.post(f"/tickets/{duplicate}/merge", "dispatcher", {"original": original}).status_code == 200
    early = api.post(f"/tickets/{duplicate}/merged-callback", "supervisor", {"reached": False})
    assert early.status_code == 409 and early.json["error"] == "action_not_allowed"
    desk.sign(original)
    desk.reply(original)
    desk.callback(original, clock.now + timedelta(days=1))
    assert [t["number"] for t in api.get("/callbacks/merged", "supervisor").json["items"]] == [duplicate]
    bad = api.post(f"/tickets/{duplicate}/merged-callback", "supervisor", {"reached": True})
    assert bad.status_code == 400 and bad.json["field"] == "solved"
    done = api.post(f"/tickets/{duplicate}/merged-callback", "supervisor",
                    {"reached": True, "solved": True, "satisfaction": "satisfied"})
    assert done.status_code == 200 and done.json["events"][-1]["action"] == "called_back_with_original"
    assert api.get("/callbacks/merged", "supervisor").json["items"] == []
    assert api.post(f"/tickets/{duplicate}/merged-callback", "zjj", {"reached": False}).status_code == 403
