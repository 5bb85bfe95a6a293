"""Tests for time limits, deadlines, extensions and flags.

Every expectation is worked out by hand in the comment next to it. Default hours are
09:00–12:00 and 13:30–17:30 (420 working minutes a day). Weekdays used: 2026-11-20 is a
Friday, 2026-11-22 a Sunday, 2026-11-26 a Thursday, 2026-12-31 a Thursday.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotline.services import sla
from hotline.services.sla import (
    DEFAULT_TIME_LIMITS,
    Deadlines,
    Flag,
    Limit,
    add_limit,
    add_months,
    deadlines,
    extend,
    flag_for,
    limit_key,
    parse_limit,
    validate_time_limits,
)
from hotline.services.workcal import WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=0, minute=0):
    """Return a pinned Asia/Shanghai moment."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def cal():
    """A calendar with the default hours and no overrides."""
    return WorkCalendar()


# --- parsing and validating configuration ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30min", Limit(30, "min")),
        ("24h", Limit(24, "h")),
        ("2wh", Limit(2, "wh")),
        ("1wd", Limit(1, "wd")),
        ("15wd", Limit(15, "wd")),
        ("7d", Limit(7, "d")),
        ("2mo", Limit(2, "mo")),
        (" 5wd ", Limit(5, "wd")),  # stray spaces from a config file are harmless
    ],
)
def test_parse_limit(text, expected):
    assert parse_limit(text) == expected


@pytest.mark.parametrize("text", ["5x", "", "-1wd", "0wd", "1.5wd", "wd", "2 wh", "2WD"])
def test_parse_limit_errors_name_the_text(text):
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_limit(text)


def test_parse_limit_refuses_a_non_string():
    with pytest.raises(ValueError, match="5"):
        parse_limit(5)


def test_limit_prints_in_configuration_form():
    assert str(parse_limit("15wd")) == "15wd"


def test_limit_itself_refuses_bad_values():
    with pytest.raises(ValueError):
        Limit(2, "weeks")
    with pytest.raises(ValueError):
        Limit(0, "wd")


def test_default_limits_validate():
    parsed = validate_time_limits(DEFAULT_TIME_LIMITS)
    assert parsed["complaint"] == {"sign": Limit(2, "wh"), "reply": Limit(5, "wd")}
    assert parsed["enterprise"] == {"sign": Limit(7, "d"), "reply": Limit(2, "mo")}
    assert set(parsed) == set(DEFAULT_TIME_LIMITS)


def _limits_with(key, value):
    """Return a deep copy of the defaults with one entry replaced (or removed if None)."""
    limits = {name: dict(entry) for name, entry in DEFAULT_TIME_LIMITS.items()}
    if value is None:
        del limits[key]
    else:
        limits[key] = value
    return limits


def test_missing_entry_is_named():
    with pytest.raises(ValueError, match="'praise'"):
        validate_time_limits(_limits_with("praise", None))


def test_invalid_entry_names_key_and_text():
    with pytest.raises(ValueError, match=r"'complaint'.*'reply'.*'5x'"):
        validate_time_limits(_limits_with("complaint", {"sign": "2wh", "reply": "5x"}))


def test_entry_missing_a_phase_is_named():
    with pytest.raises(ValueError, match=r"'help'.*'sign'"):
        validate_time_limits(_limits_with("help", {"reply": "3wd"}))


def test_entry_that_is_not_a_mapping_is_named():
    with pytest.raises(ValueError, match="'urgent'"):
        validate_time_limits(_limits_with("urgent", "30min"))


def test_unknown_key_is_named():
    # "complain" is a typo of "complaint"; refusing it catches the mistake at start-up.
    limits = _limits_with("complain", {"sign": "2wh", "reply": "5wd"})
    with pytest.raises(ValueError, match="'complain'"):
        validate_time_limits(limits)


# --- add_limit -------------------------------------------------------------------------


def test_urgent_limits_run_in_natural_time_at_night(cal):
    # Sat 2026-11-21 22:00: 30 minutes -> 22:30 that night, 24 hours -> Sun 22:00;
    # weekends and nights are not skipped.
    start = at(2026, 11, 21, 22)
    assert add_limit(start, parse_limit("30min"), cal) == at(2026, 11, 21, 22, 30)
    assert add_limit(start, parse_limit("24h"), cal) == at(2026, 11, 22, 22)


