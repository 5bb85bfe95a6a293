"""分级解决, co-units, handlers and notes over the JSON API: what each answers, and bad input named."""
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotline.notify.render import render
from hotline.services import outbox, workflow
from models import OutboxMessage
from tests.builders import department, ticket_row, unit_user

from .helpers import BY_HAND, CALL, Desk, dispatched_ticket, new_ticket, replied_ticket

pytestmark = BY_HAND


@pytest.fixture
def desk(api) -> Desk:
    return Desk(api)


def test_intake_grade_and_the_ticket_json(api):
    ticket = new_ticket(api, grade="D")
    assert (ticket["grade"], ticket["supervised_by"], ticket["co_units"], ticket["handler"]) == (
        "D", "city_leader", [], None)
    on_call = new_ticket(api, resolved_on_call=True, reply="已答复。")
    assert (on_call["grade"], on_call["supervised_by"]) == ("A", "on_the_spot")
    assert new_ticket(api)["grade"] == "B"


@pytest.mark.parametrize(("change", "field"), [
    ({"grade": "E"}, "grade"),
    ({"grade": "A"}, "grade"),
    ({"grade": "B", "resolved_on_call": True, "reply": "已答复。"}, "grade"),
])
def test_a_bad_intake_grade_is_a_400_naming_it(api, change, field):
    response = api.post("/tickets", "operator", {**CALL, **change})
    assert response.status_code == 400, response.json
    assert response.json["field"] == field


def test_grade_c_co_unit_sees_replies_and_the_lead_closes(api, desk):
    number = dispatched_ticket(api, "zjj")["number"]
    graded = desk.call("POST", f"/tickets/{number}/grade", "dispatcher",
                       body={"grade": "C", "lead": "zjj", "co_units": ["jtj"]})
    assert graded["grade"] == "C" and [c["code"] for c in graded["co_units"]] == ["jtj"]
    assert graded["events"][-1]["action"] == "graded"
    inbox = desk.call("GET", "/department/tickets", "jtj")
    assert [t["number"] for t in inbox["items"]] == [number]
    assert desk.call("GET", f"/tickets/{number}", "jtj")["number"] == number
    assert api.get(f"/tickets/{number}", "jyj").status_code == 404
    part = desk.call("POST", f"/tickets/{number}/co-reply", "jtj", body={"reply": "已配合完成站点迁移。"})
    assert part["co_units"][0]["reply"] == "已配合完成站点迁移。" and part["co_units"][0]["replied_at"]
    assert part["status"] == "dispatched" and part["events"][-1]["action"] == "co_unit_replied"
    again = api.post(f"/tickets/{number}/co-reply", "jtj", {"reply": "再说一次"})
    assert (again.status_code, again.json["error"]) == (409, "co_unit_already_replied")
    lead = api.post(f"/tickets/{number}/co-reply", "zjj", {"reply": "主办"})
    assert (lead.status_code, lead.json["error"]) == (409, "not_a_co_unit")
    desk.sign(number)
    assert desk.reply(number)["status"] == "replied"


def test_each_co_unit_gets_the_lead_units_new_ticket_notice(api, app):
    with app.extensions["hotline.sessionmaker"]() as session:
        for code in ("zjj", "jtj", "sthjj"):
            outbox.add_target(session, department(session, code).id, "email", f"{code}@example.gov.cn")
        session.commit()
    number = dispatched_ticket(api, "zjj")["number"]
    assert api.post(f"/tickets/{number}/grade", "dispatcher",
                    {"grade": "C", "co_units": ["jtj", "sthjj"]}).status_code == 200
    with app.extensions["hotline.sessionmaker"]() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "new_ticket",
                                                           OutboxMessage.ticket_id == ticket_row(session, number).id)
                               .order_by(OutboxMessage.id)).all()
        assert [(m.recipient, m.payload.get("co_unit")) for m in rows] == [
            ("zjj@example.gov.cn", None), ("jtj@example.gov.cn", "jtj"), ("sthjj@example.gov.cn", "sthjj")]
        assert "协办单位" in render(rows[1], ZoneInfo("Asia/Shanghai")).text


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"grade": "X"}, 400, "grade"),
    ({}, 400, "grade"),
    ({"grade": "C"}, 400, "co_units"),
    ({"grade": "C", "co_units": ["nope"]}, 400, "co_units"),
    ({"grade": "C", "co_units": "jtj"}, 400, "co_units"),
    ({"grade": "C", "co_units": ["jtj"], "lead": "jtj"}, 400, "lead"),
    ({"grade": "B"}, 409, None),
])
def test_bad_grade_requests(api, body, status, field):
    number = dispatched_ticket(api)["number"]
    response = api.post(f"/tickets/{number}/grade", "supervisor", body)
    assert response.status_code == status, response.json
    assert response.json.get("field") == field


