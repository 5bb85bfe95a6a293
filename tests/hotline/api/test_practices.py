"""Issue 12 item 11 over the API: flows a hotline centre found awkward, each fixed (with bad input and 409s)."""
from __future__ import annotations

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
