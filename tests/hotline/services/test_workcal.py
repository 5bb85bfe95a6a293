"""Tests for the working calendar: holidays, 调休, overrides and working-time arithmetic.

Every expectation is worked out by hand in the comment next to it. Default hours are
09:00–12:00 and 13:30–17:30, i.e. 180 + 240 = 420 working minutes a day. Weekdays used:
2026-11-20 is a Friday, 2026-09-30 a Wednesday, 2027-01-01 a Friday.
"""

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from hotline.services.workcal import WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=0, minute=0, second=0):
    """Return a pinned Asia/Shanghai moment."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def cal():
    """A calendar with the default hours and no overrides."""
    return WorkCalendar()


def test_default_day_has_420_working_minutes(cal):
    # 09:00–12:00 is 180 minutes, 13:30–17:30 is 240 minutes.
    assert cal.minutes_per_day() == 420


def test_custom_hours_change_the_day_length():
    # One period 08:00–16:00 is 8 hours = 480 minutes.
    assert WorkCalendar(hours=[(time(8), time(16))]).minutes_per_day() == 480


@pytest.mark.parametrize(
    "hours",
    [
        [],
        [(time(12), time(9))],
        [(time(9), time(13)), (time(12), time(17))],
        [(time(13, 30), time(17, 30)), (time(9), time(12))],
    ],
    ids=["empty", "closes-before-opening", "overlapping", "out-of-order"],
)
def test_bad_working_hours_are_rejected(hours):
    with pytest.raises(ValueError):
        WorkCalendar(hours=hours)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 20), True),  # ordinary Friday
        (date(2026, 11, 21), False),  # ordinary Saturday
        (date(2026, 10, 1), False),  # National Day, Thursday
        (date(2026, 10, 7), False),  # last day of the National Day break, Wednesday
        (date(2026, 9, 25), False),  # Mid-autumn Festival, Friday
        (date(2026, 9, 20), True),  # Sunday worked in exchange for National Day (调休)
        (date(2026, 10, 10), True),  # Saturday worked in exchange for National Day (调休)
        (date(2026, 10, 11), False),  # the Sunday after it is an ordinary day off
    ],
)
def test_is_workday_follows_holidays_and_make_up_days(cal, day, expected):
    # Checked against chinese_calendar 1.11.0's 2026 data in a scratch script.
    assert cal.is_workday(day) is expected


def test_override_closes_a_working_day():
    # Monday 2026-11-23 is a normal working day; the admin closes it (e.g. a local event).
    cal = WorkCalendar(overrides={date(2026, 11, 23): False})
    assert cal.is_workday(date(2026, 11, 23)) is False


def test_override_opens_a_saturday():
    cal = WorkCalendar(overrides={date(2026, 11, 21): True})
    assert cal.is_workday(date(2026, 11, 21)) is True


def test_override_beats_the_library_on_a_public_holiday():
    cal = WorkCalendar(overrides={date(2026, 10, 1): True})
    assert cal.is_workday(date(2026, 10, 1)) is True


def test_closed_monday_pushes_a_deadline_to_tuesday():
    # Fri 16:00 + 420 min: Fri 16:00–17:30 = 90; Sat/Sun off; Mon closed by override;
    # Tue 09:00–12:00 = 180 (270), remaining 150 from 13:30 -> Tue 2026-11-24 16:00.
    cal = WorkCalendar(overrides={date(2026, 11, 23): False})
    assert cal.add_working_days(at(2026, 11, 20, 16), 1) == at(2026, 11, 24, 16)


def test_opened_saturday_counts_in_a_deadline():
    # Fri 16:00 + 420 min: Fri 90, Sat (opened) 09:00–12:00 180 (270), remaining 150
    # from 13:30 -> Sat 16:00. Without the override it would be Mon 2026-11-23 16:00.
    cal = WorkCalendar(overrides={date(2026, 11, 21): True})
    assert cal.add_working_days(at(2026, 11, 20, 16), 1) == at(2026, 11, 21, 16)
    assert WorkCalendar().add_working_days(at(2026, 11, 20, 16), 1) == at(2026, 11, 23, 16)


def test_overrides_must_be_dates_and_booleans():
    with pytest.raises(ValueError):
        WorkCalendar(overrides={datetime(2026, 11, 21, 9): True})
    with pytest.raises(ValueError):
        WorkCalendar(overrides={date(2026, 11, 21): "yes"})


def test_is_workday_refuses_a_datetime(cal):
    # A datetime's date depends on its time zone; the caller must convert it first.
    with pytest.raises(TypeError):
        cal.is_workday(at(2026, 11, 20, 10))


# --- a year chinese_calendar does not know -------------------------------------------


def test_unknown_year_falls_back_to_monday_to_friday(cal):
    # 2027 is not in chinese_calendar 1.11.0: no NotImplementedError, just Mon–Fri.
    # So New Year's Day (Friday 2027-01-01) counts as working until the admin says otherwise.
    assert cal.is_workday(date(2027, 1, 1)) is True
    assert cal.is_workday(date(2027, 1, 2)) is False  # Saturday
    assert cal.is_workday(date(2027, 1, 4)) is True  # Monday


def test_override_applies_in_an_unknown_year():
    cal = WorkCalendar(overrides={date(2027, 1, 1): False})
    assert cal.is_workday(date(2027, 1, 1)) is False


def test_unknown_years_lists_years_without_data(cal):
    # 2025 and 2026 are in the library; 2003, 2027 and 2028 are not. Duplicates collapse.
    assert cal.unknown_years([2028, 2025, 2027, 2026, 2027, 2003]) == [2003, 2027, 2028]


def test_a_single_override_does_not_make_a_year_known():
    # One local closure says nothing of the year's national holidays.
    cal = WorkCalendar(overrides={date(2027, 1, 1): False})
    assert cal.unknown_years([2026, 2027, 2028]) == [2027, 2028]


def test_unknown_years_drops_a_year_entered_as_a_whole():
    cal = WorkCalendar(overrides={date(2027, 1, 1): False}, entered_years=[2027])
    assert cal.unknown_years([2026, 2027, 2028]) == [2028]


def test_deadline_runs_from_a_known_into_an_unknown_year(cal):
    # Thu 2026-12-31 16:00 + 420 min: Thu 16:00–17:30 = 90; Fri 2027-01-01 is a working
    # day by the Mon–Fri fallback: 180 in the morning (270), remaining 150 from 13:30 -> 16:00.
    assert cal.add_working_days(at(2026, 12, 31, 16), 1) == at(2027, 1, 1, 16)


# --- add_working_minutes ---------------------------------------------------------------


def test_two_working_hours_across_the_lunch_break(cal):
    # Fri 11:00–12:00 = 60, lunch skipped, 13:30 + 60 = 14:30.
    assert cal.add_working_minutes(at(2026, 11, 20, 11), 120) == at(2026, 11, 20, 14, 30)


def test_two_working_hours_across_the_end_of_day_and_weekend(cal):
    # Fri 16:30–17:30 = 60, Sat/Sun off, Mon 09:00 + 60 = 10:00.
    assert cal.add_working_minutes(at(2026, 11, 20, 16, 30), 120) == at(2026, 11, 23, 10)


def test_ticket_arriving_at_night_starts_at_next_opening(cal):
    # Tue 20:00 is after hours: the clock starts Wed 09:00; + 120 = 11:00.
    assert cal.add_working_minutes(at(2026, 11, 24, 20), 120) == at(2026, 11, 25, 11)


def test_ticket_arriving_on_sunday_starts_monday_morning(cal):
    # Sun 2026-11-22 10:00: the clock starts Mon 09:00; + 120 = 11:00.
    assert cal.add_working_minutes(at(2026, 11, 22, 10), 120) == at(2026, 11, 23, 11)


def test_ticket_arriving_at_lunch_starts_at_1330(cal):
    # 12:30 is in the lunch break: 13:30 + 60 = 14:30.
    assert cal.add_working_minutes(at(2026, 11, 20, 12, 30), 60) == at(2026, 11, 20, 14, 30)


def test_deadline_ending_exactly_at_closing_stays_at_closing(cal):
    # Fri 17:00 + 30 = 17:30 the same day, not Monday 09:00.
    assert cal.add_working_minutes(at(2026, 11, 20, 17), 30) == at(2026, 11, 20, 17, 30)
    # 11:00 + 60 = 12:00, not 13:30.
    assert cal.add_working_minutes(at(2026, 11, 20, 11), 60) == at(2026, 11, 20, 12)


def test_zero_minutes_returns_start_or_next_opening(cal):
    # Inside hours the clock starts at once; at closing time it starts at the next opening.
    assert cal.add_working_minutes(at(2026, 11, 20, 10, 15), 0) == at(2026, 11, 20, 10, 15)
    assert cal.add_working_minutes(at(2026, 11, 20, 17, 30), 0) == at(2026, 11, 23, 9)


def test_complaint_five_working_days_across_a_weekend(cal):
    # 5 × 420 = 2100 min from Fri 2026-11-20 16:00: Fri 90; Mon–Thu 4 × 420 = 1680 (1770);
    # Fri 27th: 09:00–12:00 180 (1950), remaining 150 from 13:30 -> Fri 2026-11-27 16:00.
    assert cal.add_working_days(at(2026, 11, 20, 16), 5) == at(2026, 11, 27, 16)


def test_start_in_another_time_zone_gives_result_in_calendar_zone(cal):
    # 08:00 UTC is 16:00 in Shanghai: the same case as above, answered in +08:00.
    result = cal.add_working_days(datetime(2026, 11, 20, 8, tzinfo=timezone.utc), 5)
    assert result == at(2026, 11, 27, 16)
    assert result.tzinfo == SHANGHAI
    assert result.hour == 16


def test_three_working_days_across_national_day(cal):
    # 3 × 420 = 1260 from Wed 2026-09-30 10:00: Wed 10:00–12:00 120 + 240 = 360;
    # Oct 1–7 off; Thu 8th 420 (780); Fri 9th 420 (1200); Sat 10th is a 调休 working
    # day: remaining 60 from 09:00 -> Sat 2026-10-10 10:00.
    assert cal.add_working_days(at(2026, 9, 30, 10), 3) == at(2026, 10, 10, 10)


def test_make_up_sunday_before_national_day_counts(cal):
    # Fri 2026-09-18 16:00 + 2 working hours: Fri 90; Sat 19th off; Sun 20th is a 调休
    # working day: remaining 30 from 09:00 -> Sun 2026-09-20 09:30.
    assert cal.add_working_minutes(at(2026, 9, 18, 16), 120) == at(2026, 9, 20, 9, 30)


def test_mid_autumn_friday_is_skipped(cal):
    # Thu 2026-09-24 17:00 + 420: Thu 30; Fri 25th Mid-autumn off; Sat/Sun off;
    # Mon 28th: 180 in the morning (210), remaining 210 from 13:30 -> 17:00.
    assert cal.add_working_days(at(2026, 9, 24, 17), 1) == at(2026, 9, 28, 17)


def test_fifteen_working_days_end_on_the_fifteenth_evening(cal):
    # November 2026 has no holidays: from Mon 2026-11-02 09:00, 15 full days are
    # Nov 2–6, 9–13 and 16–20, the last ending Fri 2026-11-20 17:30.
    assert cal.add_working_days(at(2026, 11, 2, 9), 15) == at(2026, 11, 20, 17, 30)


def test_a_whole_year_of_working_days(cal):
    # 2026 starts on a Thursday: 261 weekdays; minus 19 weekday holidays (Jan 1–2,
    # Feb 16–20 and 23, Apr 6, May 1, 4, 5, Jun 19, Sep 25, Oct 1, 2, 5, 6, 7); plus 6
    # make-up weekend days (Jan 4, Feb 14, Feb 28, May 9, Sep 20, Oct 10) = 248.
    # Jan 1 is a holiday, so the clock starts on Sunday Jan 4 (调休) at 09:00, and
    # 248 full days end on the last working day, Thursday Dec 31, at 17:30.
    assert cal.add_working_days(at(2026, 1, 1), 248) == at(2026, 12, 31, 17, 30)


def test_naive_start_is_refused(cal):
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.add_working_minutes(datetime(2026, 11, 20, 16), 60)


def test_negative_minutes_are_refused(cal):
    with pytest.raises(ValueError, match="negative"):
        cal.add_working_minutes(at(2026, 11, 20, 16), -1)
    with pytest.raises(ValueError, match="negative"):
        cal.add_working_days(at(2026, 11, 20, 16), -1)


# --- working_minutes_between -----------------------------------------------------------


def test_no_working_minutes_when_b_is_not_after_a(cal):
    assert cal.working_minutes_between(at(2026, 11, 20, 11), at(2026, 11, 20, 11)) == 0
    assert cal.working_minutes_between(at(2026, 11, 20, 11), at(2026, 11, 20, 10)) == 0


def test_working_minutes_within_one_day(cal):
    # 10:00–12:00 = 120 plus 13:30–14:00 = 30.
    assert cal.working_minutes_between(at(2026, 11, 20, 10), at(2026, 11, 20, 14)) == 150


def test_working_minutes_across_a_weekend(cal):
    # Fri 16:00–17:30 = 90 plus Mon 09:00–10:00 = 60.
    assert cal.working_minutes_between(at(2026, 11, 20, 16), at(2026, 11, 23, 10)) == 150


def test_working_minutes_across_national_day(cal):
    # Wed 2026-09-30 full day 420; Oct 1–7 off; Thu Oct 8 full day 420; Fri 9th 09:00 ends it.
    assert cal.working_minutes_between(at(2026, 9, 30, 9), at(2026, 10, 9, 9)) == 840


def test_working_minutes_over_a_month(cal):
    # November 2026 (no holidays) has 21 weekdays: 2–6, 9–13, 16–20, 23–27, 30 -> 21 × 420.
    assert cal.working_minutes_between(at(2026, 11, 1), at(2026, 12, 1)) == 8820


def test_working_minutes_count_only_whole_minutes(cal):
    assert cal.working_minutes_between(at(2026, 11, 20, 9), at(2026, 11, 20, 9, 0, 59)) == 0


def test_working_minutes_accept_mixed_time_zones(cal):
    # 02:00 UTC = 10:00 Shanghai; so the same span as "within one day": 150.
    start = datetime(2026, 11, 20, 2, tzinfo=timezone.utc)
    assert cal.working_minutes_between(start, at(2026, 11, 20, 14)) == 150


@pytest.mark.parametrize("minutes", [1, 120, 420, 2100, 6300])
def test_adding_then_measuring_gives_the_same_minutes(cal, minutes):
    start = at(2026, 9, 29, 10, 17)  # inside hours, just before National Day
    assert cal.working_minutes_between(start, cal.add_working_minutes(start, minutes)) == minutes


def test_naive_span_is_refused(cal):
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.working_minutes_between(datetime(2026, 11, 20, 9), at(2026, 11, 20, 10))
