"""分级解决 in the quarterly supervision: a grade D ticket's case goes to a city leader, a grade B one's to the unit."""
from tests.builders import at
from tests.hotline.api.helpers import BY_HAND, Desk

pytestmark = BY_HAND


def test_the_grade_decides_the_level_of_a_long_overdue_tickets_case(api, clock, runner):
    desk = Desk(api, clock)
    # Both dispatched Monday 11-16, signed, never replied: more than 5 working days late in 2026Q4.
    leader, unit = desk.new(at(2026, 11, 16, 9), "zjj"), desk.new(at(2026, 11, 16, 9), "zjj")
    for number in (leader, unit):
        desk.sign(number, at(2026, 11, 16, 10))
    desk.call("POST", f"/tickets/{leader}/grade", "supervisor", at(2026, 11, 17, 9), {"grade": "D"})
    clock.set(at(2027, 1, 6, 8))
    result = runner.invoke(args=["cycle", "quarterly"])
    assert result.exit_code == 0, result.output
    cases = {c["ticket"]["number"]: c for c in api.get("/supervision?quarter=2026Q4", "supervisor").json["items"]}
    assert {n: (c["reasons"], c["level"]) for n, c in cases.items()} == {
        leader: (["long_overdue"], "city_leader"), unit: (["long_overdue"], "department_head")}
    # A later grade change moves the open case with it.
    desk.call("POST", f"/tickets/{unit}/grade", "dispatcher", at(2027, 1, 6, 9), {"grade": "D"})
    case = api.get(f"/supervision/{cases[unit]['id']}", "supervisor").json
    assert case["level"] == "city_leader"
