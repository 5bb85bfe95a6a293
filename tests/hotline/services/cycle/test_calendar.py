"""Working-day deadlines end to end (weekend, National Day 2026 and its make-up days, extension, local
closures), the admin's holiday overrides and the time limits in force."""
import pytest

from hotline.services.sla import DEFAULT_TIME_LIMITS

from tests.builders import at
from tests.hotline.api.helpers import BY_HAND, Desk, local

pytestmark = BY_HAND


def test_deadlines_across_a_weekend(api, clock):
    desk = Desk(api, clock)
    ticket = desk.ticket(desk.new(at(2026, 11, 20, 16)))  # a complaint on Friday 16:00
    # Sign within 2 working hours: Friday 16:00–17:30 is 1.5 h, then 30 min on Monday → Monday 09:30.
    assert local(ticket["sign_by"]) == at(2026, 11, 23, 9, 30)
    # Reply within 5 working days (35 h): Friday 1.5 h + Monday–Thursday 28 h = 29.5 h; the last 5.5 h on
    # Friday 11-27: 09:00–12:00 (3 h), then 2.5 h from 13:30 → 16:00, a week later to the minute.
    assert local(ticket["reply_by"]) == at(2026, 11, 27, 16)


def test_deadlines_across_national_day_and_its_make_up_saturday(api, clock):
    desk = Desk(api, clock)
    number = desk.new(at(2026, 9, 30, 15), appeal_type="help")  # 求助: sign 2 wh, reply 3 wd (21 h)
    ticket = desk.ticket(number)
    assert local(ticket["sign_by"]) == at(2026, 9, 30, 17)
    # Wednesday 9-30 15:00–17:30 = 2.5 h; 10-01…10-07 are National Day; Thursday 10-08 and Friday 10-09 add
    # 14 h (16.5 h); Saturday 10-10 is a make-up working day (调休): 3 h in the morning (19.5 h), the last
    # 1.5 h from 13:30 → Saturday 15:00.
    assert local(ticket["reply_by"]) == at(2026, 10, 10, 15)
    desk.sign(number, at(2026, 9, 30, 16), "zjj")
    desk.call("POST", f"/tickets/{number}/extension", "zjj", at(2026, 10, 9, 10),
              {"reason": "需协调多部门", "working_days": 2})
    approved = desk.call("POST", f"/tickets/{number}/extension/approve", "supervisor", at(2026, 10, 9, 11), {})
    # Two more working days (14 h) from Saturday 10-10 15:00: 2.5 h that day, Sunday 10-11 is an ordinary day
    # off, Monday 10-12 7 h (9.5 h), Tuesday 10-13 3 h + 1.5 h from 13:30 → Tuesday 15:00.
    assert local(approved["reply_by"]) == at(2026, 10, 13, 15)
    assert approved["flag"] == "green"  # 3.5 h of 35 h used


def test_a_local_closure_moves_new_deadlines(api, clock):
    desk = Desk(api, clock)
    created = api.post("/admin/holidays", "admin", {"day": "2026-11-23", "is_workday": False, "note": "市运会"})
    assert created.status_code == 201
    assert created.json == {"day": "2026-11-23", "is_workday": False, "note": "市运会"}
    ticket = desk.ticket(desk.new(at(2026, 11, 20, 16)))
    assert local(ticket["sign_by"]) == at(2026, 11, 24, 9, 30)  # Monday is closed: Tuesday 09:30
    assert local(ticket["reply_by"]) == at(2026, 11, 30, 16)
    # Replacing the override (the closure is cancelled) answers 200; the next ticket is back to normal.
    again = api.post("/admin/holidays", "admin", {"day": "2026-11-23", "is_workday": True, "note": "取消"})
    assert again.status_code == 200
    ticket = desk.ticket(desk.new(at(2026, 11, 20, 16)))
    assert local(ticket["sign_by"]) == at(2026, 11, 23, 9, 30)
    listed = api.get("/admin/holidays?year=2026", "admin").json
    assert listed["overrides"] == [{"day": "2026-11-23", "is_workday": True, "note": "取消"}]
    assert listed["calendar"]["ok"] is True
    assert api.get("/admin/holidays?year=2025", "admin").json["overrides"] == []
    assert api.call("DELETE", "/admin/holidays/2026-11-23", "admin").json == {"deleted": "2026-11-23"}
    assert api.call("DELETE", "/admin/holidays/2026-11-23", "admin").status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"day": "2026-13-01", "is_workday": False}, "day"),
    ({"day": "2026-02-30", "is_workday": False}, "day"),
    ({"day": "23/11/2026", "is_workday": False}, "day"),
    ({"day": "tomorrow", "is_workday": False}, "day"),
    ({"day": 20261123, "is_workday": False}, "day"),
    ({"is_workday": False}, "day"),
    ({"day": "2026-11-23", "is_workday": "no"}, "is_workday"),
    ({"day": "2026-11-23"}, "is_workday"),
    ({"day": "2026-11-23", "is_workday": False, "note": "长" * 201}, "note"),
    ({"day": "2026-11-23", "is_workday": False, "colour": "red"}, "colour"),
])
def test_a_malformed_override_is_400_naming_the_field(api, body, field):
    response = api.post("/admin/holidays", "admin", body)
    assert response.status_code == 400, response.json
    assert response.json["field"] == field
    assert api.get("/admin/holidays", "admin").json["overrides"] == []


@pytest.mark.parametrize("day", ["2026-13-01", "20261123", "soon", "2026-11-2"])
def test_deleting_a_malformed_day_is_400(api, day):
    response = api.call("DELETE", f"/admin/holidays/{day}", "admin")
    assert response.status_code == 400 and response.json["field"] == "day"


def test_only_the_admin_edits_the_calendar(api):
    assert api.post("/admin/holidays", "supervisor", {"day": "2026-11-23", "is_workday": False}).status_code == 403
    assert api.get("/admin/holidays?year=20x6", "admin").json["field"] == "year"


@pytest.mark.app_config(TIME_LIMITS={**DEFAULT_TIME_LIMITS, "complaint": {"sign": "1wh", "reply": "3wd"}},
                        ASSESSMENT_WEIGHTS={"response": 10, "solved": 45, "satisfaction": 45})
def test_time_limits_come_from_configuration(api, clock):
    body = api.get("/admin/time-limits", "admin").json
    assert body["time_limits"]["complaint"] == {"sign": "1wh", "reply": "3wd"}
    assert body["time_limits"]["enterprise"] == {"sign": "7d", "reply": "2mo"}
    assert body["working_hours"] == ["09:00-12:00", "13:30-17:30"]
    assert body["flags"] == {"yellow_share": 0.8, "black_after_working_days": 5}
    assert body["assessment_weights"] == {"response": 10, "solved": 45, "satisfaction": 45}
    assert api.get("/admin/time-limits", "operator").status_code == 403
    ticket = Desk(api, clock).ticket(Desk(api, clock).new(at(2026, 11, 16, 9)))
    assert local(ticket["sign_by"]) == at(2026, 11, 16, 10)
    assert local(ticket["reply_by"]) == at(2026, 11, 18, 17, 30)


def test_enterprise_appeals_have_their_own_limits(api, clock):
    desk = Desk(api, clock)
    ticket = desk.ticket(desk.new(at(2026, 11, 16, 9), enterprise_name="衡阳某某机械有限公司",
                                  enterprise_credit_code="91430400MA4L8XXX0J"))
    assert local(ticket["sign_by"]) == at(2026, 11, 23, 9)  # respond within 7 (calendar) days
    assert local(ticket["reply_by"]) == at(2027, 1, 16, 9)  # close within 2 months
