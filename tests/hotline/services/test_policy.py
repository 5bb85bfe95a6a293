"""The rules in force: every number comes from the settings, the admin's saved limits and calendar win."""
from datetime import date, time

import pytest

from hotline.config import DEFAULTS
from hotline.services import sla
from hotline.services.directory import save_time_limits
from hotline.services.policy import load_policy, parse_working_hours, policy_from_settings
from models import CalendarOverride
from tests.builders import at, user

CHANGED = {
    "MAX_RETURNS": 1, "MAX_CALLBACK_ATTEMPTS": 5, "MAX_EXTENSION_WORKING_DAYS": 7,
    "REPEAT_WINDOW_DAYS": 14, "REPEAT_SIMILARITY": 0.7, "REPEAT_CALLER_SIMILARITY": 0.4,
    "HOTSPOT_MIN_TICKETS": 8, "HOTSPOT_WINDOW_HOURS": 12, "CALLBACK_WORKING_DAYS": 2,
    "TIMEZONE": "Asia/Urumqi", "WORKING_HOURS": ["08:30-12:00", "14:00-18:00"],
}


def test_the_default_policy_holds_the_default_settings(policy):
    assert (policy.max_returns, policy.max_callback_attempts, policy.max_extension_working_days) == (
        DEFAULTS["MAX_RETURNS"], DEFAULTS["MAX_CALLBACK_ATTEMPTS"], DEFAULTS["MAX_EXTENSION_WORKING_DAYS"])
    assert policy.time_limits == sla.validate_time_limits(sla.DEFAULT_TIME_LIMITS)
    assert policy.tz.key == "Asia/Shanghai"


def test_every_number_is_read_from_the_settings(app):
    policy = policy_from_settings({**app.config, **CHANGED})
    assert (policy.max_returns, policy.max_callback_attempts, policy.max_extension_working_days) == (1, 5, 7)
    rules = policy.repeat_rules
    assert (rules.window_days, rules.place_similarity, rules.caller_similarity) == (14, 0.7, 0.4)
    assert (policy.hotspot_rules.min_tickets, policy.hotspot_rules.window_hours) == (8, 12)
    assert policy.cycle_rules.callback_working_days == 2
    assert policy.tz.key == "Asia/Urumqi" and policy.calendar.tz.key == "Asia/Urumqi"
    assert policy.calendar.hours == ((time(8, 30), time(12)), (time(14), time(18)))


def test_the_time_limits_setting_replaces_the_defaults(app):
    limits = {**sla.DEFAULT_TIME_LIMITS, "complaint": {"sign": "1wh", "reply": "3wd"}}
    policy = policy_from_settings({**app.config, "TIME_LIMITS": limits})
    assert policy.time_limits["complaint"] == {"sign": sla.Limit(1, "wh"), "reply": sla.Limit(3, "wd")}
    with pytest.raises(ValueError, match="'complaint' 'reply'"):
        policy_from_settings({**app.config, "TIME_LIMITS": {**limits, "complaint": {"sign": "1wh", "reply": "3x"}}})


@pytest.mark.parametrize("periods, message", [
    (["9-12"], "'9-12' is not HH:MM-HH:MM"),
    (["09:00"], "'09:00' is not HH:MM-HH:MM"),
    (["12:00-09:00"], "'12:00-09:00' ends before it starts"),
])
def test_bad_working_hours_are_named(periods, message):
    with pytest.raises(ValueError, match=f"WORKING_HOURS: {message}"):
        parse_working_hours(periods)


def test_working_hours_parse_in_order():
    assert parse_working_hours([" 09:00 - 12:00", "13:30-17:30"]) == ((time(9), time(12)), (time(13, 30), time(17, 30)))


def test_the_admins_saved_limits_win_over_the_setting(app, session):
    saved = {key: dict(entry) for key, entry in sla.DEFAULT_TIME_LIMITS.items()}
    saved["complaint"] = {"sign": "4wh", "reply": "10wd"}
    save_time_limits(session, saved, user(session, "admin"), at(2026, 11, 16))
    configured = {**sla.DEFAULT_TIME_LIMITS, "complaint": {"sign": "1wh", "reply": "3wd"}}
    policy = load_policy(session, {**app.config, "TIME_LIMITS": configured})
    assert policy.time_limits["complaint"] == {"sign": sla.Limit(4, "wh"), "reply": sla.Limit(10, "wd")}


def test_the_admins_calendar_overrides_are_in_force(app, session):
    session.add_all([CalendarOverride(day=date(2026, 11, 17), is_workday=False, note="停电"),
                     CalendarOverride(day=date(2026, 11, 21), is_workday=True, note="补班")])
    session.flush()
    policy = load_policy(session, app.config)
    assert not policy.calendar.is_workday(date(2026, 11, 17)) and policy.calendar.is_workday(date(2026, 11, 21))
    assert policy.calendar.is_workday(date(2026, 11, 18))
    # A working day from Monday 17:00 ends on Wednesday at 17:00, not Tuesday: Tuesday is closed.
    assert policy.calendar.add_working_days(at(2026, 11, 16, 17), 1) == at(2026, 11, 18, 17)
