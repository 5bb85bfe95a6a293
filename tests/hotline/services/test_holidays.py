"""A whole year's holiday schedule: parsed from the notice's lines, replacing the year's overrides."""
from datetime import UTC, date, datetime

import pytest

from hotline.services.cycle import holidays
from hotline.services.errors import InvalidInput
from hotline.services.policy import load_policy
from models import CalendarOverride, CalendarYear

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
NOTICE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知（示例）
2027-01-01 休 元旦
2027-02-05~2027-02-11 休 春节
2027-02-14 班 春节调休
2027-10-01～2027-10-07 休 国庆节
2027-09-26 班 国庆调休
"""


def test_parse_schedule_expands_ranges_and_keeps_notes():
    days = holidays.parse_schedule(2027, NOTICE_2027)
    assert len(days) == 1 + 7 + 1 + 7 + 1
    assert days[date(2027, 2, 8)] == (False, "春节")
    assert days[date(2027, 2, 14)] == (True, "春节调休")
    assert days[date(2027, 10, 7)] == (False, "国庆节")


@pytest.mark.parametrize(("text", "wrong"), [
    ("2027-01-01 放 元旦", "line 1"),
    ("2027-02-30 休", "does not exist"),
    ("2026-12-31~2027-01-02 休", "not a range of days in 2027"),
    ("2027-01-03~2027-01-01 休", "not a range of days in 2027"),
    ("2027-01-01 休\n2027-01-01 班", "line 2: 2027-01-01 is listed twice"),
    ("# nothing", "lists no day"),
])
def test_a_bad_line_is_named(text, wrong):
    with pytest.raises(InvalidInput) as error:
        holidays.parse_schedule(2027, text)
    assert wrong in error.value.message and error.value.field == "schedule"


def test_entering_a_year_replaces_its_overrides_and_marks_it_known(session, app):
    session.add_all([CalendarOverride(day=date(2027, 3, 3), is_workday=False, note="旧的一天"),
                     CalendarOverride(day=date(2026, 12, 24), is_workday=False, note="别的年份")])
    session.flush()
    policy = load_policy(session, app.config)
    assert policy.calendar.unknown_years([2027]) == [2027]  # a single override is not a year entered
    holidays.enter_year(session, 2027, holidays.parse_schedule(2027, NOTICE_2027), None, NOW)
    session.commit()
    assert session.get(CalendarOverride, date(2027, 3, 3)) is None
    assert session.get(CalendarOverride, date(2026, 12, 24)) is not None
    assert session.get(CalendarYear, 2027).note == "15 天休息, 2 天调休上班"
    policy = load_policy(session, app.config)
    assert policy.calendar.unknown_years([2027]) == []
    assert policy.calendar.is_workday(date(2027, 2, 8)) is False  # a Monday in the Spring Festival
    assert policy.calendar.is_workday(date(2027, 2, 14)) is True  # a Sunday worked
    # Entering it again (corrected) replaces it whole.
    holidays.enter_year(session, 2027, holidays.parse_schedule(2027, "2027-01-01 休 元旦"), None, NOW)
    assert len(holidays.list_overrides(session, 2027)) == 1