def test_working_hours_limit(cal):
    # Fri 16:00 + 2 working hours: Fri 90 min, Mon 09:00 + 30 = 09:30.
    assert add_limit(at(2026, 11, 20, 16), parse_limit("2wh"), cal) == at(2026, 11, 23, 9, 30)


def test_calendar_days_keep_the_time_of_day(cal):
    # Wed 2026-12-30 10:00 + 7 days -> Wed 2027-01-06 10:00, New Year and weekend included.
    assert add_limit(at(2026, 12, 30, 10), parse_limit("7d"), cal) == at(2027, 1, 6, 10)


def test_two_months_from_new_years_eve_clamps_to_february_end(cal):
    # Dec 31 + 2 months is "Feb 31", which 2027 (not a leap year) clamps to Feb 28.
    assert add_limit(at(2026, 12, 31, 15), parse_limit("2mo"), cal) == at(2027, 2, 28, 15)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (at(2027, 12, 31, 9), 2, at(2028, 2, 29, 9)),  # 2028 is a leap year
        (at(2026, 10, 31, 9), 1, at(2026, 11, 30, 9)),  # November has 30 days
        (at(2026, 1, 15, 9), 12, at(2027, 1, 15, 9)),  # a whole year
        (at(2026, 11, 20, 9), 2, at(2027, 1, 20, 9)),  # across the year end, no clamp
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_add_limit_returns_the_calendar_zone(cal):
    start = datetime(2026, 11, 20, 8, tzinfo=ZoneInfo("UTC"))  # 16:00 in Shanghai
    result = add_limit(start, parse_limit("30min"), cal)
    assert result == at(2026, 11, 20, 16, 30)
    assert result.tzinfo == SHANGHAI


def test_add_limit_refuses_naive_start(cal):
    with pytest.raises(ValueError, match="timezone-aware"):
        add_limit(datetime(2026, 11, 20, 16), parse_limit("24h"), cal)


# --- which limit applies ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("appeal_type", "urgency", "enterprise", "expected"),
    [
        ("complaint", "normal", False, "complaint"),
        ("complaint", "urgent", False, "urgent"),  # urgent beats the appeal type
        ("complaint", "urgent", True, "urgent"),  # urgent beats enterprise
        ("consultation", "normal", True, "enterprise"),
        ("praise", "normal", False, "praise"),
    ],
)
def test_limit_key(appeal_type, urgency, enterprise, expected):
    assert limit_key(appeal_type, urgency, enterprise) == expected


def test_limit_key_refuses_unknown_values():
    with pytest.raises(ValueError, match="'gossip'"):
        limit_key("gossip", "normal", False)
    with pytest.raises(ValueError, match="'asap'"):
        limit_key("complaint", "asap", False)


# --- deadlines -------------------------------------------------------------------------


def test_complaint_dispatched_friday_afternoon(cal):
    # Sign 2wh: Fri 16:00–17:30 = 90, Mon 09:00 + 30 -> Mon 2026-11-23 09:30.
    # Reply 5wd = 2100 min: Fri 90 + Mon–Thu 1680 = 1770, Fri 27th 180 (1950),
    # remaining 150 from 13:30 -> Fri 2026-11-27 16:00.
    result = deadlines(at(2026, 11, 20, 16), "complaint", "normal", False, cal)
    assert result == Deadlines(sign_by=at(2026, 11, 23, 9, 30), reply_by=at(2026, 11, 27, 16))


def test_suggestion_signed_within_a_working_day(cal):
    # Sign 1wd = 420 from Mon 2026-11-02 09:00 -> Mon 17:30 (a full day).
    # Reply 15wd: Nov 2–6, 9–13, 16–20 are 15 full days -> Fri 2026-11-20 17:30.
    result = deadlines(at(2026, 11, 2, 9), "suggestion", "normal", False, cal)
    assert result == Deadlines(sign_by=at(2026, 11, 2, 17, 30), reply_by=at(2026, 11, 20, 17, 30))


def test_urgent_ticket_on_sunday_night(cal):
    # Natural time: Sun 2026-11-22 23:00 + 30 min = 23:30; + 24 h = Mon 23:00.
    result = deadlines(at(2026, 11, 22, 23), "help", "urgent", False, cal)
    assert result == Deadlines(sign_by=at(2026, 11, 22, 23, 30), reply_by=at(2026, 11, 23, 23))


