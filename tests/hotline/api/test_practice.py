"""回头看, 集中交办 and the hosted channels over the API: what each action does, and what it refuses."""
from datetime import timedelta

import pytest
from sqlalchemy import update

from models import Revisit, RevisitStatus, Ticket
from tests.builders import at, ticket_row
from tests.hotline.api.helpers import BY_HAND, CALL, Desk

pytestmark = BY_HAND


def closed(desk: Desk, unit: str = "zjj") -> str:
    """A ticket handled by `unit` and closed after a satisfied callback, at the app's clock."""
    number = desk.new(desk.clock.now + timedelta(0), unit)
    desk.sign(number, unit=unit)
    desk.reply(number, unit=unit)
    desk.callback(number, desk.clock.now)
    return number


@pytest.fixture
def desk(api, clock) -> Desk:
    return Desk(api, clock)


@pytest.fixture
def on_the_list(desk, session, policy, clock) -> str:
    """A ticket closed by zjj and drawn for a re-visit 15 days later."""
    number = closed(desk)
    ticket = ticket_row(session, number)
    later = clock.now + timedelta(days=15)
    session.add(Revisit(ticket_id=ticket.id, period="2026-11", department_id=ticket.department_id,
                        closed_at=ticket.closed_at, selected_at=later, selected_day=later.date(),
                        status=RevisitStatus.PENDING, comment=""))
    session.commit()
    clock.set(later)
    return number


def test_the_revisit_list_and_a_fix_that_held(api, desk, on_the_list):
    listed = api.get("/revisits", "supervisor").json
    assert [item["ticket"]["number"] for item in listed["items"]] == [on_the_list]
    assert listed["items"][0]["department"]["code"] == "zjj" and listed["total"] == 1
    done = desk.call("POST", f"/tickets/{on_the_list}/revisit", "supervisor", body={"held": True, "comment": "没再漏水"})
    assert (done["status"], done["held"], done["comment"]) == ("held", True, "没再漏水")
    assert api.get("/revisits", "supervisor").json["items"] == []
    assert [i["ticket"]["number"] for i in api.get("/revisits?status=held", "supervisor").json["items"]] == [on_the_list]
    ticket = desk.ticket(on_the_list)
    assert ticket["status"] == "closed" and ticket["events"][-1]["action"] == "revisited"
    # Called already: a second verdict is a 409, and so is a ticket never drawn.
    again = api.post(f"/tickets/{on_the_list}/revisit", "supervisor", {"held": False, "comment": "x"})
    assert (again.status_code, again.json["error"]) == (409, "no_pending_revisit")


def test_a_fix_that_did_not_hold_reopens_the_ticket_to_its_unit(api, desk, on_the_list):
    done = desk.call("POST", f"/tickets/{on_the_list}/revisit", "supervisor",
                     body={"held": False, "comment": "又漏水了"})
    assert done["status"] == "not_held"
    ticket = desk.ticket(on_the_list, user="zjj")
    assert (ticket["status"], ticket["department"]["code"]) == ("dispatched", "zjj")
    assert [e["action"] for e in ticket["events"][-2:]] == ["revisited", "reopened"]
    assert ticket["sign_by"] is not None


@pytest.mark.parametrize(("body", "field"), [
    ({}, "held"), ({"held": "yes"}, "held"), ({"held": False}, "comment"), ({"held": False, "comment": "  "}, "comment"),
    ({"held": True, "comment": "长" * 1001}, "comment"), ({"held": True, "extra": 1}, "extra"),
])
def test_bad_revisit_input_is_400_naming_the_field(api, on_the_list, body, field):
    response = api.post(f"/tickets/{on_the_list}/revisit", "supervisor", body)
    assert (response.status_code, response.json["field"]) == (400, field), response.json


def test_revisits_are_the_supervisors(api, on_the_list):
    assert api.get("/revisits", "zjj").status_code == 403
    assert api.post(f"/tickets/{on_the_list}/revisit", "zjj", {"held": True}).status_code == 403
    assert api.get("/revisits?status=maybe", "supervisor").json["field"] == "status"


def test_an_open_ticket_is_not_on_the_revisit_list(api, desk):
    number = desk.new(at(2026, 11, 16, 9))
    response = api.post(f"/tickets/{number}/revisit", "supervisor", {"held": True})
    assert (response.status_code, response.json["error"]) == (409, "no_pending_revisit")


# 集中交办


def cluster(desk: Desk, session, size: int = 3) -> list[str]:
    """A first ticket at zjj and `size - 1` repeats waiting for dispatch."""
    root = desk.new(at(2026, 11, 16, 9), "zjj")
    repeats = [desk.new(at(2026, 11, 16, 10), None) for _ in range(size - 1)]
    root_id = ticket_row(session, root).id
    session.execute(update(Ticket).where(Ticket.number.in_(repeats)).values(repeat_of_id=root_id))
    session.execute(update(Ticket).where(Ticket.id == root_id).values(repeat_count=size - 1))
    session.commit()
    return [root, *repeats]


