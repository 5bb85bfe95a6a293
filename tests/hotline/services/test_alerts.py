"""Hot spots (热点), called directly: N tickets of one category in one district within a window raise one alert."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hotline.services.alerts import HotspotRules, acknowledge, check_hotspot
from hotline.services.errors import NotFound
from models import Alert
from tests.builders import at, make_ticket, user

START = at(2026, 11, 16, 9)
RULES = HotspotRules(min_tickets=3, window_hours=24)


def calls(session, *hours, category="城建", district="雁峰区") -> None:
    """Tickets of `category` in `district`, created the given hours after START."""
    for hour in hours:
        make_ticket(session, START + timedelta(hours=hour), predicted_category=category, district=district)


def check(session, hours: float, category="城建", district="雁峰区", rules=RULES) -> Alert | None:
    """The hot-spot check as intake runs it, `hours` after START."""
    return check_hotspot(session, category, district, START + timedelta(hours=hours), rules)


def test_below_the_threshold_no_alert(session):
    calls(session, 0, 5)
    calls(session, 6, category="交通")
    calls(session, 6, district="珠晖区")
    assert check(session, 6) is None
    assert session.scalar(select(func.count()).select_from(Alert)) == 0


def test_reaching_the_threshold_raises_an_alert_over_the_window(session):
    calls(session, 0, 5, 10)
    alert = check(session, 10)
    assert (alert.category, alert.district, alert.ticket_count) == ("城建", "雁峰区", 3)
    assert alert.window_start == START + timedelta(hours=10 - 24) and alert.window_end == START + timedelta(hours=10)
    assert alert.created_at == alert.window_end and alert.acknowledged_at is None


@pytest.mark.parametrize("min_tickets, window_hours, raised", [(4, 24, False), (2, 24, True), (3, 6, False)])
def test_the_rules_set_the_threshold_and_the_window(session, min_tickets, window_hours, raised):
    calls(session, 0, 5, 10)
    assert (check(session, 10, rules=HotspotRules(min_tickets, window_hours)) is not None) == raised


def test_one_alert_per_spot_and_window_refreshed_by_later_tickets(session):
    calls(session, 0, 5, 10)
    alert = check(session, 10)
    calls(session, 11)
    again = check(session, 11)
    assert again is alert and alert.ticket_count == 4 and alert.window_end == START + timedelta(hours=11)
    assert session.scalar(select(func.count()).select_from(Alert)) == 1


def test_a_spot_that_cools_down_and_flares_again_gets_a_new_alert(session):
    calls(session, 0, 5, 10)
    first = check(session, 10)
    assert check(session, 35) is None  # a day after the last ticket the window is empty
    calls(session, 60, 61, 62)
    second = check(session, 62)
    assert second is not first and second.ticket_count == 3


def test_a_ticket_without_category_or_district_is_no_hot_spot(session):
    calls(session, 0, 1, 2)
    assert check(session, 2, category=None) is None and check(session, 2, district=None) is None


def test_acknowledging_keeps_the_first_acknowledgement(session):
    calls(session, 0, 5, 10)
    alert = check(session, 10)
    session.flush()
    supervisor, admin = user(session, "supervisor"), user(session, "admin")
    acknowledge(session, alert.id, supervisor.id, START + timedelta(hours=12))
    acknowledge(session, alert.id, admin.id, START + timedelta(hours=13))
    assert alert.acknowledged_by_id == supervisor.id and alert.acknowledged_at == START + timedelta(hours=12)
    with pytest.raises(NotFound) as missing:
        acknowledge(session, alert.id + 1, supervisor.id, START)
    assert missing.value.field == "id"
