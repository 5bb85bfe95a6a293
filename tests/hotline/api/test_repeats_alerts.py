"""Repeat complaints (重复件) are linked; hot spots raise alerts."""
from datetime import timedelta

import pytest

from hotline.services.alerts import HotspotRules, check_hotspot
from tests.builders import make_ticket, ticket_row

from .helpers import CALL, new_ticket

NOISE = "我家楼下的烧烤店每天晚上营业到凌晨两点，油烟和噪音严重扰民，多次反映没有解决。"


@pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=1.01)
def test_same_caller_same_problem_is_linked(api, clock):
    first = new_ticket(api, content=NOISE)
    clock.set(clock.now + timedelta(days=3))
    similar = api.post("/tickets/similar", "operator",
                       {"content": NOISE.replace("两点", "三点"), "caller_phone": CALL["caller_phone"]}).json
    assert [s["number"] for s in similar["similar"]] == [first["number"]]
    assert similar["similar"][0]["reason"] == "same_caller"
    second = new_ticket(api, content=NOISE.replace("两点", "三点"))
    assert second["repeat_of"] == first["number"]
    assert api.get(f"/tickets/{first['number']}", "dispatcher").json["repeat_count"] == 1
    assert "linked_repeat" in [e["action"] for e in second["events"]]


@pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=1.01)
def test_same_place_other_caller_is_linked_and_counted_on_the_original(api, clock):
    first = new_ticket(api, content=NOISE)
    second = new_ticket(api, content=NOISE, caller_phone="13900001111")
    third = new_ticket(api, content=NOISE + "请尽快处理", caller_phone="13900002222")
    assert second["repeat_of"] == third["repeat_of"] == first["number"]
    assert api.get(f"/tickets/{first['number']}", "dispatcher").json["repeat_count"] == 2


@pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=1.01)
def test_different_problem_or_old_ticket_is_not_a_repeat(api, clock, session):
    first = new_ticket(api, content=NOISE)
    other = new_ticket(api, content="孩子明年上小学，想咨询学区划分和入学报名需要准备哪些材料。")
    assert other["repeat_of"] is None
    # Close the first, then come back after 31 days: no longer a repeat.
    from models import TicketStatus

    ticket = ticket_row(session, first["number"])
    ticket.status = TicketStatus.CLOSED
    session.commit()
    clock.set(clock.now + timedelta(days=31))
    late = new_ticket(api, content=NOISE)
    assert late["repeat_of"] is None


def test_hot_spot_raises_one_alert_per_window(api, session, clock):
    rules = HotspotRules(min_tickets=3, window_hours=24)
    start = clock.now
    for hours in (0, 5, 10):
        make_ticket(session, start + timedelta(hours=hours), predicted_category="城建", district="雁峰区")
    make_ticket(session, start + timedelta(hours=10), predicted_category="交通", district="雁峰区")
    assert check_hotspot(session, "交通", "雁峰区", start + timedelta(hours=10), rules) is None
    alert = check_hotspot(session, "城建", "雁峰区", start + timedelta(hours=10), rules)
    assert alert is not None and alert.ticket_count == 3
    make_ticket(session, start + timedelta(hours=11), predicted_category="城建", district="雁峰区")
    again = check_hotspot(session, "城建", "雁峰区", start + timedelta(hours=11), rules)
    assert again is alert and alert.ticket_count == 4  # the same alert, refreshed
    session.commit()
    alerts = api.get("/alerts", "supervisor").json["alerts"]
    assert [(a["category"], a["district"], a["count"]) for a in alerts] == [("城建", "雁峰区", 4)]
    # A day later only the ticket of hour 11 is left in the window: no hot spot.
    assert check_hotspot(session, "城建", "雁峰区", start + timedelta(hours=35), rules) is None


def test_similar_with_bad_phone_is_400(api):
    response = api.post("/tickets/similar", "operator", {"content": NOISE, "caller_phone": "123"})
    assert response.status_code == 400
    assert response.json["field"] == "caller_phone"