def test_a_batch_hands_a_cluster_to_a_unit_and_closes_when_all_is_closed(api, desk, session, clock):
    numbers = cluster(desk, session)
    clusters = desk.call("GET", "/batches/clusters", "supervisor")["items"]
    assert [(c["root"], c["calls"], c["open_batch"]) for c in clusters] == [(numbers[0], 3, None)]
    batch = desk.call("POST", "/batches", "supervisor", at(2026, 11, 16, 11), {
        "department": "zjj", "tickets": numbers, "deadline": "2026-11-27", "note": "同一小区积水"}, status=201)
    assert (batch["status"], batch["open_tickets"], batch["deadline"]) == ("open", 3, "2026-11-28T00:00:00+08:00")
    assert [t["number"] for t in batch["tickets"]] == sorted(numbers, key=lambda n: ticket_row(session, n).id)
    repeat = desk.ticket(numbers[1])
    assert repeat["department"]["code"] == "zjj"
    assert [e["action"] for e in repeat["events"][-2:]] == ["assigned", "batched"]
    assert desk.ticket(numbers[0])["events"][-1]["action"] == "batched"  # zjj had it already
    assert desk.call("GET", "/batches/clusters", "supervisor")["items"][0]["open_batch"] == batch["id"]
    # The unit sees its own batch; another unit sees none.
    assert [b["id"] for b in api.get("/batches", "zjj").json["items"]] == [batch["id"]]
    assert api.get("/batches", "jtj").json["items"] == []
    assert api.get(f"/batches/{batch['id']}", "jtj").status_code == 404
    # 销号 waits for every ticket.
    early = api.post(f"/batches/{batch['id']}/close", "supervisor", {})
    assert (early.status_code, early.json["error"], early.json["params"]["count"]) == (409, "batch_tickets_open", 3)
    for number in numbers:
        desk.sign(number, at(2026, 11, 16, 13, 45))
        desk.reply(number, at(2026, 11, 17, 10))
        desk.callback(number, at(2026, 11, 17, 14))
    done = desk.call("POST", f"/batches/{batch['id']}/close", "supervisor", at(2026, 11, 18, 9))
    assert (done["status"], done["closed_by"], done["overdue"]) == ("closed", "supervisor", False)
    again = api.post(f"/batches/{batch['id']}/close", "supervisor", {})
    assert (again.status_code, again.json["error"]) == (409, "batch_already_closed")
    assert [b["id"] for b in api.get("/batches?status=closed", "supervisor").json["items"]] == [batch["id"]]


def test_what_a_batch_refuses(api, desk, session):
    numbers = cluster(desk, session)
    first = desk.call("POST", "/batches", "supervisor", body={"department": "zjj", "tickets": numbers[:1],
                                                              "deadline": "2026-11-27"}, status=201)
    again = api.post("/batches", "supervisor", {"department": "jtj", "tickets": numbers, "deadline": "2026-11-27"})
    assert (again.status_code, again.json["error"]) == (409, "ticket_in_open_batch")
    assert again.json["params"] == {"number": numbers[0], "batch": first["id"]}
    busy = desk.new(at(2026, 11, 16, 9), "jtj")
    desk.sign(busy, unit="jtj")
    refused = api.post("/batches", "supervisor", {"department": "zjj", "tickets": [busy], "deadline": "2026-11-27"})
    assert (refused.status_code, refused.json["error"]) == (409, "batch_ticket_busy")
    done = closed(desk)
    refused = api.post("/batches", "supervisor", {"department": "zjj", "tickets": [done], "deadline": "2026-11-27"})
    assert (refused.status_code, refused.json["error"]) == (409, "batch_ticket_closed")
    assert api.post("/batches", "zjj", {"department": "zjj", "tickets": [busy], "deadline": "2026-11-27"}
                    ).status_code == 403


@pytest.mark.parametrize(("change", "field"), [
    ({"department": "nope"}, "department"), ({"department": ""}, "department"),
    ({"tickets": []}, "tickets"), ({"tickets": ["99999999"]}, "tickets"), ({"tickets": "x"}, "tickets"),
    ({"deadline": "2026-11-15"}, "deadline"), ({"deadline": "next week"}, "deadline"), ({"colour": 1}, "colour"),
])
def test_bad_batch_input_is_400_naming_the_field(api, desk, session, change, field):
    number = desk.new(at(2026, 11, 16, 9), None)
    body = {"department": "zjj", "tickets": [number], "deadline": "2026-11-27", **change}
    response = api.post("/batches", "supervisor", body)
    assert (response.status_code, response.json["field"]) == (400, field), response.json
    assert api.get("/batches", "supervisor").json["items"] == []


def test_unknown_batches_are_404(api):
    assert api.get("/batches/999", "supervisor").json["error"] == "batch_not_found"
    assert api.post("/batches/999/close", "supervisor", {}).status_code == 404
    assert api.get("/batches?status=maybe", "supervisor").json["field"] == "status"
    assert api.get("/batches/clusters?period=2026-13", "supervisor").json["field"] == "period"


# Channels


def test_hosted_channels_need_their_host_and_others_refuse_one(api):
    made = api.post("/tickets", "operator", {**CALL, "channel": "entrepreneur_day", "channel_host": "企业家接待日（十一月）"})
    assert made.status_code == 201, made.json
    assert (made.json["channel"], made.json["channel_host"]) == ("entrepreneur_day", "企业家接待日（十一月）")
    for body, code in (({"channel": "leader_day"}, "channel_host_required"),
                       ({"channel": "entrepreneur_day", "channel_host": "  "}, "channel_host_required"),
                       ({"channel": "phone", "channel_host": "张市长"}, "channel_host_not_allowed"),
                       ({"channel_host": "长" * 101}, None)):
        response = api.post("/tickets", "operator", {**CALL, **body})
        assert (response.status_code, response.json["field"]) == (400, "channel_host"), response.json
        if code:
            assert response.json["error"] == code
    phone = api.post("/tickets", "operator", CALL).json
    assert phone["channel_host"] is None
    listed = api.get("/tickets?channel=entrepreneur_day", "supervisor").json["items"]
    assert [t["number"] for t in listed] == [made.json["number"]]
    both = api.get("/tickets?channel=entrepreneur_day,phone", "supervisor").json["total"]
    assert both == 2
    assert api.get("/tickets?channel=fax", "supervisor").json["field"] == "channel"
