"""The admin's whole-year holiday form."""
from datetime import UTC, date, datetime

from models import CalendarOverride, CalendarYear

from .conftest import text


def test_entering_a_year_in_one_form_stops_the_warning(pages, session, clock):
    clock.set(datetime(2027, 1, 4, 2, 0, tzinfo=UTC))
    assert "尚无 2027 年的放假安排" in text(pages.get("admin", "/admin/"))
    response = pages.post("admin", "/admin/holidays/year",
                          {"year": "2027", "schedule": "2027-01-01 休 元旦\n2027-02-05~2027-02-11 休 春节\n"
                                                       "2027-02-14 班 春节调休"})
    assert response.status_code == 302
    assert session.get(CalendarYear, 2027) is not None
    assert session.get(CalendarOverride, date(2027, 2, 14)).is_workday is True
    assert "尚无 2027 年" not in text(pages.get("admin", "/admin/"))
    assert "2027" in text(pages.get("admin", "/admin/holidays/year"))


def test_a_bad_line_is_shown_with_what_was_typed(pages, session):
    response = pages.post("admin", "/admin/holidays/year", {"year": "2027", "schedule": "2027-13-01 休 元旦"})
    assert response.status_code == 400
    assert "2027-13-01 休 元旦</textarea>" in text(response)  # kept for correcting
    assert session.get(CalendarYear, 2027) is None