def test_enterprise_ticket_seven_days_and_two_months(cal):
    # Thu 2026-12-31 15:00: + 7 days -> Thu 2027-01-07 15:00; + 2 months -> Feb 28 (clamped).
    result = deadlines(at(2026, 12, 31, 15), "complaint", "normal", True, cal)
    assert result == Deadlines(sign_by=at(2027, 1, 7, 15), reply_by=at(2027, 2, 28, 15))


def test_urgent_enterprise_ticket_runs_on_the_urgent_clock(cal):
    # Thu 2026-12-31 15:00, urgent: sign in 30 natural minutes, reply in 24 natural hours.
    result = deadlines(at(2026, 12, 31, 15), "complaint", "urgent", True, cal)
    assert result == Deadlines(sign_by=at(2026, 12, 31, 15, 30), reply_by=at(2027, 1, 1, 15))


def test_consultation_across_national_day(cal):
    # Wed 2026-09-30 16:00. Sign 2wh: Wed 90, Oct 1–7 off, Thu Oct 8 09:00 + 30 -> 09:30.
    # Reply 1wd = 420: Wed 90, Thu Oct 8: 180 (270), remaining 150 from 13:30 -> 16:00.
    result = deadlines(at(2026, 9, 30, 16), "consultation", "normal", False, cal)
    assert result == Deadlines(sign_by=at(2026, 10, 8, 9, 30), reply_by=at(2026, 10, 8, 16))


def test_configured_limits_replace_the_defaults(cal):
    # Config gives complaints 1wh / 2wd. Fri 16:00 + 60 = 17:00.
    # 2wd = 840: Fri 90, Mon 420 (510), Tue 180 (690), remaining 150 from 13:30 -> Tue 16:00.
    limits = validate_time_limits(_limits_with("complaint", {"sign": "1wh", "reply": "2wd"}))
    result = deadlines(at(2026, 11, 20, 16), "complaint", "normal", False, cal, limits)
    assert result == Deadlines(sign_by=at(2026, 11, 20, 17), reply_by=at(2026, 11, 24, 16))


# --- extensions ------------------------------------------------------------------------


def test_extension_of_three_working_days_across_a_weekend(cal):
    # Reply-by Thu 2026-11-26 15:00, + 1260 min: Thu 15:00–17:30 = 150; Fri 420 (570);
    # Sat/Sun off; Mon 420 (990); Tue 180 (1170), remaining 90 from 13:30 -> Tue 12-01 15:00.
    assert extend(at(2026, 11, 26, 15), 3, cal) == at(2026, 12, 1, 15)


def test_extension_from_closing_time_ends_at_closing_time(cal):
    # Reply-by Fri 2026-11-27 17:30 + 1 working day: the clock restarts Mon 09:00 and a
    # full day (420) ends Mon 2026-11-30 17:30.
    assert extend(at(2026, 11, 27, 17, 30), 1, cal) == at(2026, 11, 30, 17, 30)


def test_extension_must_grant_a_day(cal):
    with pytest.raises(ValueError):
        extend(at(2026, 11, 26, 15), 0, cal)


# --- flags -----------------------------------------------------------------------------

# A complaint dispatched Fri 2026-11-20 16:00 and due Fri 2026-11-27 16:00: 2100 working
# minutes allowed. 80 % is 1680: Fri 90 + Mon–Wed 1260 = 1350, Thu 09:00–12:00 180 (1530),
# remaining 150 from 13:30 -> Thu 2026-11-26 16:00.
START = at(2026, 11, 20, 16)
DUE = at(2026, 11, 27, 16)
EIGHTY_PERCENT = at(2026, 11, 26, 16)


def test_green_when_little_time_is_used(cal):
    # Mon 10:00: used 90 + 60 = 150 of 2100.
    assert flag_for(START, DUE, at(2026, 11, 23, 10), cal) is Flag.GREEN


def test_green_one_minute_before_eighty_percent(cal):
    # 1679 / 2100 ≈ 79.95 %.
    assert flag_for(START, DUE, EIGHTY_PERCENT - timedelta(minutes=1), cal) is Flag.GREEN