def test_grading_a_replied_ticket_is_a_409_and_operators_may_not_grade(api):
    number = replied_ticket(api)["number"]
    response = api.post(f"/tickets/{number}/grade", "dispatcher", {"grade": "D"})
    assert (response.status_code, response.json["error"]) == (409, "action_not_allowed")
    assert api.post(f"/tickets/{number}/grade", "operator", {"grade": "D"}).status_code == 403


def test_handlers_take_assign_round_robin_and_the_inbox_views(api, desk, session, demo_password_hash):
    unit_user(session, "zjj_li", password_hash=demo_password_hash)
    session.commit()
    first, second, third = (dispatched_ticket(api)["number"] for _ in range(3))
    taken = desk.call("POST", f"/tickets/{first}/handler", "zjj", body={"username": "zjj"})
    assert taken["handler"] == {"username": "zjj", "name": "市住房和城乡建设局"}
    assert taken["events"][-1]["data"]["previous"] is None
    given = desk.call("POST", f"/tickets/{second}/handler", "zjj", body={"round_robin": True})
    assert given["handler"]["username"] == "zjj"  # the unit's first handler by id: no turn taken yet
    moved = desk.call("POST", f"/tickets/{second}/handler", "zjj", body={"username": "zjj_li"})
    assert moved["events"][-1]["data"] == {"handler": "zjj_li", "handler_id": moved["events"][-1]["data"]["handler_id"],
                                          "round_robin": False, "previous": "zjj"}
    mine = desk.call("GET", "/department/tickets?handler=me", "zjj")
    assert [t["number"] for t in mine["items"]] == [first]
    unassigned = desk.call("GET", "/department/tickets?handler=none", "zjj_li")
    assert [t["number"] for t in unassigned["items"]] == [third]
    bad = api.get("/department/tickets?handler=everyone", "zjj")
    assert (bad.status_code, bad.json["field"]) == (400, "handler")


@pytest.mark.parametrize(("body", "status", "field"), [
    ({}, 400, "username"),
    ({"username": "zjj", "round_robin": True}, 400, "username"),
    ({"username": "jtj"}, 400, "username"),
    ({"round_robin": "yes"}, 400, "round_robin"),
])
def test_bad_handler_requests(api, body, status, field):
    number = dispatched_ticket(api)["number"]
    response = api.post(f"/tickets/{number}/handler", "zjj", body)
    assert response.status_code == status, response.json
    assert response.json["field"] == field


def test_a_replied_ticket_takes_no_handler_and_others_units_tickets_are_404(api):
    number = replied_ticket(api)["number"]
    response = api.post(f"/tickets/{number}/handler", "zjj", {"username": "zjj"})
    assert (response.status_code, response.json["error"]) == (409, "action_not_allowed")
    other = dispatched_ticket(api, "jtj")["number"]
    assert api.post(f"/tickets/{other}/handler", "zjj", {"username": "zjj"}).status_code == 404


def test_notes_between_centre_and_unit_and_the_urges(api, desk, app, clock):
    number = dispatched_ticket(api)["number"]
    written = api.post(f"/tickets/{number}/notes", "dispatcher", {"body": "市民再次来电催问。"})
    assert written.status_code == 201 and written.json["department"] is None
    desk.call("POST", f"/tickets/{number}/notes", "zjj", body={"body": "已约物业明天上门。"}, status=201)
    with app.extensions["hotline.sessionmaker"]() as session:
        ticket = ticket_row(session, number)
        workflow.record_escalations(session, "sign", [(ticket.id, ticket.status, ticket.department_id, ticket.sign_by)],
                                    clock())
        session.commit()
    seen = desk.call("GET", f"/tickets/{number}/notes", "zjj")
    assert [(n["author"], n["department"], n["body"]) for n in seen["notes"]] == [
        ("dispatcher", None, "市民再次来电催问。"), ("zjj", "zjj", "已约物业明天上门。")]
    assert [u["action"] for u in seen["urges"]] == ["escalated"] and seen["urges"][0]["data"]["deadline"] == "sign"
    assert api.get(f"/tickets/{number}/notes", "jtj").status_code == 404
    empty = api.post(f"/tickets/{number}/notes", "zjj", {"body": "  "})
    assert (empty.status_code, empty.json["field"]) == (400, "body")


def test_a_closed_ticket_takes_no_note(api, desk):
    number = replied_ticket(api)["number"]
    desk.callback(number, None)
    response = api.post(f"/tickets/{number}/notes", "supervisor", {"body": "补充"})
    assert (response.status_code, response.json["error"]) == (409, "notes_closed")