def test_yellow_at_exactly_eighty_percent(cal):
    # 1680 / 2100 = 80 % exactly.
    assert flag_for(START, DUE, EIGHTY_PERCENT, cal) is Flag.YELLOW


def test_yellow_up_to_and_including_the_due_moment(cal):
    # now == due is the last on-time moment, not overdue.
    assert flag_for(START, DUE, DUE, cal) is Flag.YELLOW


def test_yellow_share_is_configurable(cal):
    # 50 % of 2100 is 1050. Tue 2026-11-24 12:00 has used 90 + 420 + 180 = 690 -> green;
    # Wed 12:00 has used 90 + 840 + 180 = 1110 -> yellow.
    assert flag_for(START, DUE, at(2026, 11, 24, 12), cal, yellow_share=0.5) is Flag.GREEN
    assert flag_for(START, DUE, at(2026, 11, 25, 12), cal, yellow_share=0.5) is Flag.YELLOW


def test_red_one_minute_after_due(cal):
    assert flag_for(START, DUE, DUE + timedelta(minutes=1), cal) is Flag.RED


def test_red_when_overdue_by_exactly_five_working_days(cal):
    # Due + 5wd = Fri 2026-12-04 16:00 (same weekday pattern as START -> DUE): late by
    # exactly 2100 working minutes, which is not *more than* five days.
    assert flag_for(START, DUE, at(2026, 12, 4, 16), cal) is Flag.RED


def test_black_when_overdue_by_more_than_five_working_days(cal):
    assert flag_for(START, DUE, at(2026, 12, 4, 16, 1), cal) is Flag.BLACK


def test_black_when_reopened_twice_even_if_on_time(cal):
    now = at(2026, 11, 23, 10)
    assert flag_for(START, DUE, now, cal, reopen_count=1) is Flag.GREEN
    assert flag_for(START, DUE, now, cal, reopen_count=2) is Flag.BLACK


def test_black_when_supervision_missed_its_deadline(cal):
    assert flag_for(START, DUE, at(2026, 11, 23, 10), cal, supervision_missed=True) is Flag.BLACK


def test_finished_work_is_judged_when_it_was_done(cal):
    # Done Thu 10:00 (used 1350 + 60 = 1410, 67 %): green even though "now" is weeks later.
    done = at(2026, 11, 26, 10)
    assert flag_for(START, DUE, at(2026, 12, 31, 9), cal, done_at=done) is Flag.GREEN


def test_finished_late_work_stays_red(cal):
    # Done Sat 2026-11-28 10:00: after due (red); late by only Fri 16:00–17:30 = 90 working
    # minutes, so not black although "now" is far past the five-day line.
    done = at(2026, 11, 28, 10)
    assert flag_for(START, DUE, at(2026, 12, 31, 9), cal, done_at=done) is Flag.RED


def test_urgent_limit_at_night_measures_natural_time(cal):
    # Urgent sign limit Tue 2026-11-24 20:00 -> 20:30 has no working minutes, so the share
    # is natural time: 23/30 ≈ 77 % green, 24/30 = 80 % yellow, 20:31 overdue red.
    start, due = at(2026, 11, 24, 20), at(2026, 11, 24, 20, 30)
    assert flag_for(start, due, at(2026, 11, 24, 20, 23), cal) is Flag.GREEN
    assert flag_for(start, due, at(2026, 11, 24, 20, 24), cal) is Flag.YELLOW
    assert flag_for(start, due, at(2026, 11, 24, 20, 31), cal) is Flag.RED


def test_flag_values_are_lowercase_strings():
    assert [flag.value for flag in Flag] == ["green", "yellow", "red", "black"]


def test_flag_refuses_naive_moments(cal):
    with pytest.raises(ValueError, match="timezone-aware"):
        flag_for(START, DUE, datetime(2026, 11, 23, 10), cal)


def test_flag_refuses_a_share_outside_zero_to_one(cal):
    with pytest.raises(ValueError):
        flag_for(START, DUE, at(2026, 11, 23, 10), cal, yellow_share=1.5)


def test_module_lists_the_limit_keys():
    # The admin page shows these keys; they must match the defaults' keys.
    assert sla.LIMIT_KEYS == tuple(DEFAULT_TIME_LIMITS)
